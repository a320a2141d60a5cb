namespace ReflexiveIdentity.Http.Contracts;

/// <summary>What <c>GET /api/v1/dashboard</c> answers: every agent as it stands now and the latest ledger entries.</summary>
public sealed record DashboardBody
{
    /// <summary>When the snapshot was taken.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The policy's trust threshold: below it an agent is quarantined.</summary>
    public required double TrustThreshold { get; init; }

    /// <summary>Every registered agent, ordered by id.</summary>
    public required IReadOnlyList<DashboardAgentBody> Agents { get; init; }

    /// <summary>The latest ledger entries of every agent (its own chain and its integrity chain), newest first.</summary>
    public required IReadOnlyList<TimelineEntryBody> Timeline { get; init; }
}

/// <summary>One agent on the dashboard.</summary>
public sealed record DashboardAgentBody
{
    /// <summary>The agent's id.</summary>
    public required string AgentId { get; init; }

    /// <summary>The service's trust score.</summary>
    public required double TrustScore { get; init; }

    /// <summary><c>active</c> or <c>quarantined</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Every scope of the policy and whether the agent holds it now.</summary>
    public required IReadOnlyList<ScopeStateBody> Scopes { get; init; }

    /// <summary>Grants neither expired nor revoked.</summary>
    public required IReadOnlyList<GrantBody> ActiveGrants { get; init; }

    /// <summary>The agent's score over time, oldest first: its registration, then every recomputation (the latest ones).</summary>
    public required IReadOnlyList<TrustPointBody> TrustHistory { get; init; }
}

/// <summary>A policy scope as one agent holds it.</summary>
public sealed record ScopeStateBody
{
    /// <summary>The scope, e.g. <c>generate.report</c>.</summary>
    public required string Scope { get; init; }

    /// <summary>Whether the immune response takes it away on quarantine.</summary>
    public required bool Critical { get; init; }

    /// <summary>Whether every token of the agent carries it without elevation.</summary>
    public required bool Baseline { get; init; }

    /// <summary>
    /// <c>held</c> (a baseline scope, or an elevated scope in an active grant), <c>revoked</c> (taken away by
    /// the immune response) or <c>not_held</c> (an elevated scope without an active grant).
    /// </summary>
    public required string State { get; init; }

    /// <summary>The active grant that holds an elevated scope, if one does.</summary>
    public string? GrantId { get; init; }
}

/// <summary>The agent's trust score at one moment.</summary>
public sealed record TrustPointBody(DateTimeOffset At, double TrustScore);

/// <summary>One ledger entry on the timeline, summarised.</summary>
public sealed record TimelineEntryBody
{
    /// <summary>The entry id, <c>chain/seq</c>.</summary>
    public required string EntryId { get; init; }

    /// <summary>When the recorded thing happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The agent the entry is about.</summary>
    public required string AgentId { get; init; }

    /// <summary>The entry kind's wire name, e.g. <c>elevation_decided</c>.</summary>
    public required string Kind { get; init; }

    /// <summary><c>allow</c>, <c>deny</c> or <c>block</c> for an elevation decision.</summary>
    public string? Decision { get; init; }

    /// <summary>
    /// Machine-readable reasons: a decision's reason and denial codes, a rejection's problem code, a
    /// signal's kind, the components that cost trust in a recomputation or drove a quarantine.
    /// </summary>
    public required IReadOnlyList<string> ReasonCodes { get; init; }

    /// <summary>The trust score the entry records or used, if any.</summary>
    public double? TrustScore { get; init; }

    /// <summary>A short human-readable summary (never a rationale, body or token).</summary>
    public required string Summary { get; init; }
}
