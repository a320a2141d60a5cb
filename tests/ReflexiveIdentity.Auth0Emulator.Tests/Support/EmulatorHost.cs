using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;

namespace ReflexiveIdentity.Auth0Emulation.Tests.Support;

/// <summary>A started emulator on a free loopback port and an HttpClient for it.</summary>
internal sealed class EmulatorHost : IAsyncDisposable
{
    public const string AgentsApi = "https://reflexive-identity/agents";
    public const string ManagementClientId = "reflexive-management";
    public const string ManagementSecret = "LOCAL-ONLY-reflexive-management-secret-never-use-outside-the-emulator";
    public const string SigmaSecret = "LOCAL-ONLY-agent-sigma-secret-never-use-outside-the-emulator";
    public const string OperatorSecret = "LOCAL-ONLY-reflexive-operator-secret-never-use-outside-the-emulator";
    public const string OmegaRefreshToken = "rt_agent_omega_local";
    public const string OmegaUserId = "auth0|agent_omega";

    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app)
    {
        _app = app;
        Issuer = Auth0Emulator.GetIssuer(app);
        Http = new HttpClient { BaseAddress = new Uri(Issuer) };
    }

    public string Issuer { get; }

    public string ManagementAudience => Issuer + "api/v2/";

    public HttpClient Http { get; }

    public static async Task<EmulatorHost> StartAsync(Action<Auth0EmulatorOptions>? configure = null)
    {
        var options = new Auth0EmulatorOptions { SeedPath = RepoPaths.SampleSeed };
        configure?.Invoke(options);
        var app = Auth0Emulator.Build(options);
        await app.StartAsync();
        return new EmulatorHost(app);
    }

    public Task<HttpResponseMessage> PostFormAsync(string path, params (string Name, string Value)[] fields) =>
        Http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    public Task<HttpResponseMessage> TokenAsync(params (string Name, string Value)[] fields) => PostFormAsync("oauth/token", fields);

    public Task<HttpResponseMessage> RefreshAsync(string? scope = null, string? rationale = null, string refreshToken = OmegaRefreshToken)
    {
        var fields = new List<(string, string)> { ("grant_type", "refresh_token"), ("client_id", "agent-omega-app"), ("refresh_token", refreshToken) };
        if (scope is not null)
        {
            fields.Add(("scope", scope));
        }

        if (rationale is not null)
        {
            fields.Add(("rationale", rationale));
        }

        return TokenAsync([.. fields]);
    }

    public async Task<string> ManagementTokenAsync(string clientId = ManagementClientId, string secret = ManagementSecret)
    {
        using var response = await TokenAsync(
            ("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret), ("audience", ManagementAudience));
        var body = await ReadJsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body["access_token"]!.GetValue<string>();
    }

    public async Task<HttpResponseMessage> ManagementAsync(HttpMethod method, string path, string? token, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return await Http.SendAsync(request);
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path.TrimStart('/'), UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await ReadJsonAsync(response);
    }

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonNode>())!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
