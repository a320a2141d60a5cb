using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Adapters.Ledger;
using ReflexiveIdentity.Cli.Hosting;
using ReflexiveIdentity.Http.Security;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Testing;

/// <summary>
/// The CLI's web host on a free loopback port with a fresh SQLite ledger, a client that signs, and a local
/// Auth0 tenant whose Actions call this service and whose operator tokens open the admin routes.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public const string Secret = "test-signing-secret-0001";
    public const string OldSecret = "test-signing-secret-rotated-out";

    private readonly WebApplication app;
    private readonly string directory;

    private string? operatorToken;

    private ServiceHost(WebApplication app, LocalTenant tenant, string directory, string ledgerPath)
    {
        this.app = app;
        Tenant = tenant;
        this.directory = directory;
        LedgerPath = ledgerPath;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public HttpClient Client { get; }

    public string LedgerPath { get; }

    public LocalTenant Tenant { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>
    /// Starts the service and its tenant; <paramref name="manageAuth0"/> gives it the Management API client so the
    /// immune response writes to the tenant; <paramref name="configureServices"/> adds services (e.g. a job runner).
    /// </summary>
    public static async Task<ServiceHost> StartAsync(IDictionary<string, string?>? extraSettings = null, bool manageAuth0 = false, Action<IServiceCollection>? configureServices = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "reflexive-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var ledgerPath = Path.Combine(directory, "ledger.db");
        var address = $"http://127.0.0.1:{LocalTenant.FreePort()}";
        var tenant = await LocalTenant.StartAsync($"{address}/api/v1/elevations", Secret);
        var settings = new Dictionary<string, string?>
        {
            ["Webhook:SigningSecrets"] = $"{Secret},{OldSecret}",
            ["Ledger:SqlitePath"] = ledgerPath,
            ["Auth0:Authority"] = tenant.Issuer,
            ["Auth0:Audience"] = LocalTenant.Audience,
        };
        if (manageAuth0)
        {
            settings["Auth0:ManagementClientId"] = LocalTenant.ManagementClientId;
            settings["Auth0:ManagementClientSecret"] = LocalTenant.ManagementSecret;
        }

        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var app = ReflexiveWebHost.Build(configuration, address, configureServices);
        await app.StartAsync();
        return new ServiceHost(app, tenant, directory, ledgerPath);
    }

    public Task<HttpResponseMessage> PostSignedAsync(string body, string? requestId = null, string secret = Secret, long? timestamp = null, string contentType = "application/json")
    {
        var ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/elevations") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add(WebhookSignature.TimestampHeader, ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, ts, bytes));
        if (requestId is not null)
        {
            request.Headers.Add("X-Reflexive-Request-Id", requestId);
        }

        return Client.SendAsync(request);
    }

    /// <summary>POSTs a signed JSON body to <paramref name="path"/> (the events and signals routes).</summary>
    public Task<HttpResponseMessage> PostSignedToAsync(string path, string body)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Headers.Add(WebhookSignature.TimestampHeader, ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(Secret, ts, bytes));
        return Client.SendAsync(request);
    }

    /// <summary>Completes when every immediate response queued so far has run.</summary>
    public Task WhenIntegrityIdleAsync() => app.Services.GetRequiredService<InProcessIntegrityTrigger>().WhenIdleAsync();

    /// <summary>POSTs JSON to an admin route with an operator token.</summary>
    public async Task<HttpResponseMessage> PostAdminAsync(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken ??= await Tenant.OperatorTokenAsync());
        return await Client.SendAsync(request);
    }

    /// <summary>GET an admin route with an operator token (or <paramref name="token"/>, or none when it is empty).</summary>
    public async Task<HttpResponseMessage> GetAdminAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        token ??= operatorToken ??= await Tenant.OperatorTokenAsync();
        if (token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Every entry in the ledger, read through a second connection to the same file.</summary>
    public async Task<List<LedgerEntry>> EntriesAsync()
    {
        using var ledger = SqliteLedger.Open(LedgerPath);
        var entries = new List<LedgerEntry>();
        foreach (var chain in await ledger.ListChainsAsync(CancellationToken.None))
        {
            entries.AddRange(await ledger.ReadChainAsync(chain, CancellationToken.None).ToListAsync());
        }

        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await Tenant.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Leaves a temp folder behind at worst.
        }
    }
}
