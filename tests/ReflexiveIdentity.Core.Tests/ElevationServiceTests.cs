using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Policy;
using ReflexiveIdentity.Reasoning;

namespace ReflexiveIdentity.Core.Tests;

public sealed class ElevationServiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly ILedger ledger = Substitute.For<ILedger>();
    private readonly List<LedgerAppend> appended = [];
    private readonly IIntegrityTrigger integrity = Substitute.For<IIntegrityTrigger>();
    private readonly ElevationService service;

    public ElevationServiceTests()
    {
        ledger.AppendAsync(Arg.Do<LedgerAppend>(appended.Add), Arg.Any<CancellationToken>())
            .Returns(call => new LedgerAppendResult(LedgerChain.Next(null, call.Arg<LedgerAppend>()), false));
        ledger.GetAgentActivityAsync(default!, default, default, default, default).ReturnsForAnyArgs(new AgentActivity(null, 0, 0));
        service = new ElevationService(ledger, new ElevationPolicy(PolicyDocument.Default), new RationaleReview(null, new RationaleReviewOptions(), time), integrity, time);
    }

    [Fact]
    public async Task DecideAsync_AgentSeenFirstTime_RegistersItAtFullTrustWithThePrincipal()
    {
        var outcome = await service.DecideAsync(Request(), "req-1", "sha", CancellationToken.None);

        var registration = appended[0];
        Assert.Equal(LedgerEntryKind.AgentRegistered, registration.Kind);
        Assert.Equal(new Principal(PrincipalType.User, "auth0|agent_omega"), registration.Agent!.Principal);
        Assert.Equal(100, registration.Agent.TrustScore);
        Assert.Equal(LedgerEntryKind.ElevationDecided, appended[1].Kind);
        Assert.Equal("allow", outcome.Record.Decision);
    }

    [Fact]
    public async Task DecideAsync_Allow_IssuesGrantForTheScopesLifetimeAndRecordsIt()
    {
        KnownAgent(100);

        var outcome = await service.DecideAsync(Request(), "req-1", "sha", CancellationToken.None);

        var decided = Assert.Single(appended);
        Assert.NotNull(decided.Grant);
        Assert.Equal(["generate.report"], decided.Grant.Scopes);
        Assert.Equal(Now + PolicyDocument.Default.Scopes["generate.report"].MaxTtl, decided.Grant.ExpiresAt);
        Assert.Equal(decided.Grant.Id, outcome.Record.GrantId);
        Assert.Equal("req-1", decided.RequestId);
        Assert.Equal(Now - ElevationService.ReplayWindow, decided.ReplayWindowStart);
        Assert.Equal(LedgerJsonContext.Serialize(outcome.Record), decided.Payload);
    }

    [Fact]
    public async Task DecideAsync_ReportedTrustLowerThanServices_DecidesOnTheLowerScore()
    {
        KnownAgent(95);

        var outcome = await service.DecideAsync(Request() with { ReportedTrustScore = 60 }, null, "sha", CancellationToken.None);

        Assert.Equal("block", outcome.Record.Decision);
        Assert.Equal(60, outcome.Record.TrustScore);
        Assert.Equal("trust_below_threshold", outcome.Record.Reasons[0].Code);
        Assert.Null(Assert.Single(appended).Grant);
    }

    [Fact]
    public async Task DecideAsync_ReportedTrustHigherThanServices_KeepsTheServicesScore()
    {
        KnownAgent(65);

        var outcome = await service.DecideAsync(Request() with { ReportedTrustScore = 100 }, null, "sha", CancellationToken.None);

        Assert.Equal("block", outcome.Record.Decision);
        Assert.Equal(65, outcome.Record.TrustScore);
    }

    [Fact]
    public async Task DecideAsync_LedgerReplaysTheRequestId_ReturnsTheFirstAnswer()
    {
        KnownAgent(100);
        var first = LedgerChain.Next(null, Decided(new ElevationDecidedPayloadBuilder("sha-1").Build(), "req-1"));
        ledger.AppendAsync(Arg.Is<LedgerAppend>(a => a.RequestId == "req-1"), Arg.Any<CancellationToken>()).Returns(new LedgerAppendResult(first, Replayed: true));

        var outcome = await service.DecideAsync(Request(), "req-1", "sha-1", CancellationToken.None);

        Assert.True(outcome.Replayed);
        Assert.False(outcome.RequestIdReused);
        Assert.Equal(first.Id, outcome.EntryId);
        Assert.Equal("deny", outcome.Record.Decision);
    }

    [Fact]
    public async Task DecideAsync_LedgerReplaysTheRequestIdWithOtherBody_FlagsReuse()
    {
        KnownAgent(100);
        var first = LedgerChain.Next(null, Decided(new ElevationDecidedPayloadBuilder("sha-1").Build(), "req-1"));
        ledger.AppendAsync(Arg.Is<LedgerAppend>(a => a.RequestId == "req-1"), Arg.Any<CancellationToken>()).Returns(new LedgerAppendResult(first, Replayed: true));

        var outcome = await service.DecideAsync(Request(), "req-1", "sha-2", CancellationToken.None);

        Assert.True(outcome.RequestIdReused);
        Assert.False(outcome.Replayed);
    }

    [Fact]
    public async Task DecideAsync_Denial_AsksTheImmuneResponseToLookAtTheAgent()
    {
        KnownAgent(100);

        await service.DecideAsync(Request() with { Rationale = null }, null, "sha", CancellationToken.None);

        await integrity.Received(1).EvidenceChangedAsync("agent_omega", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task DecideAsync_Allow_DoesNotTriggerTheImmuneResponse()
    {
        KnownAgent(100);

        await service.DecideAsync(Request(), null, "sha", CancellationToken.None);

        await integrity.DidNotReceiveWithAnyArgs().EvidenceChangedAsync(default!, default);
    }

    [Fact]
    public async Task DecideAsync_CountsOnlyRequestsInsideTheRateWindow()
    {
        KnownAgent(100, recentDecisions: PolicyDocument.Default.RateLimitMaxRequests);

        var outcome = await service.DecideAsync(Request(), null, "sha", CancellationToken.None);

        Assert.Equal("rate_limited", Assert.Single(outcome.Record.Reasons).Code);
    }

    [Fact]
    public async Task DecideAsync_JudgeRemovesOneScope_GrantsTheRestWithJudgeInconsistentAndItsLifetime()
    {
        KnownAgent(100);
        ledger.ReadRecentAsync("agent_omega", RecentActions.DefaultCount, Arg.Any<CancellationToken>()).Returns([Entry(1, LedgerEntryKind.AgentRegistered, "{}")]);
        var judge = new Reasoning.ScriptedJudge(_ => new JudgeVerdict(["generate.report", "admin:all"], "Nothing to share before a report exists."));
        var judged = Judged(judge);

        var outcome = await judged.DecideAsync(
            Request() with
            {
                RequestedScopes = ["generate.report", "share.output"],
                Rationale = new Rationale("Generate the operational report and share it with ops", "Weekly ops review needs error rates per service", 0.91),
            },
            null,
            "sha",
            CancellationToken.None);

        Assert.Equal("allow", outcome.Record.Decision);
        Assert.Equal(["generate.report"], outcome.Record.GrantedScopes);
        Assert.Equal([new ScopeDenialRecord("share.output", "judge_inconsistent", "Nothing to share before a report exists.")], outcome.Record.DeniedScopes);
        Assert.Equal(["policy_satisfied", "judge_inconsistent"], outcome.Record.Reasons.Select(r => r.Code));
        Assert.Equal(new JudgeRecord("openai", "inconsistent"), outcome.Record.Judge);
        Assert.Equal(Now + PolicyDocument.Default.Scopes["generate.report"].MaxTtl, Assert.Single(appended).Grant!.ExpiresAt);
        var asked = Assert.Single(judge.Requests);
        Assert.Equal(["generate.report", "share.output"], asked.Scopes);
        Assert.Equal(["2026-12-04T16:00:00Z agent_registered"], asked.RecentActions);
    }

    [Fact]
    public async Task DecideAsync_JudgeRemovesEveryScope_DeniesWithoutGrantAndTriggersTheImmuneResponse()
    {
        KnownAgent(100);
        var judged = Judged(Reasoning.ScriptedJudge.Keeping());

        var outcome = await judged.DecideAsync(Request(), null, "sha", CancellationToken.None);

        Assert.Equal("deny", outcome.Record.Decision);
        Assert.Null(outcome.Record.GrantId);
        Assert.Empty(outcome.Record.GrantedScopes);
        Assert.Equal("judge_inconsistent", Assert.Single(outcome.Record.DeniedScopes).Code);
        Assert.Equal(["judge_inconsistent"], outcome.Record.Reasons.Select(r => r.Code));
        Assert.Null(Assert.Single(appended).Grant);
        await integrity.Received(1).EvidenceChangedAsync("agent_omega", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task DecideAsync_JudgeUnavailable_PolicyDecisionStandsAndSaysSo()
    {
        KnownAgent(100);
        var judged = Judged(Reasoning.ScriptedJudge.Failing(new JudgeUnavailableException("down")));

        var outcome = await judged.DecideAsync(Request(), null, "sha", CancellationToken.None);

        Assert.Equal("allow", outcome.Record.Decision);
        Assert.Equal(["generate.report"], outcome.Record.GrantedScopes);
        Assert.Equal(["policy_satisfied", "judge_unavailable"], outcome.Record.Reasons.Select(r => r.Code));
        Assert.Equal(new JudgeRecord("openai", "unavailable"), outcome.Record.Judge);
    }

    [Fact]
    public async Task DecideAsync_JudgeUnavailableAndFailClosed_Denies()
    {
        KnownAgent(100);
        var judged = Judged(Reasoning.ScriptedJudge.Failing(new JudgeUnavailableException("down")), new RationaleReviewOptions { FailClosed = true });

        var outcome = await judged.DecideAsync(Request(), null, "sha", CancellationToken.None);

        Assert.Equal("deny", outcome.Record.Decision);
        Assert.Equal(new ScopeDenialRecord("generate.report", "judge_unavailable", outcome.Record.DeniedScopes[0].Detail), Assert.Single(outcome.Record.DeniedScopes));
        Assert.Equal(new JudgeRecord("openai", "unavailable"), outcome.Record.Judge);
    }

    [Fact]
    public async Task DecideAsync_PolicyDenies_DoesNotAskTheJudge()
    {
        KnownAgent(100);
        var judge = Reasoning.ScriptedJudge.Keeping("generate.report");
        var judged = Judged(judge);

        var outcome = await judged.DecideAsync(Request() with { Rationale = new Rationale("Generate operational report", "Weekly ops review needs error rates per service", 0.3) }, null, "sha", CancellationToken.None);

        Assert.Equal("deny", outcome.Record.Decision);
        Assert.Equal(0, judge.Calls);
        Assert.Equal("policy", outcome.Record.Judge.Kind);
    }

    [Fact]
    public async Task DecideAsync_NoJudge_RecordsThePolicyAsJudge()
    {
        KnownAgent(100);

        var outcome = await service.DecideAsync(Request(), null, "sha", CancellationToken.None);

        Assert.Equal(new JudgeRecord("policy", "consistent"), outcome.Record.Judge);
        await ledger.DidNotReceiveWithAnyArgs().ReadRecentAsync(default!, default, default);
    }

    private ElevationService Judged(IRationaleJudge judge, RationaleReviewOptions? options = null) =>
        new(ledger, new ElevationPolicy(PolicyDocument.Default), new RationaleReview(judge, options ?? new RationaleReviewOptions(), time), integrity, time);

    private static LedgerEntry Entry(long seq, LedgerEntryKind kind, string payload) => LedgerChain.Next(null, new LedgerAppend
    {
        ChainId = "agent_omega",
        Kind = kind,
        OccurredAt = Now,
        RecordedAt = Now,
        Payload = payload,
    }) with { Seq = seq };

    private void KnownAgent(double trust, int recentDecisions = 0) =>
        ledger.GetAgentActivityAsync("agent_omega", LedgerEntryKind.ElevationDecided, Now - PolicyDocument.Default.RateLimitWindow, Now, Arg.Any<CancellationToken>())
            .Returns(new AgentActivity(Agent.Register("agent_omega", new Principal(PrincipalType.User, "auth0|agent_omega"), Now) with { TrustScore = trust }, recentDecisions, 0));

    private static ElevationRequest Request() => new()
    {
        AgentId = "agent_omega",
        Principal = new Principal(PrincipalType.User, "auth0|agent_omega"),
        RequestedScopes = ["read.dataset", "generate.report"],
        Rationale = new Rationale("Generate operational report", "Weekly ops review needs error rates per service", 0.91),
    };

    private static LedgerAppend Decided(ElevationDecidedPayload payload, string requestId) => new()
    {
        ChainId = "agent_omega",
        Kind = LedgerEntryKind.ElevationDecided,
        OccurredAt = Now,
        RecordedAt = Now,
        Payload = LedgerJsonContext.Serialize(payload),
        RequestId = requestId,
    };

    private sealed class ElevationDecidedPayloadBuilder(string bodySha)
    {
        public ElevationDecidedPayload Build() => new()
        {
            Decision = "deny",
            GrantedScopes = [],
            DeniedScopes = [],
            TrustScore = 100,
            Reasons = [new ReasonRecord("missing_rationale", "none")],
            Judge = new JudgeRecord("policy", "inconsistent"),
            RequestedScopes = ["generate.report"],
            Principal = new PrincipalRecord("user", "auth0|agent_omega"),
            BodySha256 = bodySha,
        };
    }
}
