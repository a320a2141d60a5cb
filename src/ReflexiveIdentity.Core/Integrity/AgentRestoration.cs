using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Policy;
using ReflexiveIdentity.Trust;

namespace ReflexiveIdentity.Integrity;

/// <summary>Why a restore was refused, or that it happened.</summary>
public enum RestoreResult
{
    /// <summary>The quarantine was lifted and the scopes given back.</summary>
    Restored,

    /// <summary>No such agent.</summary>
    AgentNotFound,

    /// <summary>The agent is not quarantined.</summary>
    NotQuarantined,

    /// <summary>The agent's score, recomputed now, is still below <c>restore_at</c>.</summary>
    ScoreBelowRestoreAt,
}

/// <summary>The outcome of a restore: the result, the recomputed score, and what was given back.</summary>
public sealed record RestoreOutcome(RestoreResult Result, double TrustScore, double RestoreAt, IReadOnlyList<string> RestoredScopes, int DirectoryCalls);

/// <summary>
/// Lifts a quarantine (operator action): only once the agent's score, recomputed now, is at or above
/// <c>restore_at</c>; gives the revoked scopes back in the ledger and the identity provider, and records
/// who and why.
/// </summary>
public sealed class AgentRestoration(ILedger ledger, TrustScorer scorer, PolicyDocument policy, ImmuneResponse immune, TimeProvider time)
{
    /// <summary>Restores <paramref name="agentId"/> on behalf of <paramref name="restoredBy"/> for <paramref name="reason"/>.</summary>
    public async Task<RestoreOutcome> RestoreAsync(string agentId, string restoredBy, string reason, CancellationToken cancellationToken)
    {
        var agent = await ledger.GetAgentAsync(agentId, cancellationToken).ConfigureAwait(false);
        if (agent is null)
        {
            return new RestoreOutcome(RestoreResult.AgentNotFound, 0, policy.RestoreAt, [], 0);
        }

        if (agent.Status != AgentStatus.Quarantined)
        {
            return new RestoreOutcome(RestoreResult.NotQuarantined, agent.TrustScore, policy.RestoreAt, [], 0);
        }

        var now = time.GetUtcNow();
        var chain = await ledger.ReadChainAsync(agentId, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        var (assessment, rescoreAt) = scorer.Outlook(agentId, chain, now, immune.MovedFor(AgentStatus.Active));
        if (assessment.Score < policy.RestoreAt)
        {
            return new RestoreOutcome(RestoreResult.ScoreBelowRestoreAt, assessment.Score, policy.RestoreAt, [], 0);
        }

        var restored = agent.Assessed(assessment, chain.Count == 0 ? 0 : chain[^1].Seq, rescoreAt, now).Restore(now);
        await ledger.AppendAsync(
            new LedgerAppend
            {
                ChainId = IntegrityChains.For(agentId),
                Kind = LedgerEntryKind.AgentRestored,
                OccurredAt = now,
                RecordedAt = now,
                Payload = LedgerJsonContext.Serialize(new AgentRestoredPayload(agentId, assessment.Score, agent.RevokedScopes, restoredBy, reason)),
                Agent = restored,
            },
            cancellationToken).ConfigureAwait(false);
        var calls = await immune.SyncAsync(restored, cancellationToken).ConfigureAwait(false);
        return new RestoreOutcome(RestoreResult.Restored, assessment.Score, policy.RestoreAt, agent.RevokedScopes, calls);
    }
}
