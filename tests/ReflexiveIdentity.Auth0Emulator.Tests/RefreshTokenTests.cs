using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using ReflexiveIdentity.Auth0Emulation.Tests.Support;

namespace ReflexiveIdentity.Auth0Emulation.Tests;

/// <summary>The refresh-token grant with small Actions run by the real Node runtime.</summary>
public sealed class RefreshTokenTests : IDisposable
{
    private const string AllScopes = "read.dataset generate.report share.output";
    private const string Rationale = """{"intent":"Generate operational report","reason":"Weekly ops review needs error rates per service","confidence":0.91}""";

    private readonly ActionsSandbox _actions = new();

    public void Dispose() => _actions.Dispose();

    private Task<EmulatorHost> StartAsync(string postLogin, Action<Auth0EmulatorOptions>? configure = null)
    {
        _actions.With("test-post-login", postLogin);
        return EmulatorHost.StartAsync(o =>
        {
            o.Seed = TestSeeds.Sample(json => json["action_bindings"] = new JsonObject { ["post-login"] = new JsonArray("test-post-login") });
            o.ActionsRoot = _actions.Root;
            configure?.Invoke(o);
        });
    }

    private static async Task<JsonWebToken> AccessTokenAsync(EmulatorHost emulator, HttpResponseMessage response)
    {
        var body = await EmulatorHost.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return await TokenAssertions.ValidateAsync(emulator, body["access_token"]!.GetValue<string>(), EmulatorHost.AgentsApi);
    }

    [Fact]
    public async Task RefreshToken_ActionChangesToken_AddedRemovedScopesAndCustomClaimsApplied()
    {
        await using var emulator = await StartAsync("""
            exports.onExecutePostLogin = async (event, api) => {
              api.accessToken.removeScope('share.output');
              api.accessToken.addScope('reflexive:admin');
              api.accessToken.setCustomClaim('https://reflexive-identity/elevation', { grant_id: 'grt_1', scopes: ['generate.report'], exp: 1900000000 });
              api.accessToken.setCustomClaim('https://test/rationale', event.request.body.rationale);
              api.accessToken.setCustomClaim('iss', 'https://evil/');
            };
            """);

        using var response = await emulator.RefreshAsync(AllScopes, Rationale);
        var token = await AccessTokenAsync(emulator, response);

        Assert.Equal(["read.dataset", "generate.report", "reflexive:admin"], TokenAssertions.Scopes(token));
        Assert.Equal(EmulatorHost.OmegaUserId, token.Subject);
        Assert.Equal("agent-omega-app", token.GetClaim("azp").Value);
        Assert.False(token.TryGetClaim("gty", out _));
        Assert.Equal(emulator.Issuer, token.Issuer);
        var elevation = token.GetPayloadValue<JsonElement>("https://reflexive-identity/elevation");
        Assert.Equal("grt_1", elevation.GetProperty("grant_id").GetString());
        Assert.Equal("generate.report", elevation.GetProperty("scopes")[0].GetString());
        Assert.Equal(1900000000, elevation.GetProperty("exp").GetInt64());
        Assert.Equal(Rationale, token.GetPayloadValue<string>("https://test/rationale"));
    }

