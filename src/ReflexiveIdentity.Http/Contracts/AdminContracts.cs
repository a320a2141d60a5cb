namespace ReflexiveIdentity.Http.Contracts;

/// <summary>An agent as <c>GET /api/v1/agents</c> shows it.</summary>
public sealed record AgentBody
{
    /// <summary>The agent's id.</summary>
    public required string AgentId { get; init; }

    /// <summary>Its Auth0 identity.</summary>
    public required PrincipalBody Principal { get; init; }

    /// <summary>The service's trust score.</summary>
    public required double TrustScore { get; init; }

    /// <summary><c>active</c> or <c>quarantined</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Scopes taken away by the immune response.</summary>
    public required IReadOnlyList<string> RevokedScopes { get; init; }

    /// <summary>Grants neither expired nor revoked.</summary>
    public required IReadOnlyList<GrantBody> ActiveGrants { get; init; }

    /// <summary>The trust score's components as last assessed: penalty and the ledger entries that drove it.</summary>
    public required IReadOnlyList<TrustComponentBody> Components { get; init; }

    /// <summary>First seen.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>Last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The list of agents.</summary>
public sealed record AgentListBody(IReadOnlyList<AgentBody> Agents);

/// <summary>A grant and its state now.</summary>
public sealed record GrantBody
{
    /// <summary>The grant id.</summary>
    public required string GrantId { get; init; }

    /// <summary>The agent holding it.</summary>
    public required string AgentId { get; init; }

    /// <summary>The elevated scopes.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary><c>active</c>, <c>expired</c> or <c>revoked</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Issued.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>Expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Revoked, if it was.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Why it was revoked.</summary>
    public string? RevocationReason { get; init; }
}

/// <summary>The result of <c>GET /api/v1/ledger/verify</c>.</summary>
public sealed record LedgerVerificationBody(bool Intact, IReadOnlyList<ChainVerificationBody> Chains);

/// <summary>One chain's verification.</summary>
public sealed record ChainVerificationBody(string ChainId, bool Intact, long VerifiedEntries, string? HeadHash, BrokenEntryBody? FirstBroken);

/// <summary>The first broken entry of a chain.</summary>
public sealed record BrokenEntryBody(string EntryId, long Seq, string Problem);

/// <summary>The result of <c>GET /api/health</c>.</summary>
public sealed record HealthBody(string Status, IReadOnlyDictionary<string, HealthCheckBody> Checks);

/// <summary>One dependency's health.</summary>
public sealed record HealthCheckBody(string Status, string Detail);

/// <summary>One component of an agent's trust score.</summary>
public sealed record TrustComponentBody(string Name, double Penalty, IReadOnlyList<string> Evidence, string Detail);

/// <summary>Body of <c>POST /api/v1/agents/{agent_id}/restore</c>.</summary>
public sealed record RestoreRequestBody(string? Reason);

/// <summary>The answer of a restore.</summary>
public sealed record RestoreBody(string AgentId, string Status, double TrustScore, IReadOnlyList<string> RestoredScopes, bool WrittenToAuth0);
