using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Reasoning;
using ReflexiveIdentity.Telemetry;

namespace ReflexiveIdentity.Elevation;

/// <summary>
/// Decides an elevation request end to end: replay check, agent registration, the agent's standing
/// from the ledger, the policy, the judge's review of what the policy allowed (it can only narrow), the
/// grant, and the ledger entry that records it all.
/// </summary>
public sealed class ElevationService(ILedger ledger, ElevationPolicy policy, RationaleReview review, IIntegrityTrigger integrity, TimeProvider time)
{
    /// <summary>How long a request id makes a request idempotent.</summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(10);

    private static readonly HashSet<ReasonCode> RationaleQualityCodes =
        [ReasonCode.MissingRationale, ReasonCode.IntentScopeMismatch, ReasonCode.ReasonTooVague];

    /// <summary>Decides <paramref name="request"/> and records the decision.</summary>
    /// <param name="request">The validated request.</param>
    /// <param name="requestId">The idempotency key, if the caller sent one.</param>
    /// <param name="bodySha256">SHA-256 of the raw body, to tell a replay from a reused id.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<ElevationOutcome> DecideAsync(ElevationRequest request, string? requestId, string bodySha256, CancellationToken cancellationToken)
    {
        // No replay pre-check: the append checks the request id atomically and returns the first answer.
        var now = time.GetUtcNow();
        var replayWindowStart = now - ReplayWindow;
        var activity = await ledger.GetAgentActivityAsync(request.AgentId, LedgerEntryKind.ElevationDecided, now - policy.Document.RateLimitWindow, now, cancellationToken).ConfigureAwait(false);
        var agent = activity.Agent ?? await RegisterAsync(request, now, cancellationToken).ConfigureAwait(false);
        var standing = new AgentStanding
        {
            TrustScore = Math.Min(agent.TrustScore, request.ReportedTrustScore ?? double.MaxValue),
            Status = agent.Status,
            RevokedScopes = agent.RevokedScopes,
            RecentRequests = activity.RecentEntries,
            ActiveGrants = activity.ActiveGrants,
        };

        ElevationDecision decision;
        using (var span = ReflexiveTelemetry.StartPolicy(request.AgentId, request.RequestedScopes))
        {
            decision = policy.Decide(request, standing);
            ReflexiveTelemetry.CompletePolicy(span, decision.Kind.ToString().ToLowerInvariant(), decision.Reasons.Select(r => r.Code.ToWire()));
        }

        var reviewed = await ReviewAsync(request, decision, cancellationToken).ConfigureAwait(false);
        if (reviewed is not null)
        {
            decision = policy.Narrow(decision, reviewed);
        }

        var grant = decision.Kind == DecisionKind.Allow ? Grant.Issue(agent.Id, decision.GrantedScopes, now, decision.GrantLifetime) : null;
        var record = Record(request, decision, reviewed, grant, bodySha256);

        var appended = await ledger.AppendAsync(
            new LedgerAppend
            {
                ChainId = agent.Id,
                Kind = LedgerEntryKind.ElevationDecided,
                OccurredAt = now,
                RecordedAt = now,
                Payload = LedgerJsonContext.Serialize(record),
                RequestId = requestId,
                ReplayWindowStart = replayWindowStart,
                Grant = grant,
            },
            cancellationToken).ConfigureAwait(false);

        if (appended.Replayed)
        {
            return Replay(appended.Entry, bodySha256);
        }

        if (decision.Kind != DecisionKind.Allow)
        {
            // A denial is evidence too: let the immune response look at the agent now.
            await integrity.EvidenceChangedAsync(agent.Id, cancellationToken).ConfigureAwait(false);
        }

        return new ElevationOutcome { Record = record, EntryId = appended.Entry.Id, Replayed = false };
    }

    /// <summary>The judge's review when the policy allowed something and a judge is configured; null otherwise.</summary>
    private async Task<RationaleReviewOutcome?> ReviewAsync(ElevationRequest request, ElevationDecision decision, CancellationToken cancellationToken)
    {
        if (!review.HasJudge || decision.Kind != DecisionKind.Allow || request.Rationale is null)
        {
            return null;
        }

        var recent = await ledger.ReadRecentAsync(request.AgentId, RecentActions.DefaultCount, cancellationToken).ConfigureAwait(false);
        var asked = new JudgeRequest(request.AgentId, request.Rationale, decision.GrantedScopes, RecentActions.Summarize(recent));
        using var span = ReflexiveTelemetry.StartJudge(review.JudgeKind, request.AgentId, decision.GrantedScopes.Count);
        var outcome = await review.ReviewAsync(asked, cancellationToken).ConfigureAwait(false);
        ReflexiveTelemetry.CompleteJudge(span, outcome?.VerdictName ?? "none", outcome?.KeptScopes.Count ?? 0);
        return outcome;
    }

    private async Task<Agent> RegisterAsync(ElevationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agent = Agent.Register(request.AgentId, request.Principal, now);
        await ledger.AppendAsync(
            new LedgerAppend
            {
                ChainId = agent.Id,
                Kind = LedgerEntryKind.AgentRegistered,
                OccurredAt = now,
                RecordedAt = now,
                Payload = LedgerJsonContext.Serialize(new AgentRegisteredPayload(ToRecord(agent.Principal), agent.TrustScore)),
                Agent = agent,
            },
            cancellationToken).ConfigureAwait(false);
        return agent;
    }

    private static ElevationOutcome Replay(LedgerEntry earlier, string bodySha256)
    {
        var record = LedgerJsonContext.Deserialize<ElevationDecidedPayload>(earlier.Payload);
        var reused = !string.Equals(record.BodySha256, bodySha256, StringComparison.Ordinal);
        return new ElevationOutcome { Record = record, EntryId = earlier.Id, Replayed = !reused, RequestIdReused = reused };
    }

    private static ElevationDecidedPayload Record(ElevationRequest request, ElevationDecision decision, RationaleReviewOutcome? reviewed, Grant? grant, string bodySha256) => new()
    {
        Decision = decision.Kind.ToString().ToLowerInvariant(),
        GrantId = grant?.Id,
        GrantedScopes = decision.GrantedScopes,
        DeniedScopes = decision.DeniedScopes.Select(d => new ScopeDenialRecord(d.Scope, d.Code.ToWire(), d.Detail)).ToList(),
        ExpiresAt = grant?.ExpiresAt,
        TrustScore = decision.TrustScore,
        ReportedTrustScore = request.ReportedTrustScore,
        Reasons = decision.Reasons.Select(r => new ReasonRecord(r.Code.ToWire(), r.Detail)).ToList(),
        Judge = reviewed is not null
            ? new JudgeRecord(reviewed.JudgeKind, reviewed.VerdictName)
            : new JudgeRecord("policy", decision.Reasons.Any(r => RationaleQualityCodes.Contains(r.Code)) ? "inconsistent" : "consistent"),
        RequestedScopes = request.RequestedScopes,
        Audience = request.Audience,
        Principal = ToRecord(request.Principal),
        Rationale = request.Rationale is { } r ? new RationaleRecord(r.Intent, r.Reason, r.Confidence) : null,
        Context = request.Context is { } c ? new ContextRecord(c.Trigger, c.ClientId, c.Ip, c.TransactionId) : null,
        BodySha256 = bodySha256,
    };

    private static PrincipalRecord ToRecord(Principal principal) => new(principal.Type.ToString().ToLowerInvariant(), principal.Id);
}
