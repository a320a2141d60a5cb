using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Omega;
using ReflexiveIdentity.Omega.Sharing;
using ReflexiveIdentity.Http.Settings;

namespace ReflexiveIdentity.Http;

/// <summary>Registers agent_omega: its settings (<c>AgentOmega__*</c>), its token client, its self-assessment and the runner.</summary>
public static class AgentOmegaServices
{
    /// <summary>Adds agent_omega; its token client talks to the configured Auth0 tenant, or explains what is missing.</summary>
    public static IServiceCollection AddAgentOmega(this IServiceCollection services, IConfiguration configuration, ServiceSettings settings)
    {
        var options = new AgentOmegaOptions();
        configuration.GetSection("AgentOmega").Bind(options);
        services.AddSingleton(options);
        services.AddSingleton<IAgentTokenClient>(_ => settings.Auth0.IsConfigured && options.MissingSettings() is null
            ? new Auth0AgentTokenClient(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, settings.Auth0.Authority!, settings.Auth0.Audience!, options)
            : new UnconfiguredAgentTokenClient(string.Join(
                " and ",
                new[] { settings.Auth0.IsConfigured ? null : "Auth0__Domain (or Auth0__Authority) and Auth0__Audience", options.MissingSettings() }.OfType<string>())));
        services.AddSingleton<AgentSelfAssessment>();
        services.AddSingleton<AgentOmega>();
        services.AddSingleton(new ReportDestinationSettings
        {
            BlobConnection = options.BlobConnection ?? configuration["AzureWebJobsStorage"],
            ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"],
        });
        services.AddSingleton<IAgentJobRunner, ReportJobRunner>();
        return services;
    }
}
