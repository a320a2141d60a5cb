namespace ReflexiveIdentity.Tokens;

/// <summary>What a validated access token says: who, for which client, with which scopes and elevation.</summary>
public sealed record AccessToken
{
    /// <summary>The <c>sub</c> claim: an Auth0 user id, or <c>client_id@clients</c> for M2M.</summary>
    public required string Subject { get; init; }

    /// <summary>The <c>azp</c> claim: the client the token was issued to, when present.</summary>
    public string? ClientId { get; init; }

    /// <summary>The space-separated <c>scope</c> claim, split.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>The elevation claim, when the token carries one.</summary>
    public ElevationClaim? Elevation { get; init; }

    /// <summary>The <c>exp</c> claim.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>The claim <c>https://reflexive-identity/elevation</c> = <c>{grant_id, scopes, exp}</c> the Action sets on an elevated token.</summary>
/// <param name="GrantId">The grant the webhook issued.</param>
/// <param name="Scopes">The elevated scopes it covers.</param>
/// <param name="ExpiresAt">The grant's expiry as the claim states it.</param>
public sealed record ElevationClaim(string GrantId, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);
