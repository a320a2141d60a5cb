using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Integrity;

/// <summary>What a <c>trust_recomputed</c> entry holds: the score, its components and the agent chain head it covers.</summary>
public sealed record TrustRecomputedPayload(string AgentId, double TrustScore, double PreviousScore, long HeadSeq, IReadOnlyList<ComponentRecord> Components);

/// <summary>One component as recorded: its penalty and the entries that drove it.</summary>
public sealed record ComponentRecord(string Name, double Penalty, IReadOnlyList<string> Evidence, string Detail);

/// <summary>What an <c>agent_quarantined</c> entry holds.</summary>
public sealed record AgentQuarantinedPayload(string AgentId, double TrustScore, double Threshold, IReadOnlyList<string> RevokedScopes, IReadOnlyList<string> RevokedGrants, IReadOnlyList<string> Components);

/// <summary>What an <c>agent_restored</c> entry holds: who lifted the quarantine and why.</summary>
public sealed record AgentRestoredPayload(string AgentId, double TrustScore, IReadOnlyList<string> RestoredScopes, string RestoredBy, string Reason);

/// <summary>What a <c>directory_synced</c> entry holds: what the identity provider now has.</summary>
public sealed record DirectorySyncedPayload(string AgentId, double TrustScore, string Status, IReadOnlyList<string> RevokedScopes, IReadOnlyList<string> ScopesRemoved, IReadOnlyList<string> ScopesRestored);