    [Fact]
    public async Task RefreshToken_PostLoginEvent_IsAuth0ShapedWithoutCredentials()
    {
        await using var emulator = await StartAsync("""
            exports.onExecutePostLogin = async (event, api) => {
              api.accessToken.setCustomClaim('https://test/event', {
                user_id: event.user.user_id,
                agent_id: event.user.app_metadata.agent_id,
                trust_score: event.user.app_metadata.trust_score,
                client_id: event.client.client_id,
                protocol: event.transaction.protocol,
                requested_scopes: event.transaction.requested_scopes,
                audience: event.resource_server.identifier,
                tenant: event.tenant.id,
                ip: event.request.ip,
                body_keys: Object.keys(event.request.body).sort(),
                secret: event.secrets.WEBHOOK_SECRET,
                threshold: event.secrets.TRUST_THRESHOLD,
                roles: event.authorization.roles,
              });
            };
            """,
            o => o.ActionSecrets["WEBHOOK_SECRET"] = "from-options");

        using var response = await emulator.RefreshAsync("read.dataset generate.report", Rationale);
        var token = await AccessTokenAsync(emulator, response);

        var seen = JsonNode.Parse(token.GetPayloadValue<JsonElement>("https://test/event").GetRawText())!;
        Assert.Equal(EmulatorHost.OmegaUserId, seen["user_id"]!.GetValue<string>());
        Assert.Equal("agent_omega", seen["agent_id"]!.GetValue<string>());
        Assert.Equal(100, seen["trust_score"]!.GetValue<int>());
        Assert.Equal("agent-omega-app", seen["client_id"]!.GetValue<string>());
        Assert.Equal("oauth2-refresh-token", seen["protocol"]!.GetValue<string>());
        Assert.Equal("""["read.dataset","generate.report"]""", seen["requested_scopes"]!.ToJsonString());
        Assert.Equal(EmulatorHost.AgentsApi, seen["audience"]!.GetValue<string>());
        Assert.Equal("reflexive-local", seen["tenant"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", seen["ip"]!.GetValue<string>());
        Assert.Equal("""["client_id","grant_type","rationale","scope"]""", seen["body_keys"]!.ToJsonString());
        Assert.Equal("from-options", seen["secret"]!.GetValue<string>());
        Assert.Equal("70", seen["threshold"]!.GetValue<string>());
        Assert.Equal("[]", seen["roles"]!.ToJsonString());
    }

    [Fact]
    public async Task RefreshToken_NoScopeRequested_ActionSeesTheRefreshTokensScopes()
    {
        await using var emulator = await StartAsync("""
            exports.onExecutePostLogin = async (event, api) => {
              api.accessToken.setCustomClaim('https://test/requested', event.transaction.requested_scopes);
            };
            """);

        using var response = await emulator.RefreshAsync();
        var token = await AccessTokenAsync(emulator, response);

        Assert.Equal(["read.dataset", "generate.report", "share.output", "reflexive:admin"], token.GetPayloadValue<string[]>("https://test/requested"));
        Assert.Equal(["read.dataset", "generate.report", "share.output"], TokenAssertions.Scopes(token));
    }

    [Fact]
    public async Task RefreshToken_ActionSetsAppMetadata_MergedIntoTheUser()
    {
        await using var emulator = await StartAsync("""
            exports.onExecutePostLogin = async (event, api) => {
              api.user.setAppMetadata('last_exchange', 'refresh');
            };
            """);

        using var response = await emulator.RefreshAsync("read.dataset");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var state = await emulator.GetJsonAsync("emulator/state");
        var metadata = state["users"]![0]!["app_metadata"]!;
        Assert.Equal("refresh", metadata["last_exchange"]!.GetValue<string>());
        Assert.Equal("agent_omega", metadata["agent_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task RefreshToken_ActionDenies_Returns403AccessDeniedWithTheActionsReason()
    {
        await using var emulator = await StartAsync("""
            exports.onExecutePostLogin = async (event, api) => {
              api.access.deny('Integrity check failed.');
            };
            """);

        using var response = await emulator.RefreshAsync(AllScopes, Rationale);
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("access_denied", body["error"]!.GetValue<string>());
        Assert.Equal("Integrity check failed.", body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task RefreshToken_ActionThrows_TokenDenied()
    {
        await using var emulator = await StartAsync("""
            exports.onExecutePostLogin = async () => { throw new Error('boom'); };
            """);

        using var response = await emulator.RefreshAsync("read.dataset");
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("access_denied", body["error"]!.GetValue<string>());
        var run = Assert.Single((await emulator.GetJsonAsync("emulator/actions")).AsArray())!;
        Assert.Contains("boom", run["failure"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshToken_ActionOutlivesTimeout_IsKilledAndTokenDenied()
    {
        // The Action never settles and keeps Node's event loop busy, so only the timeout ends it.
        await using var emulator = await StartAsync(
            """
            exports.onExecutePostLogin = () => new Promise(() => { setInterval(() => {}, 1000); });
            """,
            o => o.ActionTimeout = TimeSpan.FromMilliseconds(800));

        using var response = await emulator.RefreshAsync("read.dataset");
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("access_denied", body["error"]!.GetValue<string>());
        var run = Assert.Single((await emulator.GetJsonAsync("emulator/actions")).AsArray())!;
        Assert.Contains("did not finish", run["failure"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshToken_NodeCannotStart_TokenDenied()
    {
        await using var emulator = await StartAsync(
            "exports.onExecutePostLogin = async () => {};",
            o => o.NodePath = Path.Combine(_actions.Root, "no-such-node"));

        using var response = await emulator.RefreshAsync("read.dataset");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var run = Assert.Single((await emulator.GetJsonAsync("emulator/actions")).AsArray())!;
        Assert.StartsWith("Node could not be started", run["failure"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshToken_JsonBodyWithRationaleObject_ReachesTheActionAsAnObject()
    {
        await using var emulator = await StartAsync("""
            exports.onExecutePostLogin = async (event, api) => {
              api.accessToken.setCustomClaim('https://test/intent', event.request.body.rationale.intent);
            };
            """);

        using var response = await emulator.Http.PostAsync(
            new Uri("oauth/token", UriKind.Relative),
            new StringContent(
                new JsonObject
                {
                    ["grant_type"] = "refresh_token",
                    ["client_id"] = "agent-omega-app",
                    ["refresh_token"] = EmulatorHost.OmegaRefreshToken,
                    ["scope"] = "read.dataset",
                    ["rationale"] = JsonNode.Parse(Rationale),
                }.ToJsonString(),
                System.Text.Encoding.UTF8,
                "application/json"));
        var token = await AccessTokenAsync(emulator, response);

        Assert.Equal("Generate operational report", token.GetPayloadValue<string>("https://test/intent"));
    }
}
