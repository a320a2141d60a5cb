using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ReflexiveIdentity.Adapters.Tokens;

namespace ReflexiveIdentity.Adapters.Tests.Tokens;

/// <summary>The token validator against a loopback tenant: every malformed or forged token is refused with a clear reason.</summary>
public sealed class JwksAccessTokenValidatorTests : IDisposable
{
    private const string Audience = "https://reflexive-identity/agents";
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);
    private readonly RsaSecurityKey key = JwksServer.NewKey("key-1");
    private readonly JwksServer server;
    private readonly FakeTimeProvider time = new(Now);
    private readonly HttpClient http = new();
    private readonly JwksAccessTokenValidator validator;

    public JwksAccessTokenValidatorTests()
    {
        server = new JwksServer(key);
        validator = new JwksAccessTokenValidator(new TokenValidationSettings { Authority = server.Authority, Audience = Audience }, http, time);
    }

    public void Dispose()
    {
        http.Dispose();
        server.Dispose();
    }

    [Fact]
    public async Task Validate_WellFormedToken_ReadsSubjectScopesAndElevation()
    {
        var token = Create(claims: new Dictionary<string, object>
        {
            ["https://reflexive-identity/elevation"] = new Dictionary<string, object> { ["grant_id"] = "grt_abc", ["scopes"] = new[] { "generate.report" }, ["exp"] = Now.AddMinutes(15).ToUnixTimeSeconds() },
        });

        var result = await validator.ValidateAsync(token, CancellationToken.None);

        Assert.True(result.IsValid, result.Failure);
        Assert.Equal("auth0|agent_omega", result.Token!.Subject);
        Assert.Equal(["read.dataset", "generate.report"], result.Token.Scopes);
        Assert.Equal("grt_abc", result.Token.Elevation!.GrantId);
        Assert.Equal(["generate.report"], result.Token.Elevation.Scopes);
    }

    [Fact]
    public async Task Validate_AlgNone_IsRefused()
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode($$"""{"iss":"{{server.Authority}}","aud":"{{Audience}}","sub":"auth0|agent_omega","scope":"share.output","exp":{{Now.AddHours(1).ToUnixTimeSeconds()}}}""");

        await AssertRefused($"{header}.{payload}.", "not signed with RS256", "signature", "well-formed");
    }

    [Fact]
    public async Task Validate_Hs256SignedWithThePublicKey_IsRefused()
    {
        var publicKeyBytes = key.Rsa.ExportSubjectPublicKeyInfo();
        var forged = Create(signing: new SigningCredentials(new SymmetricSecurityKey(publicKeyBytes) { KeyId = "key-1" }, SecurityAlgorithms.HmacSha256));

        await AssertRefused(forged, "RS256", "signing key", "signature");
    }

    [Fact]
    public async Task Validate_UnknownKid_RefetchesTheJwksOnceThenRefuses()
    {
        var stranger = JwksServer.NewKey("someone-else");
        await validator.ValidateAsync(Create(), CancellationToken.None);
        var fetchesBefore = server.JwksFetches;

        await AssertRefused(Create(signing: new SigningCredentials(stranger, SecurityAlgorithms.RsaSha256)), "kid");

        Assert.Equal(fetchesBefore + 1, server.JwksFetches);
    }

    [Fact]
    public async Task Validate_TenantRotatedItsKey_AcceptsTheNewKeyAfterOneRefetch()
    {
        await validator.ValidateAsync(Create(), CancellationToken.None);
        var rotated = JwksServer.NewKey("key-2");
        server.Publish(key, rotated);

        var result = await validator.ValidateAsync(Create(signing: new SigningCredentials(rotated, SecurityAlgorithms.RsaSha256)), CancellationToken.None);

        Assert.True(result.IsValid, result.Failure);
    }

    [Fact]
    public async Task Validate_Expired_IsRefused() =>
        await AssertRefused(Create(notBefore: Now.AddHours(-2), expires: Now.AddSeconds(-31)), "expired");

    [Fact]
    public async Task Validate_ExpiredWithinSkew_IsAccepted() =>
        Assert.True((await validator.ValidateAsync(Create(notBefore: Now.AddHours(-2), expires: Now.AddSeconds(-29)), CancellationToken.None)).IsValid);

    [Fact]
    public async Task Validate_NotYetValid_IsRefused() =>
        await AssertRefused(Create(notBefore: Now.AddSeconds(31), expires: Now.AddHours(1)), "not valid yet");

    [Fact]
    public async Task Validate_WrongIssuer_IsRefused() =>
        await AssertRefused(Create(issuer: "https://evil.example/"), "issuer");

    [Fact]
    public async Task Validate_WrongAudience_IsRefused() =>
        await AssertRefused(Create(audience: "https://someone-else/api"), "audience");

    [Fact]
    public async Task Validate_TamperedPayload_IsRefused()
    {
        var parts = Create().Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("read.dataset generate.report", "share.output reflexive:admin", StringComparison.Ordinal);

        await AssertRefused($"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}", "signature");
    }

    [Fact]
    public async Task Validate_Oversized_IsRefused() =>
        await AssertRefused(Create(claims: new Dictionary<string, object> { ["padding"] = new string('x', 20_000) }), "larger than");

    [Fact]
    public async Task Validate_MissingScope_IsRefused() =>
        await AssertRefused(Create(scope: null), "no scope claim");

    [Fact]
    public async Task Validate_MalformedElevationClaim_IsRefused() =>
        await AssertRefused(Create(claims: new Dictionary<string, object> { ["https://reflexive-identity/elevation"] = "grt_abc" }), "elevation");

    [Fact]
    public async Task Validate_Garbage_IsRefused() =>
        await AssertRefused("not.a.jwt", "well-formed");

    private async Task AssertRefused(string token, params string[] anyOf)
    {
        var result = await validator.ValidateAsync(token, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.True(anyOf.Any(part => result.Failure!.Contains(part, StringComparison.Ordinal)), $"Unexpected reason: {result.Failure}");
    }

    private string Create(
        SigningCredentials? signing = null,
        string? issuer = null,
        string audience = Audience,
        string? scope = "read.dataset generate.report",
        DateTimeOffset? notBefore = null,
        DateTimeOffset? expires = null,
        Dictionary<string, object>? claims = null)
    {
        var payload = new Dictionary<string, object>(claims ?? []) { ["sub"] = "auth0|agent_omega", ["azp"] = "agent-omega-app" };
        if (scope is not null)
        {
            payload["scope"] = scope;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? server.Authority.AbsoluteUri,
            Audience = audience,
            IssuedAt = (notBefore ?? Now.AddMinutes(-1)).UtcDateTime,
            NotBefore = (notBefore ?? Now.AddMinutes(-1)).UtcDateTime,
            Expires = (expires ?? Now.AddHours(1)).UtcDateTime,
            Claims = payload,
            SigningCredentials = signing ?? new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
