using ReflexiveIdentity.Agents;

namespace ReflexiveIdentity.Elevation;

/// <summary>What the ledger says about an agent at the moment of a request.</summary>
public sealed record AgentStanding
{
    /// <summary>The trust score to decide with: the lower of the service's and the one Auth0 reported.</summary>
    public required double TrustScore { get; init; }

    /// <summary>Active or quarantined.</summary>
    public required AgentStatus Status { get; init; }

    /// <summary>Scopes the immune response revoked.</summary>
    public required IReadOnlyList<string> RevokedScopes { get; init; }

    /// <summary>Elevation requests the agent made within the rate-limit window, this one excluded.</summary>
    public required int RecentRequests { get; init; }

    /// <summary>Grants the agent holds that are neither expired nor revoked.</summary>
    public required int ActiveGrants { get; init; }
}
