using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReflexiveIdentity.Adapters.Auth0;
using ReflexiveIdentity.Adapters.Ledger;
using ReflexiveIdentity.Adapters.Reasoning;
using ReflexiveIdentity.Adapters.Tokens;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Http.Dashboard;
using ReflexiveIdentity.Http.Endpoints;
using ReflexiveIdentity.Http.Jobs;
using ReflexiveIdentity.Http.Security;
using ReflexiveIdentity.Http.Settings;
using ReflexiveIdentity.Integrity;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Policy;
using ReflexiveIdentity.Tokens;
using ReflexiveIdentity.Trust;

namespace ReflexiveIdentity.Http;

/// <summary>The one registration both hosts call: settings, policy, ledger, core services and endpoint handlers.</summary>
public static class ReflexiveIdentityServices
{
    /// <summary>
    /// Reads and validates the settings (the host adds its <see cref="IIntegrityTrigger"/> and its
    /// <see cref="Omega.IAgentJobs"/>: storage queues in Functions, in-process queues in the CLI) (throwing <see cref="SettingsException"/> or
    /// <see cref="PolicyValidationException"/> with the setting or field named) and registers everything.
    /// </summary>
    public static IServiceCollection AddReflexiveIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = ServiceSettings.Load(configuration);
        var policy = settings.PolicyPath is null
            ? PolicyDocument.Default
            : PolicyDocument.Parse(File.ReadAllText(settings.PolicyPath), settings.PolicyPath);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton(policy);
        services.AddSingleton<ElevationPolicy>();
        services.AddSingleton<ILedger>(_ => settings.Ledger.Open());

        // The judge (Azure OpenAI when OpenAI__* is set, otherwise none: policy only) narrows what the policy allows.
        services.AddReasoning(settings.OpenAI);
        services.AddSingleton<ElevationService>();
        services.AddSingleton<RejectionLog>();
        services.AddSingleton<LedgerVerifier>();

        services.AddSingleton(new WebhookSignature(settings.SigningSecrets));
        services.AddSingleton<IAccessTokenValidator>(provider => settings.Auth0.IsConfigured
            ? new JwksAccessTokenValidator(
                new TokenValidationSettings { Authority = settings.Auth0.Authority!, Audience = settings.Auth0.Audience! },
                new HttpClient { Timeout = TimeSpan.FromSeconds(10) },
                provider.GetRequiredService<TimeProvider>())
            : new UnconfiguredTokenValidator());
        services.AddSingleton<ScopeAuthorizer>();
        services.AddSingleton<GrantRevocation>();

        // The immune system: scoring, the per-agent response, the sweep, restores, and the identity provider.
        services.AddSingleton(new TrustScorer(policy.Trust, policy.Scopes.Values.Where(rule => rule.Baseline).Select(rule => rule.Name)));
        services.AddSingleton<ImmuneResponse>();
        services.AddSingleton<IntegritySweep>();
        services.AddSingleton<AgentRestoration>();
        services.AddSingleton<AgentObservations>();
        if (settings.Auth0.CanManage)
        {
            services.AddAuth0Management(new Auth0ManagementOptions
            {
                Authority = settings.Auth0.Authority!,
                ClientId = settings.Auth0.ManagementClientId!,
                ClientSecret = settings.Auth0.ManagementClientSecret!,
                Audience = settings.Auth0.Audience!,
            });
        }
        services.AddSingleton<SignedRequestReader>();
        services.AddSingleton<RejectionResponder>();
        services.AddSingleton<EndpointGuard>();
        services.AddSingleton<AdminGate>();
        services.AddSingleton<AgentActivityEndpoint>();
        services.AddSingleton<ElevationEndpoint>();
        services.AddSingleton<AgentsEndpoint>();
        services.AddSingleton<GrantsEndpoint>();
        services.AddSingleton<LedgerEndpoint>();
        services.AddSingleton<HealthEndpoint>();
        services.AddAgentOmega(configuration, settings);
        services.AddSingleton<IntegrityDashboard>();
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<DashboardEndpoint>();

        // agent_omega's jobs: the route, and the handler every queue worker runs (the host adds its IAgentJobs).
        services.AddSingleton(AgentJobSettings.Load(configuration));
        services.AddSingleton<JobsEndpoint>();
        services.AddSingleton<AgentJobHandler>();
        return services;
    }
}
