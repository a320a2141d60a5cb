using System.Text.Json;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Core.Tests.Trust;

/// <summary>Builds a real, hash-chained agent chain entry by entry, the way the service appends them.</summary>
internal sealed class AgentChain(string agentId = AgentChain.Omega)
{
    public const string Omega = "agent_omega";

    private readonly List<LedgerEntry> entries = [];

    public IReadOnlyList<LedgerEntry> Entries => entries;

    public LedgerEntry Append(LedgerEntryKind kind, DateTimeOffset at, string payload)
    {
        var entry = LedgerChain.Next(
            entries.Count == 0 ? null : entries[^1],
            new LedgerAppend { ChainId = agentId, Kind = kind, OccurredAt = at, RecordedAt = at, Payload = payload });
        entries.Add(entry);
        return entry;
    }

    public LedgerEntry Registered(DateTimeOffset at) =>
        Append(LedgerEntryKind.AgentRegistered, at, LedgerJsonContext.Serialize(new AgentRegisteredPayload(new PrincipalRecord("user", $"auth0|{agentId}"), 100)));

    public LedgerEntry Event(string kind, DateTimeOffset at, string? scope = null, string? detailJson = null) =>
        Append(LedgerEntryKind.EventRecorded, at, LedgerJsonContext.Serialize(new EventRecordedPayload
        {
            Kind = kind,
            Scope = scope,
            Outcome = "success",
            Detail = detailJson is null ? null : JsonDocument.Parse(detailJson).RootElement.Clone(),
            Source = "api",
        }));

    public LedgerEntry Stage(string scope, DateTimeOffset at, string? jobId = null) =>
        Event(AgentEventKinds.StageStarted, at, scope, jobId is null ? null : $$"""{"job_id":"{{jobId}}"}""");

    public LedgerEntry Retry(DateTimeOffset at) => Event(AgentEventKinds.Retry, at, detailJson: """{"of":"GET /logs"}""");

    public LedgerEntry ApiCall(DateTimeOffset at) => Event(AgentEventKinds.ApiCall, at, detailJson: """{"endpoint":"/logs"}""");

    public LedgerEntry TokenFailure(DateTimeOffset at) => Event(AgentEventKinds.TokenVerificationFailed, at, detailJson: """{"reason":"signature"}""");

    public LedgerEntry Signal(DateTimeOffset at, double severity) =>
        Append(LedgerEntryKind.SignalRecorded, at, LedgerJsonContext.Serialize(new SignalRecordedPayload("peer-consensus", "compromise_suspected", severity, "two peers disagree")));

    public LedgerEntry Rejected(DateTimeOffset at) =>
        Append(LedgerEntryKind.RequestRejected, at, LedgerJsonContext.Serialize(new RequestRejectedPayload
        {
            Route = "POST /api/v1/elevations",
            Status = 422,
            Code = "invalid_field",
            Detail = "confidence must be between 0 and 1",
            BodySha256 = new string('a', 64),
            BodyBytes = 120,
        }));

    public LedgerEntry Allow(DateTimeOffset at, string scope, TimeSpan ttl) =>
        Decision(at, "allow", granted: [scope], denied: [], reasons: ["policy_satisfied"], verdict: "consistent", confidence: 0.9, expiresAt: at + ttl);

    /// <summary>A deny of <paramref name="scope"/> for <paramref name="code"/>, judged the way the policy judge does.</summary>
    public LedgerEntry Deny(DateTimeOffset at, string scope, string code, double confidence, string verdict = "consistent", string decision = "deny") =>
        Decision(at, decision, granted: [], denied: [(scope, code)], reasons: [code], verdict, confidence, expiresAt: null);

    public LedgerEntry Decision(
        DateTimeOffset at,
        string decision,
        IReadOnlyList<string> granted,
        IReadOnlyList<(string Scope, string Code)> denied,
        IReadOnlyList<string> reasons,
        string verdict,
        double confidence,
        DateTimeOffset? expiresAt) =>
        Append(LedgerEntryKind.ElevationDecided, at, LedgerJsonContext.Serialize(new ElevationDecidedPayload
        {
            Decision = decision,
            GrantId = decision == "allow" ? "grt_aaaaaaaaaaaaaaaaaaaaaaaaaa" : null,
            GrantedScopes = granted,
            DeniedScopes = denied.Select(d => new ScopeDenialRecord(d.Scope, d.Code, "denied")).ToList(),
            ExpiresAt = expiresAt,
            TrustScore = 100,
            Reasons = reasons.Select(code => new ReasonRecord(code, "why")).ToList(),
            Judge = new JudgeRecord("policy", verdict),
            RequestedScopes = [.. granted, .. denied.Select(d => d.Scope)],
            Principal = new PrincipalRecord("user", $"auth0|{agentId}"),
            Rationale = new RationaleRecord("Generate operational report", "Weekly ops review needs error rates per service", confidence),
            BodySha256 = new string('b', 64),
        }));
}
