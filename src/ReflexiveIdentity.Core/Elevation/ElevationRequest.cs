using ReflexiveIdentity.Agents;

namespace ReflexiveIdentity.Elevation;

/// <summary>An agent's request, relayed by the Auth0 Action, for temporary elevated scopes.</summary>
public sealed record ElevationRequest
{
    /// <summary>The agent asking.</summary>
    public required string AgentId { get; init; }

    /// <summary>The Auth0 identity the Action saw.</summary>
    public required Principal Principal { get; init; }

    /// <summary>The trust score Auth0 holds for the agent, if the Action sent one; the lower of it and the service's score counts.</summary>
    public double? ReportedTrustScore { get; init; }

    /// <summary>The scopes requested, baseline and elevated, in request order without duplicates.</summary>
    public required IReadOnlyList<string> RequestedScopes { get; init; }

    /// <summary>The API the token is for.</summary>
    public string? Audience { get; init; }

    /// <summary>The agent's rationale; null when it gave none.</summary>
    public Rationale? Rationale { get; init; }

    /// <summary>Where the request came from (trigger, client, ip, transaction), recorded as given.</summary>
    public ElevationContext? Context { get; init; }
}

/// <summary>Context the Action passes along; recorded, never used to decide.</summary>
public sealed record ElevationContext(string? Trigger, string? ClientId, string? Ip, string? TransactionId);
