using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using ReflexiveIdentity.Auth0Emulation;
using ReflexiveIdentity.Auth0Emulation.Seed;

namespace ReflexiveIdentity.Cli.Hosting;

/// <summary>
/// The whole product on loopback in one process, for a machine with no cloud account: the Auth0
/// emulator (running the real Actions, seeded from samples/auth0-seed.json) and the service wired to
/// it with a fresh signing secret, the seed's Management API client and agent_omega's local credentials.
/// </summary>
internal sealed class LocalStack : IAsyncDisposable
{
    private LocalStack(WebApplication tenant, WebApplication service, string issuer, string serviceUrl, TenantSeed seed, string signingSecret)
    {
        SigningSecret = signingSecret;
        Tenant = tenant;
        Service = service;
        Issuer = issuer;
        ServiceUrl = serviceUrl;
        Seed = seed;
    }

    public WebApplication Tenant { get; }

    public WebApplication Service { get; }

    public string Issuer { get; }

    /// <summary>The service's base URL, <c>http://127.0.0.1:PORT</c>.</summary>
    public string ServiceUrl { get; }

    public TenantSeed Seed { get; }

    /// <summary>The fresh secret the Actions and this process sign webhook calls with.</summary>
    public string SigningSecret { get; }

    public IServiceProvider Services => Service.Services;

    /// <summary>Starts the tenant and the service; <paramref name="settings"/> adds or overrides service settings (ledger path, schedule).</summary>
    public static async Task<LocalStack> StartAsync(IDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var root = FindRepositoryRoot();
        var seedPath = Path.Combine(root, "samples", "auth0-seed.json");
        var seed = TenantSeed.Load(seedPath);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var serviceUrl = $"http://127.0.0.1:{FreePort()}";
        var emulatorOptions = new Auth0EmulatorOptions
        {
            Seed = seed,
            ActionsRoot = Path.Combine(root, "auth0-actions"),
            ActionSecrets = { ["WEBHOOK_URL"] = $"{serviceUrl}/api/v1/elevations", ["WEBHOOK_SECRET"] = secret },
            ConfigureLogging = Quiet,
        };
        var tenant = Auth0Emulator.Build(emulatorOptions);
        await tenant.StartAsync(cancellationToken).ConfigureAwait(false);
        var issuer = Auth0Emulator.GetIssuer(tenant);

        var management = seed.Clients.Single(client => client.ClientId == "reflexive-management");
        var agentToken = seed.RefreshTokens.First(token => token.ClientId == "agent-omega-app");
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Webhook:SigningSecrets"] = secret,
            ["Auth0:Authority"] = issuer,
            ["Auth0:Audience"] = seed.DefaultAudience,
            ["Auth0:ManagementClientId"] = management.ClientId,
            ["Auth0:ManagementClientSecret"] = management.ClientSecret,
            ["AgentOmega:ClientId"] = agentToken.ClientId,
            ["AgentOmega:RefreshToken"] = agentToken.Token,
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var service = ReflexiveWebHost.Build(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), serviceUrl, services => services.AddLogging(Quiet));
        try
        {
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await tenant.DisposeAsync().ConfigureAwait(false);
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalStack(tenant, service, issuer, address, seed, secret);
    }

    public async ValueTask DisposeAsync()
    {
        await Service.StopAsync().ConfigureAwait(false);
        await Service.DisposeAsync().ConfigureAwait(false);
        await Tenant.StopAsync().ConfigureAwait(false);
        await Tenant.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The checkout the command runs in: the nearest folder, from here or from the program upwards, holding samples/auth0-seed.json and auth0-actions.</summary>
    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "samples", "auth0-seed.json")) && Directory.Exists(Path.Combine(directory.FullName, "auth0-actions")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("Cannot find samples/auth0-seed.json and auth0-actions/: run this command inside a checkout of the repository.");
    }

    /// <summary>The commands print their own narrative on stdout: the hosts log warnings and errors only, to stderr.</summary>
    private static void Quiet(ILoggingBuilder logging)
    {
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
