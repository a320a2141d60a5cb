using Microsoft.Extensions.Time.Testing;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Integrity;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Policy;
using ReflexiveIdentity.Trust;

namespace ReflexiveIdentity.Core.Tests.Integrity;

/// <summary>
/// A quiet agent's score recovers as its penalties decay. One outside signal of severity 1 takes 20 points off,
/// halving every 24 h (the shipped policy); the first sweep runs 5 minutes after it (80.05, published as 80).
/// </summary>
public sealed class DecayRecoveryTests
{
    private const string Omega = "agent_omega";
    private static readonly DateTimeOffset SignalAt = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string IntegrityChain = IntegrityChains.For(Omega);

    private readonly FakeTimeProvider time = new(SignalAt - TimeSpan.FromDays(1));
    private readonly MemoryLedger ledger = new();
    private readonly RecordingDirectory directory = new();
    private readonly IntegritySweep sweep;

    public DecayRecoveryTests()
    {
        var policy = PolicyDocument.Default;
        var scorer = new TrustScorer(policy.Trust, policy.Scopes.Values.Where(r => r.Baseline).Select(r => r.Name));
        var immune = new ImmuneResponse(ledger, scorer, policy, new GrantRevocation(ledger, time), [directory], time);
        sweep = new IntegritySweep(ledger, new LedgerVerifier(ledger), immune, time);
    }

    [Fact]
    public async Task Sweep_AHalfLifeLaterWithNothingNew_RecordsTheRecoveredScoreAndPublishesItOnce()
    {
        await SweptAfterSignalsAsync(1);
        var recorded = ledger.Chain(IntegrityChain).Count;
        time.Advance(TimeSpan.FromDays(1));

        var recovered = await sweep.RunAsync(CancellationToken.None);
        var again = await sweep.RunAsync(CancellationToken.None);

        var response = Assert.Single(recovered.Responses);
        Assert.Equal((true, true, 80.05, 90.02, 1), (response.Assessed, response.ByDecay, response.PreviousScore, response.Score, response.DirectoryCalls));
        var published = Assert.Single(directory.Published);
        Assert.Equal((90, AgentStatus.Active), (published.TrustScore, published.Status));
        Assert.Equal(
            [LedgerEntryKind.TrustRecomputed.ToWire(), LedgerEntryKind.DirectorySynced.ToWire()],
            ledger.Chain(IntegrityChain).Skip(recorded).Select(e => e.Kind));
        Assert.Contains("\"trust_score\":90.02,\"previous_score\":80.05", ledger.Chain(IntegrityChain)[recorded].Payload, StringComparison.Ordinal);
        var agent = (await ledger.GetAgentAsync(Omega, CancellationToken.None))!;
        Assert.Equal(90.02, agent.TrustScore);
        Assert.True(agent.RescoreAt > time.GetUtcNow());

        Assert.Empty(again.Responses);
        Assert.Single(directory.Published);
        Assert.Equal(recorded + 2, ledger.Chain(IntegrityChain).Count);
    }

    [Fact]
    public async Task Sweep_DriftBelowTheStep_RecordsNothingReadsNoChainAndCallsNoDirectory()
    {
        await SweptAfterSignalsAsync(1);
        var recorded = ledger.Chain(IntegrityChain).Count;
        var reads = ledger.ReadsOf(Omega);
        time.Advance(TimeSpan.FromMinutes(30)); // 80.33: still published as 80

        var report = await sweep.RunAsync(CancellationToken.None);

        Assert.Empty(report.Responses);
        Assert.Equal(0, report.DirectoryCalls);
        Assert.Equal(0, directory.Calls);
        Assert.Equal(recorded, ledger.Chain(IntegrityChain).Count);
        Assert.Equal(reads + 1, ledger.ReadsOf(Omega)); // verification's read only: nothing to score
        Assert.Equal(80.05, (await ledger.GetAgentAsync(Omega, CancellationToken.None))!.TrustScore);
    }

