using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReflexiveIdentity.Auth0Emulation.Tests.Support;

namespace ReflexiveIdentity.Auth0Emulation.Tests;

/// <summary>
/// The repository's real post-login and credentials-exchange Actions, run by the emulator against a
/// loopback webhook stub that checks their signature and answers allow, deny or block.
/// </summary>
public sealed class RealActionTests
{
    private const string Rationale = """{"intent":"Generate operational report","reason":"Weekly ops review needs error rates per service","confidence":0.91}""";

    private static Task<EmulatorHost> StartAsync(WebhookStub webhook) => EmulatorHost.StartAsync(o =>
    {
        o.ActionSecrets["WEBHOOK_URL"] = webhook.Url;
        o.ActionSecrets["WEBHOOK_SECRET"] = WebhookStub.Secret;
    });

    [Fact]
    public async Task PostLogin_WebhookAllowsOneElevatedScope_TokenCarriesItAndTheElevationClaim()
    {
        await using var webhook = await WebhookStub.StartAsync(_ => WebhookStub.Allow("generate.report"));
        await using var emulator = await StartAsync(webhook);

        using var response = await emulator.RefreshAsync("read.dataset generate.report share.output", Rationale);
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = await TokenAssertions.ValidateAsync(emulator, body["access_token"]!.GetValue<string>(), EmulatorHost.AgentsApi);
        Assert.Equal(["read.dataset", "generate.report"], TokenAssertions.Scopes(token));
        var elevation = token.GetPayloadValue<JsonElement>("https://reflexive-identity/elevation");
        Assert.Equal("grt_test", elevation.GetProperty("grant_id").GetString());
        Assert.Equal(["generate.report"], elevation.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var request = Assert.Single(webhook.Requests);
        Assert.Equal("agent_omega", request["agent_id"]!.GetValue<string>());
        Assert.Equal("""{"type":"user","id":"auth0|agent_omega"}""", request["principal"]!.ToJsonString());
        Assert.Equal("""["generate.report","share.output"]""", request["requested_scopes"]!.ToJsonString());
        Assert.Equal(0.91, request["rationale"]!["confidence"]!.GetValue<double>());
        Assert.Equal("post-login", request["context"]!["trigger"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostLogin_WebhookBlocks_Returns403IntegrityCheckFailed()
    {
        await using var webhook = await WebhookStub.StartAsync(_ => WebhookStub.Decision("block"));
        await using var emulator = await StartAsync(webhook);

        using var response = await emulator.RefreshAsync("read.dataset generate.report", Rationale);
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("access_denied", body["error"]!.GetValue<string>());
        Assert.Equal("Integrity check failed.", body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostLogin_WebhookDenies_ElevatedScopesRemovedBaselineIssued()
    {
        await using var webhook = await WebhookStub.StartAsync(_ => WebhookStub.Decision("deny"));
        await using var emulator = await StartAsync(webhook);

        using var response = await emulator.RefreshAsync("read.dataset generate.report", Rationale);
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("read.dataset", body["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostLogin_TrustScoreLoweredThroughManagementApi_NextTokenBlockedWithoutAskingTheWebhook()
    {
        await using var webhook = await WebhookStub.StartAsync(_ => WebhookStub.Allow("generate.report"));
        await using var emulator = await StartAsync(webhook);
        var management = await emulator.ManagementTokenAsync();

        using var patched = await emulator.ManagementAsync(HttpMethod.Patch, "api/v2/users/auth0%7Cagent_omega", management,
            new JsonObject { ["app_metadata"] = new JsonObject { ["trust_score"] = 40 } });
        using var response = await emulator.RefreshAsync("read.dataset", Rationale);
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Integrity check failed.", body["error_description"]!.GetValue<string>());
        Assert.Empty(webhook.Requests);
    }

    [Fact]
    public async Task CredentialsExchange_WebhookDenies_Returns400InvalidScope()
    {
        await using var webhook = await WebhookStub.StartAsync(_ => WebhookStub.Decision("deny"));
        await using var emulator = await StartAsync(webhook);

        using var response = await emulator.TokenAsync(
            ("grant_type", "client_credentials"), ("client_id", "agent_sigma"), ("client_secret", EmulatorHost.SigmaSecret),
            ("audience", EmulatorHost.AgentsApi), ("scope", "read.dataset share.output"), ("rationale", Rationale));
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_scope", body["error"]!.GetValue<string>());
        Assert.Contains("share.output", body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
        var request = Assert.Single(webhook.Requests);
        Assert.Equal("""{"type":"client","id":"agent_sigma"}""", request["principal"]!.ToJsonString());
        Assert.Equal(100, request["trust_score"]!.GetValue<int>());
    }

    [Fact]
    public async Task CredentialsExchange_WebhookAllows_TokenCarriesTheElevationClaim()
    {
        await using var webhook = await WebhookStub.StartAsync(_ => WebhookStub.Allow("generate.report", "share.output"));
        await using var emulator = await StartAsync(webhook);

        using var response = await emulator.TokenAsync(
            ("grant_type", "client_credentials"), ("client_id", "agent_sigma"), ("client_secret", EmulatorHost.SigmaSecret),
            ("audience", EmulatorHost.AgentsApi), ("rationale", Rationale));
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = await TokenAssertions.ValidateAsync(emulator, body["access_token"]!.GetValue<string>(), EmulatorHost.AgentsApi);
        Assert.Equal("agent_sigma@clients", token.Subject);
        Assert.Equal(["read.dataset", "generate.report", "share.output"], TokenAssertions.Scopes(token));
        Assert.Equal("grt_test", token.GetPayloadValue<JsonElement>("https://reflexive-identity/elevation").GetProperty("grant_id").GetString());
    }
}
