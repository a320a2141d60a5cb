namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>An M2M client's authorization for an API: the scopes it may get with client credentials.</summary>
public sealed record ClientGrant
{
    /// <summary>The grant's id, e.g. <c>cgr_...</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The client the grant belongs to.</summary>
    public required string ClientId { get; init; }

    /// <summary>The API's identifier.</summary>
    public required string Audience { get; init; }

    /// <summary>The granted scopes.</summary>
    public required IReadOnlyList<string> Scope { get; init; }
}
