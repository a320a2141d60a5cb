using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using ReflexiveIdentity.Auth0Emulation;

namespace ReflexiveIdentity.Testing;

/// <summary>The Auth0 emulator in-process on loopback, seeded from samples/auth0-seed.json, running the real Actions.</summary>
public sealed class LocalTenant : IAsyncDisposable
{
    public const string Audience = "https://reflexive-identity/agents";
    public const string OperatorClientId = "reflexive-operator";
    public const string OperatorSecret = "LOCAL-ONLY-reflexive-operator-secret-never-use-outside-the-emulator";
    public const string ManagementClientId = "reflexive-management";
    public const string ManagementSecret = "LOCAL-ONLY-reflexive-management-secret-never-use-outside-the-emulator";
    public const string AgentRefreshToken = "rt_agent_omega_local";

    private readonly WebApplication app;

    private LocalTenant(WebApplication app)
    {
        this.app = app;
        Issuer = Auth0Emulator.GetIssuer(app);
        Client = new HttpClient { BaseAddress = new Uri(Issuer) };
    }

    /// <summary>The issuer, <c>http://127.0.0.1:PORT/</c>.</summary>
    public string Issuer { get; }

    public HttpClient Client { get; }

    /// <summary>Starts a tenant whose Actions call <paramref name="webhookUrl"/> signed with <paramref name="webhookSecret"/>.</summary>
    public static async Task<LocalTenant> StartAsync(string? webhookUrl = null, string? webhookSecret = null, TimeSpan? actionTimeout = null)
    {
        var options = new Auth0EmulatorOptions
        {
            SeedPath = RepositoryPaths.Seed,
            ActionsRoot = RepositoryPaths.Actions,
            ActionTimeout = actionTimeout ?? TimeSpan.FromSeconds(20),
        };
        if (webhookUrl is not null)
        {
            options.ActionSecrets["WEBHOOK_URL"] = webhookUrl;
        }

        if (webhookSecret is not null)
        {
            options.ActionSecrets["WEBHOOK_SECRET"] = webhookSecret;
        }

        var app = Auth0Emulator.Build(options);
        await app.StartAsync();
        return new LocalTenant(app);
    }

    /// <summary>An operator token with <c>reflexive:admin</c> (client credentials).</summary>
    public Task<string> OperatorTokenAsync() => ClientCredentialsAsync(OperatorClientId, OperatorSecret, Audience);

    /// <summary>A Management API token for the service's management client.</summary>
    public Task<string> ManagementTokenAsync() => ClientCredentialsAsync(ManagementClientId, ManagementSecret, Issuer + "api/v2/");

    /// <summary>agent_omega's refresh-token exchange, with a rationale (JSON string) when given; the raw response.</summary>
    public Task<HttpResponseMessage> AgentTokenAsync(string scope, string? rationaleJson) =>
        Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "agent-omega-app",
            ["refresh_token"] = AgentRefreshToken,
            ["scope"] = scope,
            ["rationale"] = rationaleJson ?? string.Empty,
        }.Where(pair => pair.Value.Length > 0)));

    /// <summary>Sets a root-level <c>app_metadata</c> key of a user through the Management API, as an operator would.</summary>
    public async Task SetAppMetadataAsync(string userId, string key, JsonNode? value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(userId)}")
        {
            Content = JsonContent.Create(new JsonObject { ["app_metadata"] = new JsonObject { [key] = value } }),
        };
        request.Headers.Authorization = new("Bearer", await ManagementTokenAsync());
        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task<string> ClientCredentialsAsync(string clientId, string secret, string audience)
    {
        using var response = await Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["audience"] = audience,
        }));
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        return json!["access_token"]!.GetValue<string>();
    }
}
