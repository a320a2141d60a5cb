using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Tokens;

namespace ReflexiveIdentity.EndToEnd.Tests;

/// <summary>
/// The whole token path on loopback: agent_omega exchanges its refresh token with a rationale at the
/// local Auth0 tenant, the real post-login Action calls the real webhook, and the token it gets is
/// checked by the service's own validator and live-grant check.
/// </summary>
public sealed class AgentElevationTests : IAsyncLifetime
{
    private const string GoodRationale = """{"intent":"Generate operational report","reason":"Weekly ops review needs error rates per service","confidence":0.91}""";
    private ServiceHost host = null!;

    public async Task InitializeAsync() => host = await ServiceHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task RefreshWithRationale_TokenCarriesExactlyTheGrantedScopesAndTheElevationClaim()
    {
        var response = await host.Tenant.AgentTokenAsync("read.dataset generate.report", GoodRationale);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = await Validate(response);
        Assert.Equal(["read.dataset", "generate.report"], token.Scopes);
        Assert.Equal("auth0|agent_omega", token.Subject);
        var elevation = Assert.IsType<ElevationClaim>(token.Elevation);
        Assert.Equal(["generate.report"], elevation.Scopes);

        var grant = await Json(await host.GetAdminAsync($"/api/v1/grants/{elevation.GrantId}"));
        Assert.Equal("active", grant["status"]!.GetValue<string>());
        Assert.Equal("agent_omega", grant["agent_id"]!.GetValue<string>());
        var authorization = await Authorizer().AuthorizeAsync(RawToken, "generate.report", CancellationToken.None);
        Assert.Equal(ScopeAuthorizationCode.Authorized, authorization.Code);
    }

    [Fact]
    public async Task RefreshWithLowConfidence_TokenHasNoElevatedScope()
    {
        var response = await host.Tenant.AgentTokenAsync("read.dataset generate.report", GoodRationale.Replace("0.91", "0.2", StringComparison.Ordinal));

        var token = await Validate(response);
        Assert.Equal(["read.dataset"], token.Scopes);
        Assert.Null(token.Elevation);
        var authorization = await Authorizer().AuthorizeAsync(RawToken, "generate.report", CancellationToken.None);
        Assert.Equal(ScopeAuthorizationCode.ScopeMissing, authorization.Code);
    }

    [Fact]
    public async Task RefreshWithoutRationale_TokenHasNoElevatedScopeAndTheDenialIsRecorded()
    {
        var token = await Validate(await host.Tenant.AgentTokenAsync("read.dataset generate.report", null));

        Assert.Equal(["read.dataset"], token.Scopes);
        var decided = Assert.Single(await host.EntriesAsync(), e => e.Kind == "elevation_decided");
        Assert.Contains("\"missing_rationale\"", decided.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrustBelowThresholdInAuth0_TokenIsRefusedWithIntegrityCheckFailed()
    {
        await host.Tenant.SetAppMetadataAsync("auth0|agent_omega", "trust_score", 60);

        var response = await host.Tenant.AgentTokenAsync("read.dataset generate.report", GoodRationale);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await Json(response);
        Assert.Equal("access_denied", error["error"]!.GetValue<string>());
        Assert.Equal("Integrity check failed.", error["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevokedGrant_FailsTheLiveCheckAtOnceWhileTheTokenIsUnexpired()
    {
        var token = await Validate(await host.Tenant.AgentTokenAsync("read.dataset generate.report", GoodRationale));
        var grantId = token.Elevation!.GrantId;

        await host.Services.GetRequiredService<GrantRevocation>().RevokeAsync(grantId, "operator", "suspicious report volume", CancellationToken.None);

        Assert.True(token.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(30));
        var authorization = await Authorizer().AuthorizeAsync(RawToken, "generate.report", CancellationToken.None);
        Assert.Equal(ScopeAuthorizationCode.GrantInactive, authorization.Code);
        Assert.Contains("revoked", authorization.Detail, StringComparison.Ordinal);
        var baseline = await Authorizer().AuthorizeAsync(RawToken, "read.dataset", CancellationToken.None);
        Assert.True(baseline.IsAuthorized);
        Assert.Contains(await host.EntriesAsync(), e => e.Kind == "grant_revoked" && e.ChainId == "agent_omega");
    }

    [Fact]
    public async Task WebhookDown_TokenComesWithoutElevatedScopes()
    {
        await using var tenant = await LocalTenant.StartAsync($"http://127.0.0.1:{LocalTenant.FreePort()}/api/v1/elevations", ServiceHost.Secret);

        var response = await tenant.AgentTokenAsync("read.dataset generate.report", GoodRationale);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Json(response);
        Assert.Equal("read.dataset", json["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task MachineAgentWithRationale_GetsTheElevatedScopeAndWithoutOneIsRefused()
    {
        var granted = await ClientCredentials("generate.report", GoodRationale);
        var refused = await ClientCredentials("generate.report", null);

        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        var token = await Validate(granted);
        Assert.Equal("agent_sigma@clients", token.Subject);
        Assert.Equal(["generate.report"], token.Elevation!.Scopes);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal("invalid_scope", (await Json(refused))["error"]!.GetValue<string>());
    }

    private string RawToken { get; set; } = string.Empty;

    private ScopeAuthorizer Authorizer() => host.Services.GetRequiredService<ScopeAuthorizer>();

    private async Task<AccessToken> Validate(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RawToken = (await Json(response))["access_token"]!.GetValue<string>();
        var validation = await host.Services.GetRequiredService<IAccessTokenValidator>().ValidateAsync(RawToken, CancellationToken.None);
        Assert.True(validation.IsValid, validation.Failure);
        return validation.Token!;
    }

    private Task<HttpResponseMessage> ClientCredentials(string scope, string? rationale)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "agent_sigma",
            ["client_secret"] = "LOCAL-ONLY-agent-sigma-secret-never-use-outside-the-emulator",
            ["audience"] = LocalTenant.Audience,
            ["scope"] = scope,
        };
        if (rationale is not null)
        {
            form["rationale"] = rationale;
        }

        return host.Tenant.Client.PostAsync("oauth/token", new FormUrlEncodedContent(form));
    }

    private static async Task<JsonObject> Json(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;
}
