using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Auth0Emulation.Actions;
using ReflexiveIdentity.Auth0Emulation.Discovery;
using ReflexiveIdentity.Auth0Emulation.Emulator;
using ReflexiveIdentity.Auth0Emulation.Management;
using ReflexiveIdentity.Auth0Emulation.Seed;
using ReflexiveIdentity.Auth0Emulation.Tenant;
using ReflexiveIdentity.Auth0Emulation.Tokens;

namespace ReflexiveIdentity.Auth0Emulation;

/// <summary>
/// A local Auth0 tenant on Kestrel: discovery and JWKS, <c>/oauth/token</c> running the real Actions
/// under Node, the Management API subset the product uses (with rate limits and fault mode), and
/// <c>/emulator/*</c> endpoints for tests.
/// </summary>
public static class Auth0Emulator
{
    /// <summary>
    /// Builds the emulator without starting it. Call <c>RunAsync()</c> (the CLI) or <c>StartAsync()</c>
    /// (tests), then <see cref="GetIssuer"/> for the bound address.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range or missing.</exception>
    /// <exception cref="SeedException">The seed is unreadable or invalid; the message names the file and field.</exception>
    /// <exception cref="InvalidOperationException">The seed binds Actions that cannot be found.</exception>
    public static WebApplication Build(Auth0EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var seed = options.Seed ?? TenantSeed.Load(options.SeedPath!);
        if (options.Seed is not null)
        {
            SeedValidator.Validate(seed, "(seed object)");
        }

        var layout = ActionsLayout.Resolve(options.ActionsRoot, seed.ActionBindings);
        var time = options.TimeProvider;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Auth0Emulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        options.ConfigureLogging?.Invoke(builder.Logging);

        var services = builder.Services;
        services.AddSingleton(new TenantClock(time));
        services.AddSingleton(seed);
        services.AddSingleton<TenantAddress>();
        services.AddSingleton(sp => new TenantState(seed, sp.GetRequiredService<TenantAddress>(), time));
        services.AddSingleton<SigningKeys>();
        services.AddSingleton(sp => new TokenIssuer(sp.GetRequiredService<SigningKeys>(), sp.GetRequiredService<TenantAddress>(), time, options.TokenLifetime));
        services.AddSingleton(layout);
        services.AddSingleton<ActionRunLog>();
        services.AddSingleton(sp => new ActionRunner(
            layout, options.NodePath, options.ActionTimeout, time, sp.GetRequiredService<ActionRunLog>(), sp.GetRequiredService<ILogger<ActionRunner>>()));
        services.AddSingleton(ActionSecrets.Merge(seed.ActionSecrets, options.ActionSecrets));
        services.AddSingleton<CallStats>();
        services.AddSingleton(new FaultInjector(options.Faults));
        services.AddSingleton(new TokenBucket(options.RateLimit.Capacity, options.RateLimit.RefillPerSecond, time));
        services.AddSingleton<TokenEndpoint>();

        var app = builder.Build();
        app.UseRouting();
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api/v2", StringComparison.OrdinalIgnoreCase), api => api.UseMiddleware<ManagementApiGate>());

        app.MapDiscovery();
        app.MapPost("/oauth/token", (HttpContext http, TokenEndpoint endpoint) => endpoint.HandleAsync(http));
        app.MapManagementApi();
        app.MapEmulatorControl();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<TenantAddress>();
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Auth0Emulator))
                .Started(seed.Tenant, address.Issuer, address.ManagementAudience, layout.Root.Length > 0 ? layout.Root : "(none bound)");
        });
        return app;
    }

    /// <summary>The issuer of a started emulator, e.g. <c>http://127.0.0.1:5123/</c> (with the trailing slash).</summary>
    /// <exception cref="InvalidOperationException">The emulator has not been started.</exception>
    public static string GetIssuer(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<TenantAddress>().Issuer;
    }

    /// <summary>The Management API audience of a started emulator: the issuer followed by <c>api/v2/</c>.</summary>
    public static string GetManagementAudience(WebApplication app) => GetIssuer(app) + "api/v2/";
}
