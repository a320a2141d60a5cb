using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ReflexiveIdentity.Tokens;

namespace ReflexiveIdentity.Adapters.Tokens;

/// <summary>
/// Validates Auth0 access tokens with Microsoft.IdentityModel: signing keys from the tenant's JWKS via
/// its OpenID configuration (cached; fetched again once when a token names an unknown <c>kid</c>),
/// RS256 only, issuer, audience, <c>exp</c>/<c>nbf</c> with 30 s skew, and a <c>scope</c> claim.
/// </summary>
public sealed class JwksAccessTokenValidator : IAccessTokenValidator, IDisposable
{
    /// <summary>The largest token accepted.</summary>
    public const int MaxTokenBytes = 16 * 1024;

    /// <summary>The clock skew allowed on <c>exp</c> and <c>nbf</c>.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The least time between two JWKS fetches caused by unknown kids.</summary>
    public static readonly TimeSpan RefetchInterval = TimeSpan.FromSeconds(30);

    private readonly TokenValidationSettings settings;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> configuration;
    private readonly HttpDocumentRetriever retriever;
    private readonly SemaphoreSlim refetchLock = new(1, 1);
    private ICollection<SecurityKey>? refetchedKeys;
    private DateTimeOffset lastRefetch = DateTimeOffset.MinValue;
    private readonly TimeProvider time;
    private readonly JsonWebTokenHandler handler = new() { MaximumTokenSizeInBytes = MaxTokenBytes, MapInboundClaims = false };

    /// <summary>Creates the validator; <paramref name="http"/> fetches the OpenID configuration and JWKS.</summary>
    public JwksAccessTokenValidator(TokenValidationSettings settings, HttpClient http, TimeProvider time)
    {
        this.settings = settings;
        this.time = time;
        var loopbackHttp = settings.Authority.Scheme == Uri.UriSchemeHttp && settings.Authority.IsLoopback;
        retriever = new HttpDocumentRetriever(http) { RequireHttps = !loopbackHttp };
        configuration = new ConfigurationManager<OpenIdConnectConfiguration>(settings.MetadataAddress.AbsoluteUri, new OpenIdConnectConfigurationRetriever(), retriever);
    }

    /// <inheritdoc />
    public void Dispose() => refetchLock.Dispose();

    /// <inheritdoc />
    public async Task<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length > MaxTokenBytes)
        {
            return TokenValidation.Refused($"The token is larger than {MaxTokenBytes} bytes.");
        }

        OpenIdConnectConfiguration metadata;
        try
        {
            metadata = await configuration.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            return TokenValidation.Refused($"The tenant's signing keys could not be fetched from {settings.MetadataAddress} ({ex.GetBaseException().Message}).");
        }

        var keys = Keys(metadata);
        var result = await handler.ValidateTokenAsync(token, Parameters(keys)).ConfigureAwait(false);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException
            && await RefetchKeysAsync(cancellationToken).ConfigureAwait(false) is { } fresh)
        {
            // The tenant may have rotated its keys: with the JWKS fetched again, retry once.
            result = await handler.ValidateTokenAsync(token, Parameters(fresh)).ConfigureAwait(false);
        }

        return result.IsValid ? Read(result.ClaimsIdentity, (JsonWebToken)result.SecurityToken) : TokenValidation.Refused(Describe(result.Exception));
    }

    private ICollection<SecurityKey> Keys(OpenIdConnectConfiguration metadata) =>
        refetchedKeys is { } fresh ? [.. metadata.SigningKeys, .. fresh] : metadata.SigningKeys;

    /// <summary>
    /// Fetches the JWKS again after a token named an unknown kid, at most once per
    /// <see cref="RefetchInterval"/>, so a flood of tokens with made-up kids is not a flood of fetches.
    /// </summary>
    private async Task<ICollection<SecurityKey>?> RefetchKeysAsync(CancellationToken cancellationToken)
    {
        await refetchLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            if (now - lastRefetch < RefetchInterval)
            {
                return null;
            }

            lastRefetch = now;
            var metadata = await OpenIdConnectConfigurationRetriever.GetAsync(settings.MetadataAddress.AbsoluteUri, retriever, cancellationToken).ConfigureAwait(false);
            refetchedKeys = metadata.SigningKeys;
            configuration.RequestRefresh();
            return metadata.SigningKeys;
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            return null;
        }
        finally
        {
            refetchLock.Release();
        }
    }

    private TokenValidationParameters Parameters(ICollection<SecurityKey> keys) => new()
    {
        ValidIssuer = settings.Issuer,
        ValidAudience = settings.Audience,
        IssuerSigningKeys = keys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateIssuerSigningKey = true,
        ClockSkew = ClockSkew,
        LifetimeValidator = ValidateLifetime,
        TryAllIssuerSigningKeys = false,
    };

    // The library reads the wall clock; this keeps lifetime checks on the injected TimeProvider.
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no exp claim.");
        }

        if (notBefore is { } nbf && nbf > now + ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("nbf is in the future.") { NotBefore = nbf };
        }

        if (expires.Value < now - ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }

        return true;
    }

    private TokenValidation Read(ClaimsIdentity identity, JsonWebToken jwt)
    {
        var scope = identity.FindFirst("scope")?.Value;
        if (scope is null)
        {
            return TokenValidation.Refused("The token has no scope claim.");
        }

        var subject = identity.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            return TokenValidation.Refused("The token has no sub claim.");
        }

        ElevationClaim? elevation = null;
        if (identity.FindFirst(settings.ClaimNamespace + "elevation") is { } claim && !TryReadElevation(claim.Value, out elevation))
        {
            return TokenValidation.Refused($"The claim {settings.ClaimNamespace}elevation is not {{grant_id, scopes, exp}}.");
        }

        return TokenValidation.Valid(new AccessToken
        {
            Subject = subject,
            ClientId = identity.FindFirst("azp")?.Value,
            Scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Elevation = elevation,
            ExpiresAt = jwt.ValidTo == DateTime.MinValue ? DateTimeOffset.MinValue : new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero),
        });
    }

    private static bool TryReadElevation(string json, out ElevationClaim? elevation)
    {
        elevation = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("grant_id", out var grantId) || grantId.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("scopes", out var scopes) || scopes.ValueKind != JsonValueKind.Array
                || !root.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expSeconds)
                || scopes.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
            {
                return false;
            }

            elevation = new ElevationClaim(grantId.GetString()!, scopes.EnumerateArray().Select(s => s.GetString()!).ToList(), DateTimeOffset.FromUnixTimeSeconds(expSeconds));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet (nbf is in the future).",
        SecurityTokenInvalidIssuerException => "The token's issuer is not this tenant.",
        SecurityTokenInvalidAudienceException => "The token's audience is not this API.",
        SecurityTokenInvalidAlgorithmException => "The token is not signed with RS256.",
        SecurityTokenSignatureKeyNotFoundException => "The token's signing key (kid) is not in the tenant's JWKS.",
        SecurityTokenInvalidSignatureException => "The token's signature does not verify.",
        SecurityTokenNoExpirationException => "The token has no exp claim.",
        SecurityTokenMalformedException or ArgumentException => "The token is not a well-formed JWT.",
        null => "The token is invalid.",
        _ => $"The token is invalid ({exception.GetType().Name}).",
    };
}
