using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReflexiveIdentity.Auth0Emulation.Tokens;

/// <summary>What an access token says, before it is signed.</summary>
internal sealed record AccessTokenContent(
    string Subject,
    string Audience,
    string AuthorizedParty,
    IReadOnlyList<string> Scopes,
    string? GrantType,
    JsonObject CustomClaims);

internal enum TokenCheckStatus
{
    Valid,
    Invalid,
    Expired,
    WrongAudience,
}

/// <summary>The outcome of checking a bearer token: its scopes when valid, the audience it had when that was wrong.</summary>
internal sealed record TokenCheck(TokenCheckStatus Status, string? Audience, IReadOnlyList<string> Scopes);

/// <summary>Signs Auth0-shaped RS256 tokens and validates the ones it signed.</summary>
internal sealed class TokenIssuer(SigningKeys keys, TenantAddress address, TimeProvider time, TimeSpan lifetime)
{
    /// <summary>Claims an Action may not set: Auth0 ignores them too.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "iss", "sub", "aud", "iat", "exp", "nbf", "azp", "scope", "gty", "jti", "permissions", "auth_time", "nonce", "acr", "amr",
    };

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public int LifetimeSeconds => (int)lifetime.TotalSeconds;

    public string IssueAccessToken(AccessTokenContent content)
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sub"] = content.Subject,
            ["azp"] = content.AuthorizedParty,
            ["scope"] = string.Join(' ', content.Scopes),
        };
        if (content.GrantType is not null)
        {
            claims["gty"] = content.GrantType;
        }

        AddCustomClaims(claims, content.CustomClaims);
        return Sign(content.Audience, claims);
    }

    public string IssueIdToken(string subject, string clientId, IReadOnlyDictionary<string, object> profile, JsonObject customClaims)
    {
        var claims = new Dictionary<string, object>(profile, StringComparer.Ordinal) { ["sub"] = subject };
        AddCustomClaims(claims, customClaims);
        return Sign(clientId, claims);
    }

    /// <summary>Validates a token this tenant issued for <paramref name="audience"/>; expiry is judged by the tenant's clock.</summary>
    public async Task<TokenCheck> ValidateAsync(string token, string audience)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = address.Issuer,
            ValidAudience = audience,
            IssuerSigningKey = keys.Key,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateLifetime = false,
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return result.Exception is SecurityTokenInvalidAudienceException
                ? new TokenCheck(TokenCheckStatus.WrongAudience, string.Join(' ', new JsonWebToken(token).Audiences), [])
                : new TokenCheck(TokenCheckStatus.Invalid, null, []);
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (jwt.ValidTo <= time.GetUtcNow().UtcDateTime)
        {
            return new TokenCheck(TokenCheckStatus.Expired, null, []);
        }

        var scope = jwt.TryGetPayloadValue<string>("scope", out var s) ? s : null;
        return new TokenCheck(TokenCheckStatus.Valid, null, TokenScopes.Split(scope));
    }

    private static void AddCustomClaims(Dictionary<string, object> claims, JsonObject custom)
    {
        foreach (var (name, value) in custom)
        {
            if (value is not null && !Reserved.Contains(name))
            {
                claims[name] = JsonSerializer.SerializeToElement(value, EmulatorJsonContext.Default.JsonNode);
            }
        }
    }

    private string Sign(string audience, Dictionary<string, object> claims)
    {
        var now = time.GetUtcNow();
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = address.Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = keys.Credentials,
        });
    }
}
