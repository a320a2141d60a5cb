using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReflexiveIdentity.Agents;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>Registers the Auth0 Management API client and the agent directory built on it.</summary>
public static class Auth0ManagementServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ClientCredentialsTokenProvider"/> (singleton), <see cref="ManagementApiClient"/>
    /// (typed HttpClient: resilience pipeline, then the token handler) and <see cref="IAgentDirectory"/> as
    /// <see cref="Auth0AgentDirectory"/>. Uses the registered <see cref="TimeProvider"/> (the system clock
    /// when none is) for token expiry, retry delays and attempt timeouts.
    /// </summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">A setting is missing or wrong; the message names each.</exception>
    public static IServiceCollection AddAuth0Management(this IServiceCollection services, Auth0ManagementOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddLogging();

        // Handlers run in the order added: the pipeline (retry around attempt timeout) outermost, then
        // buffering, and the metering of each exchange innermost.
        var token = services.AddHttpClient(ClientCredentialsTokenProvider.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(NewSocketsHandler);
        token.AddResilienceHandler("auth0-token", (builder, context) => Auth0Resilience.Configure(builder, context.ServiceProvider, options.Retry));
        token.AddHttpMessageHandler(() => new ResponseBufferingHandler());
        token.AddHttpMessageHandler(() => new Auth0CallMetering("POST oauth/token"));
        services.AddSingleton<ClientCredentialsTokenProvider>();

        services.AddTransient<ManagementTokenHandler>();
        var management = services.AddHttpClient<ManagementApiClient>(http =>
            {
                http.BaseAddress = options.ManagementApi;

                // Attempts are timed by the resilience pipeline on the injected clock; HttpClient's own timer would not be.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(NewSocketsHandler);
        management.AddResilienceHandler("auth0-management", (builder, context) => Auth0Resilience.Configure(builder, context.ServiceProvider, options.Retry));
        management.AddHttpMessageHandler<ManagementTokenHandler>();
        management.AddHttpMessageHandler(() => new ResponseBufferingHandler());
        management.AddHttpMessageHandler(() => new Auth0CallMetering("management"));

        services.AddTransient<IAgentDirectory, Auth0AgentDirectory>();
        return services;
    }

    // Connections are recycled by the handler itself, so a ManagementApiClient held by a long-lived service still sees DNS changes.
    private static SocketsHttpHandler NewSocketsHandler() => new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
}