    [Fact]
    public async Task Sweep_AtRescoreAt_PublishesTheNextWholePoint()
    {
        await SweptAfterSignalsAsync(1);

        // 81 is published once 20 x 2^(-t / 24 h) <= 19.505: 52 minutes after the signal.
        var rescoreAt = (await ledger.GetAgentAsync(Omega, CancellationToken.None))!.RescoreAt!.Value;
        Assert.InRange(rescoreAt, SignalAt + TimeSpan.FromMinutes(52), SignalAt + TimeSpan.FromMinutes(54));
        time.SetUtcNow(rescoreAt - TimeSpan.FromSeconds(1));
        var before = await sweep.RunAsync(CancellationToken.None);
        time.SetUtcNow(rescoreAt);
        var at = await sweep.RunAsync(CancellationToken.None);

        Assert.Empty(before.Responses);
        Assert.Equal(1, at.DecayedAgents);
        Assert.Equal(81, Assert.Single(directory.Published).TrustScore);
    }

    [Fact]
    public async Task Sweep_QuarantinedAgentRecoveredByDecay_PublishesTheScoreAndStaysQuarantined()
    {
        await SweptAfterSignalsAsync(2); // 40 points: 60.1, quarantined
        Assert.Equal(AgentStatus.Quarantined, (await ledger.GetAgentAsync(Omega, CancellationToken.None))!.Status);
        directory.Clear();
        time.Advance(TimeSpan.FromDays(2)); // 90.02, above restore_at (80)

        var report = await sweep.RunAsync(CancellationToken.None);

        Assert.Equal((1, 1, 0, 1), (report.AssessedAgents, report.DecayedAgents, report.QuarantinedAgents, report.DirectoryCalls));
        var agent = (await ledger.GetAgentAsync(Omega, CancellationToken.None))!;
        Assert.Equal((90.02, AgentStatus.Quarantined), (agent.TrustScore, agent.Status));
        Assert.Equal(["generate.report", "share.output"], agent.RevokedScopes);
        var published = Assert.Single(directory.Published);
        Assert.Equal((90, AgentStatus.Quarantined), (published.TrustScore, published.Status));
        Assert.Equal(["generate.report", "share.output"], published.RevokedScopes);
        Assert.Empty(directory.Restored);
        Assert.DoesNotContain(ledger.Chain(IntegrityChain), e => e.Kind == LedgerEntryKind.AgentRestored.ToWire());
    }

    [Fact]
    public async Task Sweep_RecordFromBeforeRescoreAtWasKept_IsRecomputedOnceDecayMovedIt()
    {
        await SweptAfterSignalsAsync(1);
        var agent = (await ledger.GetAgentAsync(Omega, CancellationToken.None))!;
        ledger.Put(agent with { RescoreAt = null });
        time.Advance(TimeSpan.FromDays(1));

        var report = await sweep.RunAsync(CancellationToken.None);

        Assert.Equal((1, 1), (report.DecayedAgents, report.DirectoryCalls));
        Assert.NotNull((await ledger.GetAgentAsync(Omega, CancellationToken.None))!.RescoreAt);
    }

    /// <summary>Registers the agent a day before, records <paramref name="signals"/> signals of severity 1, sweeps 5 minutes later.</summary>
    private async Task SweptAfterSignalsAsync(int signals)
    {
        await ledger.AppendAsync(
            new LedgerAppend
            {
                ChainId = Omega,
                Kind = LedgerEntryKind.AgentRegistered,
                OccurredAt = time.GetUtcNow(),
                RecordedAt = time.GetUtcNow(),
                Payload = LedgerJsonContext.Serialize(new AgentRegisteredPayload(new PrincipalRecord("user", $"auth0|{Omega}"), 100)),
                Agent = Agent.Register(Omega, new Principal(PrincipalType.User, $"auth0|{Omega}"), time.GetUtcNow()),
            },
            CancellationToken.None);
        time.SetUtcNow(SignalAt);
        for (var i = 0; i < signals; i++)
        {
            await ledger.AppendAsync(
                new LedgerAppend
                {
                    ChainId = Omega,
                    Kind = LedgerEntryKind.SignalRecorded,
                    OccurredAt = SignalAt,
                    RecordedAt = SignalAt,
                    Payload = LedgerJsonContext.Serialize(new SignalRecordedPayload("peer-consensus", "compromise_suspected", 1.0, null)),
                },
                CancellationToken.None);
        }

        time.Advance(TimeSpan.FromMinutes(5));
        var first = await sweep.RunAsync(CancellationToken.None);
        Assert.Equal(1, first.AssessedAgents);
        Assert.Equal(0, first.DecayedAgents);
        directory.Clear();
    }
}
