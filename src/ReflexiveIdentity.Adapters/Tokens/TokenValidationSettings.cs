namespace ReflexiveIdentity.Adapters.Tokens;

/// <summary>Where tokens come from and whom they are for.</summary>
public sealed record TokenValidationSettings
{
    /// <summary>The claim namespace the Actions use (their <c>CLAIM_NAMESPACE</c> secret).</summary>
    public const string DefaultClaimNamespace = "https://reflexive-identity/";

    /// <summary>The tenant's base URL with a trailing slash; it is also the expected <c>iss</c>.</summary>
    public required Uri Authority { get; init; }

    /// <summary>The API identifier the token's <c>aud</c> must contain.</summary>
    public required string Audience { get; init; }

    /// <summary>The prefix of the elevation claim (<c>{namespace}elevation</c>).</summary>
    public string ClaimNamespace { get; init; } = DefaultClaimNamespace;

    /// <summary>The expected issuer, <c>https://{domain}/</c>.</summary>
    public string Issuer => Authority.AbsoluteUri;

    /// <summary>The OpenID configuration document.</summary>
    public Uri MetadataAddress => new(Authority, ".well-known/openid-configuration");
}
