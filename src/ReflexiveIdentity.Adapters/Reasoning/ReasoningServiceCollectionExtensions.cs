using Azure.Identity;
using System.ClientModel;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReflexiveIdentity.Reasoning;

namespace ReflexiveIdentity.Adapters.Reasoning;

/// <summary>Registers the reasoning layer: the judge, the rationale writer and the review around the judge.</summary>
public static class ReasoningServiceCollectionExtensions
{
    /// <summary>Reads <see cref="OpenAISettings"/> (throwing <see cref="OpenAISettingsException"/> when wrong) and registers the reasoning layer.</summary>
    public static IServiceCollection AddReasoning(this IServiceCollection services, IConfiguration configuration) =>
        services.AddReasoning(OpenAISettings.Load(configuration));

    /// <summary>
    /// Registers <see cref="OpenAISettings"/>, <see cref="IRationaleWriter"/>, <see cref="RationaleReview"/> and,
    /// when <paramref name="settings"/> name a deployment, an <see cref="IChatClient"/> for it (unless one is
    /// registered already) and <see cref="IRationaleJudge"/> as <see cref="ChatRationaleJudge"/>. Without
    /// settings: no judge (policy only) and <see cref="DeterministicRationaleWriter"/>.
    /// </summary>
    public static IServiceCollection AddReasoning(this IServiceCollection services, OpenAISettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddSingleton(settings);
        if (settings.IsConfigured)
        {
            services.TryAddSingleton<IChatClient>(_ =>
            {
                var client = settings.ApiKey is { } key
                    ? new AzureOpenAIClient(settings.Endpoint!, new ApiKeyCredential(key))
                    : new AzureOpenAIClient(settings.Endpoint!, new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = Environment.GetEnvironmentVariable("AZURE_CLIENT_ID") }));
                return client.GetChatClient(settings.Deployment!).AsIChatClient();
            });
            services.AddSingleton<ChatRationaleJudge>();
            services.AddSingleton<IRationaleJudge>(provider => provider.GetRequiredService<ChatRationaleJudge>());
            services.AddSingleton<ChatRationaleWriter>();
            services.AddSingleton<IRationaleWriter>(provider => provider.GetRequiredService<ChatRationaleWriter>());
        }
        else
        {
            services.AddSingleton<IRationaleWriter, DeterministicRationaleWriter>();
        }

        services.AddSingleton(provider => new RationaleReview(
            provider.GetService<IRationaleJudge>(),
            settings.ReviewOptions,
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
