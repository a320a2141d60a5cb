using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Adapters.Auth0;
using ReflexiveIdentity.Auth0Emulation;
using ReflexiveIdentity.Auth0Emulation.Seed;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>
/// The Auth0 emulator in-process on loopback, seeded from samples/auth0-seed.json (optionally with
/// extra users), running the real Actions; plus readers for its control endpoints.
/// </summary>
internal sealed class EmulatorTenant : IAsyncDisposable
{
    public const string AgentsApi = "https://reflexive-identity/agents";
    public const string ManagementClientId = "reflexive-management";
    public const string ManagementSecret = "LOCAL-ONLY-reflexive-management-secret-never-use-outside-the-emulator";
    public const string OmegaUserId = "auth0|agent_omega";
    public const string SigmaClientId = "agent_sigma";

    /// <summary>Enough attempts that a seeded fault sequence never exhausts them; short real waits (the emulator asks for 1 s).</summary>
    public static readonly Auth0RetryOptions FaultTolerantRetry = new()
    {
        MaxAttempts = 8,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(10),
    };

    private readonly WebApplication app;

    private EmulatorTenant(WebApplication app)
    {
        this.app = app;
        Authority = new Uri(Auth0Emulator.GetIssuer(app));
        Http = new HttpClient { BaseAddress = Authority };
    }

    public Uri Authority { get; }

    /// <summary>For the emulator's own control endpoints (<c>/emulator/*</c>).</summary>
    public HttpClient Http { get; }

    public static async Task<EmulatorTenant> StartAsync(int extraUsers = 0)
    {
        var seed = JsonNode.Parse(await File.ReadAllTextAsync(SeedPath))!.AsObject();
        var users = seed["users"]!.AsArray();
        for (var i = 0; i < extraUsers; i++)
        {
            users.Add(new JsonObject
            {
                ["user_id"] = $"auth0|worker_{i:00}",
                ["email"] = $"worker_{i:00}@agents.reflexive.local",
                ["name"] = $"worker_{i:00}",
                ["app_metadata"] = new JsonObject { ["agent_id"] = $"worker_{i:00}", ["trust_score"] = 100, ["status"] = "active" },
            });
        }

        var app = Auth0Emulator.Build(new Auth0EmulatorOptions { Seed = TenantSeed.Parse(seed.ToJsonString(), SeedPath) });
        await app.StartAsync();
        return new EmulatorTenant(app);
    }

    /// <summary>A container with <c>AddAuth0Management</c> pointed at this tenant.</summary>
    public ServiceProvider Services(Auth0RetryOptions? retry = null, RecordingLoggerProvider? logs = null, string secret = ManagementSecret) =>
        Auth0TestServices.Build(Authority, ManagementClientId, secret, TimeProvider.System, retry, logs);

    public async Task<JsonObject> StateAsync() => (await Http.GetFromJsonAsync<JsonObject>("emulator/state"))!;

    public async Task<JsonObject> UserAsync(string userId) =>
        (await StateAsync())["users"]!.AsArray().Single(u => (string?)u!["user_id"] == userId)!.AsObject();

    public async Task<JsonObject> ClientAsync(string clientId) =>
        (await StateAsync())["clients"]!.AsArray().Single(c => (string?)c!["client_id"] == clientId)!.AsObject();

    /// <summary>A user's permission names on the agents API, sorted.</summary>
    public async Task<List<string>> PermissionsAsync(string userId) =>
    [
        .. (await UserAsync(userId))["permissions"]!.AsArray()
            .Where(p => (string?)p!["resource_server_identifier"] == AgentsApi)
            .Select(p => (string)p!["permission_name"]!)
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The scopes of a client's grant for the agents API, in the emulator's order.</summary>
    public async Task<List<string>> GrantScopesAsync(string clientId) =>
    [
        .. (await StateAsync())["client_grants"]!.AsArray()
            .Single(g => (string?)g!["client_id"] == clientId && (string?)g["audience"] == AgentsApi)!["scope"]!.AsArray()
            .Select(s => (string)s!),
    ];

    public async Task<int> TokenRequestsAsync() =>
        (int)(await Http.GetFromJsonAsync<JsonObject>("emulator/stats"))!["token_requests"]!["total"]!;

    public async Task<int> ManagementCallsAsync() =>
        (int)(await Http.GetFromJsonAsync<JsonObject>("emulator/stats"))!["management_api"]!["total"]!;

    public async Task SetFaultsAsync(double rate429, double rate5xx, int seed)
    {
        using var response = await Http.PostAsJsonAsync("emulator/faults", new JsonObject { ["rate_429"] = rate429, ["rate_5xx"] = rate5xx, ["seed"] = seed });
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await Http.DeleteAsync(new Uri("emulator/faults", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static string SeedPath { get; } = FindSeed();

    private static string FindSeed()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var seed = Path.Combine(directory.FullName, "samples", "auth0-seed.json");
            if (File.Exists(Path.Combine(directory.FullName, "ReflexiveIdentity.Functions.sln")) && File.Exists(seed))
            {
                return seed;
            }
        }

        throw new InvalidOperationException($"No samples/auth0-seed.json beside ReflexiveIdentity.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
