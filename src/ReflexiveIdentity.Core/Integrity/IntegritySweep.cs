using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Telemetry;

namespace ReflexiveIdentity.Integrity;

/// <summary>
/// The scheduled sweep (timer function, <c>reflexive sweep --once</c>, and the CLI host's schedule): verify
/// every chain, assess every agent whose chain has new evidence (ledger writes only), then sync the
/// identity provider, agents losing scopes first so revocations land while the rate-limit budget lasts.
/// </summary>
public sealed class IntegritySweep(ILedger ledger, LedgerVerifier verifier, ImmuneResponse immune, TimeProvider time)
{
    /// <summary>Runs one sweep.</summary>
    public async Task<SweepReport> RunAsync(CancellationToken cancellationToken)
    {
        using var activity = ReflexiveTelemetry.StartSweep();
        try
        {
            var report = await SweepAsync(cancellationToken).ConfigureAwait(false);
            activity?.SetTag("reflexive.chains_verified", report.ChainsVerified);
            activity?.SetTag("reflexive.broken_chains", report.BrokenChains.Count);
            activity?.SetTag("reflexive.agents_assessed", report.Responses.Count(r => r.Assessed));
            return report;
        }
        catch (Exception ex)
        {
            ReflexiveTelemetry.Fail(activity, ex);
            throw;
        }
    }

    private async Task<SweepReport> SweepAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var verification = await verifier.VerifyAsync(null, cancellationToken).ConfigureAwait(false);
        var broken = verification.Where(v => !v.IsIntact).ToDictionary(v => v.ChainId, v => v.FirstBroken!, StringComparer.Ordinal);
        var heads = verification.ToDictionary(v => v.ChainId, v => v.VerifiedEntries, StringComparer.Ordinal);

        var agents = await ledger.ListAgentsAsync(cancellationToken).ConfigureAwait(false);
        var responses = new List<AgentResponse>();
        var standing = new List<(Agents.Agent Agent, AgentResponse Response)>();
        foreach (var agent in agents)
        {
            if (broken.TryGetValue(agent.Id, out var brokenEntry))
            {
                // Evidence from a tampered chain cannot be scored; the verification names the entry.
                responses.Add(new AgentResponse { AgentId = agent.Id, PreviousScore = agent.TrustScore, Score = agent.TrustScore, Skipped = $"chain broken at {brokenEntry.EntryId}: {brokenEntry.Problem}" });
                continue;
            }

            var (current, response) = await immune.AssessAsync(agent.Id, heads.GetValueOrDefault(agent.Id), cancellationToken).ConfigureAwait(false);
            standing.Add((current ?? agent, response));
        }

        // Agents whose scopes must go are synced first.
        foreach (var (agent, response) in standing.OrderByDescending(s => s.Agent.RevokedScopes.Count - (s.Agent.Published?.RevokedScopes.Count ?? 0)).ThenBy(s => s.Agent.Id, StringComparer.Ordinal))
        {
            var calls = await immune.SyncAsync(agent, cancellationToken).ConfigureAwait(false);
            if (response.Assessed || calls > 0)
            {
                responses.Add(response with { Synced = calls > 0, DirectoryCalls = calls });
            }
        }

        return new SweepReport
        {
            StartedAt = started,
            ChainsVerified = verification.Count,
            BrokenChains = broken.Select(b => $"{b.Key}: first broken entry {b.Value.EntryId} ({b.Value.Problem})").ToList(),
            Agents = agents.Count,
            Responses = responses,
            DirectoryConnected = immune.DirectoryConnected,
        };
    }
}
