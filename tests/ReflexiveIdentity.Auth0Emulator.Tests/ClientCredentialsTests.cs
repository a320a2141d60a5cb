using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ReflexiveIdentity.Auth0Emulation.Tests.Support;

namespace ReflexiveIdentity.Auth0Emulation.Tests;

public sealed class ClientCredentialsTests(ActionlessEmulatorFixture fixture) : IClassFixture<ActionlessEmulatorFixture>
{
    private EmulatorHost Emulator => fixture.Host;

    [Fact]
    public async Task ClientCredentials_ManagementClientWithActions_IssuesAuth0ShapedTokenThatValidatesAgainstJwks()
    {
        await using var emulator = await EmulatorHost.StartAsync();

        using var response = await emulator.TokenAsync(
            ("grant_type", "client_credentials"),
            ("client_id", EmulatorHost.ManagementClientId),
            ("client_secret", EmulatorHost.ManagementSecret),
            ("audience", emulator.ManagementAudience));
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(3600, body["expires_in"]!.GetValue<int>());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var token = await TokenAssertions.ValidateAsync(emulator, body["access_token"]!.GetValue<string>(), emulator.ManagementAudience);
        Assert.Equal("RS256", token.Alg);
        Assert.Equal(emulator.Issuer, token.Issuer);
        Assert.Equal("reflexive-management@clients", token.Subject);
        Assert.Equal("client-credentials", token.GetClaim("gty").Value);
        Assert.Equal("reflexive-management", token.GetClaim("azp").Value);
        Assert.Equal(3600, (token.ValidTo - token.IssuedAt).TotalSeconds);
        Assert.Contains("update:users", TokenAssertions.Scopes(token));
        Assert.Equal(body["scope"]!.GetValue<string>(), token.GetClaim("scope").Value);
    }

    [Fact]
    public async Task ClientCredentials_ScopeRequested_NarrowsToTheClientGrant()
    {
        using var response = await Emulator.TokenAsync(
            ("grant_type", "client_credentials"), ("client_id", "agent_sigma"), ("client_secret", EmulatorHost.SigmaSecret),
            ("audience", EmulatorHost.AgentsApi), ("scope", "read.dataset reflexive:admin"));
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("read.dataset", body["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClientCredentials_NoScopeRequested_GetsEveryScopeOfTheGrant()
    {
        using var response = await Emulator.TokenAsync(
            ("grant_type", "client_credentials"), ("client_id", "agent_sigma"), ("client_secret", EmulatorHost.SigmaSecret), ("audience", EmulatorHost.AgentsApi));
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal("read.dataset generate.report share.output", body["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClientCredentials_NoAudience_UsesTheDefaultAudience()
    {
        using var response = await Emulator.TokenAsync(
            ("grant_type", "client_credentials"), ("client_id", "reflexive-operator"), ("client_secret", EmulatorHost.OperatorSecret));
        var body = await EmulatorHost.ReadJsonAsync(response);

        var token = await TokenAssertions.ValidateAsync(Emulator, body["access_token"]!.GetValue<string>(), EmulatorHost.AgentsApi);
        Assert.Equal(["reflexive:admin"], TokenAssertions.Scopes(token));
    }

    [Fact]
    public async Task ClientCredentials_JsonBodyWithBasicAuthentication_IsAccepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("oauth/token", UriKind.Relative))
        {
            Content = new StringContent(
                new JsonObject { ["grant_type"] = "client_credentials", ["audience"] = EmulatorHost.AgentsApi }.ToJsonString(),
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"reflexive-operator:{EmulatorHost.OperatorSecret}")));

        using var response = await Emulator.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string[], HttpStatusCode, string, string> MalformedRequests() => new()
    {
        { ["client_id", "agent_sigma"], HttpStatusCode.BadRequest, "invalid_request", "Missing required parameter: grant_type" },
        { ["grant_type", "password", "client_id", "agent_sigma"], HttpStatusCode.BadRequest, "unsupported_grant_type", "Unsupported grant type: password" },
        { ["grant_type", "client_credentials", "client_secret", "x"], HttpStatusCode.BadRequest, "invalid_request", "Missing required parameter: client_id" },
        { ["grant_type", "client_credentials", "client_id", "agent_sigma", "client_secret", "wrong"], HttpStatusCode.Unauthorized, "access_denied", "Unauthorized" },
        { ["grant_type", "client_credentials", "client_id", "agent_sigma"], HttpStatusCode.Unauthorized, "access_denied", "Unauthorized" },
        { ["grant_type", "client_credentials", "client_id", "no-such-client", "client_secret", "x"], HttpStatusCode.Unauthorized, "access_denied", "Unauthorized" },
        { ["grant_type", "client_credentials", "client_id", "agent-omega-app"], HttpStatusCode.Forbidden, "unauthorized_client", "Grant type 'client_credentials' not allowed for the client." },
        { ["grant_type", "client_credentials", "client_id", "agent_sigma", "client_secret", EmulatorHost.SigmaSecret, "audience", "https://nowhere/"], HttpStatusCode.Forbidden, "access_denied", "Service not found: https://nowhere/" },
        { ["grant_type", "refresh_token", "client_id", "agent-omega-app"], HttpStatusCode.BadRequest, "invalid_request", "Missing required parameter: refresh_token" },
        { ["grant_type", "refresh_token", "client_id", "agent-omega-app", "refresh_token", "rt_unknown"], HttpStatusCode.Forbidden, "invalid_grant", "Unknown or invalid refresh token." },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task TokenRequest_Malformed_AnswersWithAuth0Error(string[] fields, HttpStatusCode status, string error, string description)
    {
        using var response = await Emulator.TokenAsync([.. fields.Chunk(2).Select(f => (f[0], f[1]))]);
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(error, body["error"]!.GetValue<string>());
        Assert.Equal(description, body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClientCredentials_ClientWithoutGrantForAudience_IsDenied()
    {
        using var response = await Emulator.TokenAsync(
            ("grant_type", "client_credentials"), ("client_id", "reflexive-operator"), ("client_secret", EmulatorHost.OperatorSecret),
            ("audience", Emulator.ManagementAudience));
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("access_denied", body["error"]!.GetValue<string>());
        Assert.StartsWith($"Client is not authorized to access \"{Emulator.ManagementAudience}\".", body["error_description"]!.GetValue<string>());
    }
}
