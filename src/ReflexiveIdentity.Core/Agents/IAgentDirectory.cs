namespace ReflexiveIdentity.Agents;

/// <summary>
/// The identity provider's record of agents (Auth0): where trust scores and quarantines are written so
/// that the next token issuance sees them. Users keep it in <c>app_metadata</c>, M2M clients in
/// <c>client_metadata</c> (strings).
/// </summary>
public interface IAgentDirectory
{
    /// <summary>Writes the agent's trust score, status, revoked scopes and breakdown.</summary>
    Task PublishTrustAsync(Principal principal, AgentTrustRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Takes scopes away from the agent in the identity provider: a user's permissions on the API, or the
    /// scopes of an M2M client's grant for the API. Removing a scope the agent does not hold is not an error.
    /// </summary>
    Task RevokeScopesAsync(Principal principal, IReadOnlyList<string> scopes, CancellationToken cancellationToken);

    /// <summary>Gives scopes back (the reverse of <see cref="RevokeScopesAsync"/>); adding a held scope is not an error.</summary>
    Task RestoreScopesAsync(Principal principal, IReadOnlyList<string> scopes, CancellationToken cancellationToken);
}

/// <summary>What the directory records about an agent's integrity.</summary>
public sealed record AgentTrustRecord
{
    /// <summary>The agent's id (<c>agent_id</c> in the metadata).</summary>
    public required string AgentId { get; init; }

    /// <summary>The trust score, 0..100, rounded as published.</summary>
    public required double TrustScore { get; init; }

    /// <summary>Active or quarantined.</summary>
    public required AgentStatus Status { get; init; }

    /// <summary>Scopes taken away by the immune response.</summary>
    public required IReadOnlyList<string> RevokedScopes { get; init; }

    /// <summary>Each score component and its penalty, for operators reading the record in Auth0.</summary>
    public required IReadOnlyList<TrustComponentSummary> Breakdown { get; init; }

    /// <summary>True when the directory would hold the same values (lists compared by content).</summary>
    public bool SameAs(AgentTrustRecord? other) =>
        other is not null
        && AgentId == other.AgentId
        && TrustScore.Equals(other.TrustScore)
        && Status == other.Status
        && RevokedScopes.SequenceEqual(other.RevokedScopes, StringComparer.Ordinal)
        && Breakdown.SequenceEqual(other.Breakdown);
}

/// <summary>One component of the trust score as published.</summary>
/// <param name="Name">The component, e.g. <c>repetitive_retries</c>.</param>
/// <param name="Penalty">Points it takes off the score.</param>
public sealed record TrustComponentSummary(string Name, double Penalty);
