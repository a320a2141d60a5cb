using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Policy;
using ReflexiveIdentity.Trust;

namespace ReflexiveIdentity.Omega;

/// <summary>What agent_omega concluded about its own integrity before a stage.</summary>
/// <param name="TrustScore">The lower of the recorded score and a fresh assessment of its own chain.</param>
/// <param name="Status">Its recorded status.</param>
/// <param name="HaltReason">Why it must stop, or null when it may go on.</param>
public sealed record AgentStanding(double TrustScore, AgentStatus Status, string? HaltReason);

/// <summary>
/// agent_omega's look at itself: its recorded status and score, and the same trust scorer the sweep
/// uses run over its own chain now, so evidence the sweep has not yet seen (failures, retries, denials)
/// stops it before the immune response has to.
/// </summary>
public sealed class AgentSelfAssessment(ILedger ledger, TrustScorer scorer, PolicyDocument policy, TimeProvider time)
{
    /// <summary>Assesses <paramref name="agentId"/>, counting <paramref name="failures"/> in the running job against <paramref name="maxFailures"/>.</summary>
    public async Task<AgentStanding> AssessAsync(string agentId, int failures, int maxFailures, CancellationToken cancellationToken)
    {
        var agent = await ledger.GetAgentAsync(agentId, cancellationToken).ConfigureAwait(false);
        var chain = await ledger.ReadChainAsync(agentId, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        var assessed = scorer.Assess(agentId, chain, time.GetUtcNow()).Score;
        var score = Math.Min(agent?.TrustScore ?? 100, assessed);
        var status = agent?.Status ?? AgentStatus.Active;
        var threshold = policy.TrustThreshold;
        var reason = status == AgentStatus.Quarantined ? "agent_quarantined: the immune response quarantined this agent"
            : score < threshold ? $"trust_below_threshold: own trust {score:0.#} is below {threshold:0.#}"
            : failures >= maxFailures ? $"repeated_failures: {failures} failed attempts in this job (limit {maxFailures})"
            : null;
        return new AgentStanding(score, status, reason);
    }
}
