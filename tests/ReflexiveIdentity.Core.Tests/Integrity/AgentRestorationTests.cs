using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Integrity;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Policy;
using ReflexiveIdentity.Trust;

namespace ReflexiveIdentity.Core.Tests.Integrity;

public sealed class AgentRestorationTests
{
    private static readonly DateTimeOffset SignalAt = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(SignalAt.AddMinutes(5));
    private readonly ILedger ledger = Substitute.For<ILedger>();
    private readonly IAgentDirectory directory = Substitute.For<IAgentDirectory>();
    private readonly List<LedgerAppend> appended = [];
    private readonly AgentRestoration restoration;

    public AgentRestorationTests()
    {
        var policy = PolicyDocument.Default;
        var scorer = new TrustScorer(policy.Trust, policy.Scopes.Values.Where(r => r.Baseline).Select(r => r.Name));
        var immune = new ImmuneResponse(ledger, scorer, policy, new GrantRevocation(ledger, time), [directory], time);
        restoration = new AgentRestoration(ledger, scorer, policy, immune, time);
        ledger.AppendAsync(Arg.Do<LedgerAppend>(appended.Add), Arg.Any<CancellationToken>())
            .Returns(call => new LedgerAppendResult(LedgerChain.Next(null, call.Arg<LedgerAppend>()), false));

        // Two severe outside signals: 2 x 20 x 1.0 = 40 points, halving every day.
        var signal = LedgerChain.Next(null, new LedgerAppend
        {
            ChainId = "agent_omega",
            Kind = LedgerEntryKind.SignalRecorded,
            OccurredAt = SignalAt,
            RecordedAt = SignalAt,
            Payload = LedgerJsonContext.Serialize(new SignalRecordedPayload("peer-consensus", "compromise_suspected", 1.0, null)),
        });
        var second = LedgerChain.Next(signal, new LedgerAppend
        {
            ChainId = "agent_omega",
            Kind = LedgerEntryKind.SignalRecorded,
            OccurredAt = SignalAt,
            RecordedAt = SignalAt,
            Payload = LedgerJsonContext.Serialize(new SignalRecordedPayload("monitoring", "exfiltration_pattern", 1.0, null)),
        });
        ledger.ReadChainAsync("agent_omega", Arg.Any<CancellationToken>()).Returns(_ => new[] { signal, second }.ToAsyncEnumerable());
        var quarantined = Agent.Register("agent_omega", new Principal(PrincipalType.User, "auth0|agent_omega"), SignalAt.AddDays(-30))
            .Quarantine(["generate.report", "share.output"], SignalAt) with { TrustScore = 60 };

        // The quarantine reached Auth0: the directory holds the revoked scopes.
        ledger.GetAgentAsync("agent_omega", Arg.Any<CancellationToken>()).Returns(quarantined.Synced(quarantined.DesiredRecord()));
    }

    [Fact]
    public async Task RestoreAsync_ScoreStillBelowRestoreAt_IsRefusedWithTheScore()
    {
        var outcome = await restoration.RestoreAsync("agent_omega", "operator:alice", "reviewed", CancellationToken.None);

        Assert.Equal(RestoreResult.ScoreBelowRestoreAt, outcome.Result);
        Assert.InRange(outcome.TrustScore, 60, 60.2);
        Assert.Equal(80, outcome.RestoreAt);
        Assert.Empty(appended);
        await directory.DidNotReceiveWithAnyArgs().RestoreScopesAsync(default!, default!, default);
    }

    [Fact]
    public async Task RestoreAsync_AfterThePenaltyDecayed_RestoresScopesAndRecordsWhoAndWhy()
    {
        time.Advance(TimeSpan.FromDays(2)); // two half-lives: 40 -> about 10 points

        var outcome = await restoration.RestoreAsync("agent_omega", "operator:alice", "credentials rotated", CancellationToken.None);

        Assert.Equal(RestoreResult.Restored, outcome.Result);
        Assert.InRange(outcome.TrustScore, 90, 90.1);
        Assert.Equal(["generate.report", "share.output"], outcome.RestoredScopes);
        var restored = appended[0];
        Assert.Equal(LedgerEntryKind.AgentRestored, restored.Kind);
        Assert.Equal(IntegrityChains.For("agent_omega"), restored.ChainId);
        Assert.Contains("\"restored_by\":\"operator:alice\"", restored.Payload, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"credentials rotated\"", restored.Payload, StringComparison.Ordinal);
        Assert.Equal(AgentStatus.Active, restored.Agent!.Status);
        Assert.Empty(restored.Agent.RevokedScopes);
        await directory.Received(1).RestoreScopesAsync(new Principal(PrincipalType.User, "auth0|agent_omega"), Arg.Is<IReadOnlyList<string>>(s => s.SequenceEqual(new[] { "generate.report", "share.output" })), Arg.Any<CancellationToken>());
        Assert.Equal(LedgerEntryKind.DirectorySynced, appended[^1].Kind);
    }

    [Fact]
    public async Task RestoreAsync_ActiveAgent_IsNotQuarantined()
    {
        ledger.GetAgentAsync("agent_omega", Arg.Any<CancellationToken>()).Returns(Agent.Register("agent_omega", new Principal(PrincipalType.User, "auth0|agent_omega"), SignalAt));

        var outcome = await restoration.RestoreAsync("agent_omega", "operator:alice", "reviewed", CancellationToken.None);

        Assert.Equal(RestoreResult.NotQuarantined, outcome.Result);
    }
}
