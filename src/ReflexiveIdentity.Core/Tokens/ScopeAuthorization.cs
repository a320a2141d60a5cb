namespace ReflexiveIdentity.Tokens;

/// <summary>Why a bearer token does or does not authorize an action.</summary>
public enum ScopeAuthorizationCode
{
    /// <summary>The token is valid and carries the scope (and, for an elevated scope, a live grant).</summary>
    Authorized,

    /// <summary>No bearer token was presented.</summary>
    TokenMissing,

    /// <summary>The token failed validation.</summary>
    TokenInvalid,

    /// <summary>The token is valid but lacks the scope.</summary>
    ScopeMissing,

    /// <summary>The scope is elevated and the token has no elevation claim covering it.</summary>
    ElevationMissing,

    /// <summary>The elevation's grant is revoked, expired, unknown, or not the token holder's.</summary>
    GrantInactive,
}

/// <summary>The answer of <see cref="ScopeAuthorizer"/>.</summary>
/// <param name="Code">Authorized, or why not.</param>
/// <param name="Detail">What exactly, for logs and problem details.</param>
/// <param name="Token">The validated token, when it was valid.</param>
public sealed record ScopeAuthorization(ScopeAuthorizationCode Code, string Detail, AccessToken? Token)
{
    /// <summary>True when the action may go ahead.</summary>
    public bool IsAuthorized => Code == ScopeAuthorizationCode.Authorized;
}
