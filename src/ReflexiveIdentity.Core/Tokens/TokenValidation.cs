namespace ReflexiveIdentity.Tokens;

/// <summary>The outcome of validating an access token: the token, or why it was refused.</summary>
public sealed record TokenValidation
{
    private TokenValidation()
    {
    }

    /// <summary>The validated token, when valid.</summary>
    public AccessToken? Token { get; private init; }

    /// <summary>Why the token was refused, in words an operator can act on; null when valid.</summary>
    public string? Failure { get; private init; }

    /// <summary>True when the token passed every check.</summary>
    public bool IsValid => Token is not null;

    /// <summary>A valid token.</summary>
    public static TokenValidation Valid(AccessToken token) => new() { Token = token };

    /// <summary>A refused token and the reason.</summary>
    public static TokenValidation Refused(string failure) => new() { Failure = failure };
}

/// <summary>
/// Validates agent and operator access tokens from the Auth0 tenant: signature against the tenant's
/// JWKS, RS256 only, issuer, audience, lifetime, and a <c>scope</c> claim.
/// </summary>
public interface IAccessTokenValidator
{
    /// <summary>Validates <paramref name="token"/>; never throws for a bad token, only answers why.</summary>
    Task<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken);
}
