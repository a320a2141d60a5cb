using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Adapters.Auth0;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>A real container wired by <c>AddAuth0Management</c>, as a host would build it.</summary>
internal static class Auth0TestServices
{
    public const string AgentsApi = "https://reflexive-identity/agents";

    public static ServiceProvider Build(Uri authority, string clientId, string secret, TimeProvider time, Auth0RetryOptions? retry = null, RecordingLoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        services.AddAuth0Management(new Auth0ManagementOptions
        {
            Authority = authority,
            ClientId = clientId,
            ClientSecret = secret,
            Audience = AgentsApi,
            Retry = retry ?? new Auth0RetryOptions(),
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
