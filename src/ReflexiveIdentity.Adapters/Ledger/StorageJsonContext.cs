using System.Text.Json.Serialization;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Trust;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>
/// The integrity state the immune response keeps on an agent record, stored as one JSON value by both
/// ledgers: the chain head last assessed, the breakdown, what the identity provider holds, and when decay alone
/// will have moved the score (absent on records written before it was kept: it reads as null).
/// </summary>
internal sealed record AgentIntegrityState(long AssessedHeadSeq, IReadOnlyList<TrustComponent> Breakdown, AgentTrustRecord? Published, DateTimeOffset? RescoreAt = null)
{
    // Evidence lists are capped (the newest ids kept) so a row stays well inside Table storage's property limits.
    private const int MaxEvidencePerComponent = 20;

    public static AgentIntegrityState Of(Agent agent) => new(
        agent.AssessedHeadSeq,
        agent.Breakdown.Select(c => c.Evidence.Count <= MaxEvidencePerComponent ? c : c with { Evidence = c.Evidence.TakeLast(MaxEvidencePerComponent).ToList() }).ToList(),
        agent.Published,
        agent.RescoreAt);

    public Agent ApplyTo(Agent agent) => agent with { AssessedHeadSeq = AssessedHeadSeq, Breakdown = Breakdown, Published = Published, RescoreAt = RescoreAt };
}

/// <summary>Source-generated JSON for the list and state columns both ledgers store.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(AgentIntegrityState))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
