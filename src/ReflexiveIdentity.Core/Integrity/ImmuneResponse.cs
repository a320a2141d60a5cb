using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Policy;
using ReflexiveIdentity.Telemetry;
using ReflexiveIdentity.Trust;

namespace ReflexiveIdentity.Integrity;

/// <summary>
/// The immune response for one agent: recompute the trust score when the agent's chain has new
/// evidence, or when decay alone has moved it by the policy's <c>trust.recovery_step</c> since the last
/// assessment (<see cref="Agent.RescoreAt"/>, worked out at that assessment, so the decision needs the agent's
/// record only); quarantine it below the threshold (critical scopes and active grants revoked, recorded
/// first in the ledger so the very next elevation is blocked), then bring the identity provider up to
/// date, revocations before anything else. Decay never lifts a quarantine: that stays an operator's restore.
/// Every step is idempotent, so a response that dies halfway is finished by the next one, and an agent with
/// nothing new and nothing material decayed costs no identity-provider call.
/// </summary>
public sealed class ImmuneResponse(
    ILedger ledger,
    TrustScorer scorer,
    PolicyDocument policy,
    GrantRevocation grants,
    IEnumerable<IAgentDirectory> directories,
    TimeProvider time)
{
    /// <summary>Who the ledger names as the actor of automatic responses.</summary>
    public const string Actor = "integrity-sweep";

    private readonly IAgentDirectory? directory = directories.FirstOrDefault();

    /// <summary>False when there is no identity provider to write to (local use without Auth0 management settings).</summary>
    public bool DirectoryConnected => directory is not null;

    /// <summary>Assesses (when there is new evidence) and syncs one agent.</summary>
    public async Task<AgentResponse> RespondAsync(string agentId, CancellationToken cancellationToken)
    {
        using var activity = ReflexiveTelemetry.StartRespond(agentId);
        try
        {
            var (agent, assessed) = await AssessAsync(agentId, knownHead: null, cancellationToken).ConfigureAwait(false);
            if (agent is null)
            {
                return assessed;
            }

            var calls = await SyncAsync(agent, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("reflexive.directory_calls", calls);
            return assessed with { Synced = calls > 0, DirectoryCalls = calls };
        }
        catch (Exception ex)
        {
            ReflexiveTelemetry.Fail(activity, ex);
            throw;
        }
    }

    /// <summary>
    /// Recomputes the agent's score when its chain head moved past what was last assessed (or when
    /// <paramref name="knownHead"/> is null and the chain must be read to tell), or when its
    /// <see cref="Agent.RescoreAt"/> has come (recorded only if decay moved the score by the recovery step or
    /// across the threshold), and quarantines it below the threshold. Writes only to the ledger. Returns the
    /// agent as it now stands (null when unregistered).
    /// </summary>
    public async Task<(Agent? Agent, AgentResponse Response)> AssessAsync(string agentId, long? knownHead, CancellationToken cancellationToken)
    {
        var agent = await ledger.GetAgentAsync(agentId, cancellationToken).ConfigureAwait(false);
        if (agent is null)
        {
            return (null, new AgentResponse { AgentId = agentId, Skipped = "not registered: the agent has never asked for an elevation, so its Auth0 principal is unknown" });
        }

        var unchanged = new AgentResponse { AgentId = agentId, PreviousScore = agent.TrustScore, Score = agent.TrustScore };
        var now = time.GetUtcNow();
        var decayDue = DecayDue(agent, now);
        if (knownHead == agent.AssessedHeadSeq && !decayDue)
        {
            return (agent, unchanged);
        }

        var chain = await ledger.ReadChainAsync(agentId, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        var head = chain.Count == 0 ? 0 : chain[^1].Seq;
        var byDecay = head == agent.AssessedHeadSeq;
        if (byDecay && !decayDue)
        {
            return (agent, unchanged);
        }

        var (assessment, rescoreAt) = Outlook(agentId, agent.Status, chain, now);
        if (byDecay && !Moved(agent.Status, agent.TrustScore, assessment.Score))
        {
            // Drift below the step: nothing recorded, nothing published (a record from before RescoreAt was kept,
            // or a policy changed since, lands here until decay has moved the score far enough).
            return (agent, unchanged);
        }

        var updated = agent.Assessed(assessment, head, rescoreAt, now);
        await AppendAsync(
            LedgerEntryKind.TrustRecomputed,
            new TrustRecomputedPayload(agentId, assessment.Score, agent.TrustScore, head, assessment.Components.Select(c => new ComponentRecord(c.Name, c.Penalty, c.Evidence, c.Detail)).ToList()),
            updated,
            now,
            cancellationToken).ConfigureAwait(false);

        var quarantined = false;
        if (updated.Status == AgentStatus.Active && assessment.Score < policy.TrustThreshold)
        {
            updated = await QuarantineAsync(updated, assessment, now, cancellationToken).ConfigureAwait(false);
            quarantined = true;
        }

        ReflexiveTelemetry.RecordTrustScore(assessment.Score, updated.Status.ToString().ToLowerInvariant());

        return (updated, unchanged with { Assessed = true, ByDecay = byDecay, Score = assessment.Score, Quarantined = quarantined });
    }

    /// <summary>
    /// Whether a score recomputed by decay alone is worth recording and publishing, for an agent that is
    /// <paramref name="status"/>: the score as published (a whole number) moves by at least <c>trust.recovery_step</c>,
    /// or an active agent falls below the threshold. A quarantined agent stays quarantined whatever its score.
    /// </summary>
    internal Func<double, double, bool> MovedFor(AgentStatus status) => (from, to) => Moved(status, from, to);

    private TrustOutlook Outlook(string agentId, AgentStatus status, IReadOnlyList<LedgerEntry> chain, DateTimeOffset now) =>
        scorer.Outlook(agentId, chain, now, MovedFor(status));

    private bool Moved(AgentStatus status, double from, double to) =>
        Math.Abs(Published(to) - Published(from)) >= policy.Trust.RecoveryStep
        || (status == AgentStatus.Active && from >= policy.TrustThreshold && to < policy.TrustThreshold);

    /// <summary>
    /// Whether decay may have moved the agent's score enough to read its chain with nothing new in it: its
    /// <see cref="Agent.RescoreAt"/> has come; a record assessed before that was kept is due while it has a step to recover.
    /// </summary>
    private bool DecayDue(Agent agent, DateTimeOffset now) =>
        agent.RescoreAt is { } rescoreAt
            ? rescoreAt <= now
            : agent.AssessedHeadSeq > 0 && Moved(agent.Status, agent.TrustScore, Agent.InitialTrustScore);

    private static double Published(double score) => Math.Round(score, 0, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Brings the identity provider up to date with the agent's record: removes newly revoked scopes
    /// first, gives back restored ones, then writes score, status and breakdown; records the sync.
    /// Returns the number of identity-provider operations (0 when already in sync or not connected).
    /// </summary>
    public async Task<int> SyncAsync(Agent agent, CancellationToken cancellationToken)
    {
        var desired = agent.DesiredRecord();
        if (directory is null || desired.SameAs(agent.Published))
        {
            return 0;
        }

        var published = agent.Published?.RevokedScopes ?? [];
        var remove = desired.RevokedScopes.Except(published, StringComparer.Ordinal).ToList();
        var restore = published.Except(desired.RevokedScopes, StringComparer.Ordinal).ToList();
        var calls = 0;
        if (remove.Count > 0)
        {
            await directory.RevokeScopesAsync(agent.Principal, remove, cancellationToken).ConfigureAwait(false);
            calls++;
        }

        if (restore.Count > 0)
        {
            await directory.RestoreScopesAsync(agent.Principal, restore, cancellationToken).ConfigureAwait(false);
            calls++;
        }

        await directory.PublishTrustAsync(agent.Principal, desired, cancellationToken).ConfigureAwait(false);
        calls++;
        await AppendAsync(
            LedgerEntryKind.DirectorySynced,
            new DirectorySyncedPayload(agent.Id, desired.TrustScore, desired.Status.ToString().ToLowerInvariant(), desired.RevokedScopes, remove, restore),
            agent.Synced(desired),
            time.GetUtcNow(),
            cancellationToken).ConfigureAwait(false);
        return calls;
    }

    private async Task<Agent> QuarantineAsync(Agent agent, TrustAssessment assessment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var critical = policy.Scopes.Values.Where(rule => rule.Critical).Select(rule => rule.Name).ToList();
        var revoked = new List<string>();
        foreach (var grant in await ledger.ListActiveGrantsAsync(agent.Id, now, cancellationToken).ConfigureAwait(false))
        {
            await grants.RevokeAsync(grant.Id, Actor, $"quarantine: trust score {assessment.Score:0.##} below {policy.TrustThreshold:0.##}", IntegrityChains.For(agent.Id), cancellationToken).ConfigureAwait(false);
            revoked.Add(grant.Id);
        }

        var quarantined = agent.Quarantine(critical, now);
        var drivers = assessment.Components.Where(c => c.Penalty > 0).OrderByDescending(c => c.Penalty).Select(c => c.Name).ToList();
        await AppendAsync(
            LedgerEntryKind.AgentQuarantined,
            new AgentQuarantinedPayload(agent.Id, assessment.Score, policy.TrustThreshold, quarantined.RevokedScopes, revoked, drivers),
            quarantined,
            now,
            cancellationToken).ConfigureAwait(false);
        ReflexiveTelemetry.RecordRevocations(quarantined.RevokedScopes.Except(agent.RevokedScopes, StringComparer.Ordinal));
        return quarantined;
    }

    private Task<LedgerAppendResult> AppendAsync<T>(LedgerEntryKind kind, T payload, Agent agent, DateTimeOffset now, CancellationToken cancellationToken) =>
        ledger.AppendAsync(
            new LedgerAppend
            {
                ChainId = IntegrityChains.For(agent.Id),
                Kind = kind,
                OccurredAt = now,
                RecordedAt = now,
                Payload = LedgerJsonContext.Serialize(payload),
                Agent = agent,
            },
            cancellationToken);
}
