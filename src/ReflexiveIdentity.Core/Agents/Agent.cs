using System.Text.RegularExpressions;

namespace ReflexiveIdentity.Agents;

/// <summary>An agent as the service knows it: its principal, its current trust score and its status.</summary>
public sealed partial record Agent
{
    /// <summary>The score an agent starts with the first time it is seen.</summary>
    public const double InitialTrustScore = 100;

    /// <summary>The agent's id (<c>app_metadata.agent_id</c> in Auth0).</summary>
    public required string Id { get; init; }

    /// <summary>The Auth0 identity the agent was registered with.</summary>
    public required Principal Principal { get; init; }

    /// <summary>The service's authoritative trust score, 0..100.</summary>
    public required double TrustScore { get; init; }

    /// <summary>Active or quarantined.</summary>
    public required AgentStatus Status { get; init; }

    /// <summary>Scopes the immune response took away; they are denied until a restore.</summary>
    public IReadOnlyList<string> RevokedScopes { get; init; } = [];

    /// <summary>When the agent was first seen.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>When the record last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The head seq of the agent's chain when its score was last assessed (0: never).</summary>
    public long AssessedHeadSeq { get; init; }

    /// <summary>The components of the last assessment, with the evidence that drove them.</summary>
    public IReadOnlyList<Trust.TrustComponent> Breakdown { get; init; } = [];

    /// <summary>
    /// When decay alone will have moved the score of the last assessment by at least the policy's
    /// <c>trust.recovery_step</c> (or across the threshold), so a sweep recomputes the agent then even with nothing
    /// new in its chain. Null when decay cannot move it that far, and on records assessed before this was kept.
    /// </summary>
    public DateTimeOffset? RescoreAt { get; init; }

    /// <summary>What the identity provider (Auth0) holds for the agent as of the last sync; null before the first.</summary>
    public AgentTrustRecord? Published { get; init; }

    /// <summary>The record the identity provider should hold now.</summary>
    public AgentTrustRecord DesiredRecord() => new()
    {
        AgentId = Id,
        TrustScore = Math.Round(TrustScore, 0, MidpointRounding.AwayFromZero),
        Status = Status,
        RevokedScopes = RevokedScopes,
        Breakdown = Breakdown.Select(c => new TrustComponentSummary(c.Name, Math.Round(c.Penalty, 1))).ToList(),
    };

    /// <summary>
    /// The agent after an assessment: its new score and breakdown, its chain assessed up to <paramref name="headSeq"/>,
    /// to be recomputed by decay at <paramref name="rescoreAt"/>.
    /// </summary>
    public Agent Assessed(Trust.TrustAssessment assessment, long headSeq, DateTimeOffset? rescoreAt, DateTimeOffset now) =>
        this with { TrustScore = assessment.Score, Breakdown = assessment.Components, AssessedHeadSeq = headSeq, RescoreAt = rescoreAt, UpdatedAt = now };

    /// <summary>Quarantines the agent, taking <paramref name="criticalScopes"/> away; a quarantined agent stays so until restored.</summary>
    public Agent Quarantine(IEnumerable<string> criticalScopes, DateTimeOffset now) => this with
    {
        Status = AgentStatus.Quarantined,
        RevokedScopes = RevokedScopes.Union(criticalScopes, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        UpdatedAt = now,
    };

    /// <summary>Lifts a quarantine and gives every revoked scope back.</summary>
    public Agent Restore(DateTimeOffset now) => this with { Status = AgentStatus.Active, RevokedScopes = [], UpdatedAt = now };

    /// <summary>The agent once the identity provider holds <paramref name="record"/>.</summary>
    public Agent Synced(AgentTrustRecord record) => this with { Published = record };

    /// <summary>Registers an agent seen for the first time, at full trust.</summary>
    public static Agent Register(string id, Principal principal, DateTimeOffset now) => new()
    {
        Id = id,
        Principal = principal,
        TrustScore = InitialTrustScore,
        Status = AgentStatus.Active,
        RegisteredAt = now,
        UpdatedAt = now,
    };

    /// <summary>
    /// Whether <paramref name="id"/> is a usable agent id: 1 to 128 characters of letters, digits and
    /// <c>. _ - : @ |</c>, starting with a letter or digit. Ids starting with <c>$</c> are reserved for
    /// the service's own ledger chains.
    /// </summary>
    public static bool IsValidId(string? id) => id is not null && AgentIdPattern().IsMatch(id);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:@|\-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AgentIdPattern();
}
