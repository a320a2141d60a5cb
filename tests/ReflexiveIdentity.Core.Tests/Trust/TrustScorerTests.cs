using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Trust;
using static ReflexiveIdentity.Core.Tests.Trust.AgentChain;

namespace ReflexiveIdentity.Core.Tests.Trust;

/// <summary>
/// The scorer against the shipped defaults (see <see cref="TrustPolicy.Default"/>): token failures 10 points, half-life
/// 24 h, max 40; denials 2, 6 h, 20; retries 1 beyond 5 free, 1 h, 20; unexpected transitions 5, 12 h, 30, learned after
/// 3 older than 24 h; API calls 0.1 in a 1 h window above max(30, 3 × the 24-window baseline), 1 h, 20; reasoning
/// judge 3 / inflation 4 / mismatch 6, 12 h, 30; signals 20 × severity, 24 h, 50.
/// </summary>
public sealed class TrustScorerTests
{
    private const string Read = "read.dataset";
    private const string Generate = "generate.report";
    private const string Share = "share.output";

    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly TrustScorer scorer = new(TrustPolicy.Default, [Read]);

    [Fact]
    public void Assess_EmptyChain_FullTrustWithEveryComponentInOrder()
    {
        var assessment = scorer.Assess(Omega, [], T0);

        Assert.Equal(100, assessment.Score);
        Assert.Equal(Omega, assessment.AgentId);
        Assert.Equal(T0, assessment.AssessedAt);
        Assert.Equal(0, assessment.HeadSeq);
        Assert.Equal(0, assessment.IgnoredEntries);
        Assert.Equal(
            ["token_verification_failures", "elevation_denials", "repetitive_retries", "unexpected_command_sequences", "abnormal_api_usage", "inconsistent_reasoning", "external_signals"],
            assessment.Components.Select(c => c.Name));
        Assert.All(assessment.Components, c => Assert.Equal(0, c.Penalty));
        Assert.All(assessment.Components, c => Assert.Empty(c.Evidence));
    }

    [Fact]
    public void Assess_TokenVerificationFailures_WeightPerFailure()
    {
        var chain = new AgentChain();
        chain.Registered(T0);
        var first = chain.TokenFailure(T0);
        var second = chain.TokenFailure(T0);

        var assessment = scorer.Assess(Omega, chain.Entries, T0);

        var component = assessment.Component(TrustComponents.TokenVerificationFailures);
        Assert.Equal(20, component.Penalty);
        Assert.Equal([first.Id, second.Id], component.Evidence);
        Assert.Equal("2 failed token verifications (2 after decay).", component.Detail);
        Assert.Equal(80, assessment.Score);
        Assert.Equal(3, assessment.HeadSeq);
    }

    [Fact]
    public void Assess_OneHalfLifeLater_PenaltyHalves()
    {
        var chain = new AgentChain();
        chain.TokenFailure(T0);
        chain.Signal(T0, 0.9);

        var fresh = scorer.Assess(Omega, chain.Entries, T0);
        var oneHalfLife = scorer.Assess(Omega, chain.Entries, T0 + TimeSpan.FromHours(24));
        var twoHalfLives = scorer.Assess(Omega, chain.Entries, T0 + TimeSpan.FromHours(48));

        TrustAssessment[] assessments = [fresh, oneHalfLife, twoHalfLives];
        Assert.Equal([10, 5, 2.5], assessments.Select(a => a.Component(TrustComponents.TokenVerificationFailures).Penalty));
        Assert.Equal([18, 9, 4.5], assessments.Select(a => a.Component(TrustComponents.ExternalSignals).Penalty));
        Assert.Equal([72, 86, 93], assessments.Select(a => a.Score));
    }

    [Fact]
    public void Assess_EntryDatedAfterNow_CountsAsAgeZero()
    {
        var chain = new AgentChain();
        chain.TokenFailure(T0 + Hour);

        var assessment = scorer.Assess(Omega, chain.Entries, T0);

        Assert.Equal(10, assessment.Component(TrustComponents.TokenVerificationFailures).Penalty);
    }

    [Fact]
    public void Assess_EvidenceOlderThanTenHalfLives_IsForgotten()
    {
        var chain = new AgentChain();
        var failure = chain.TokenFailure(T0);
        var tenHalfLives = T0 + TimeSpan.FromHours(240);

        var atHorizon = scorer.Assess(Omega, chain.Entries, tenHalfLives).Component(TrustComponents.TokenVerificationFailures);
        var beyond = scorer.Assess(Omega, chain.Entries, tenHalfLives + TimeSpan.FromSeconds(1)).Component(TrustComponents.TokenVerificationFailures);

        Assert.Equal(Math.Round(10.0 / 1024, 2), atHorizon.Penalty);
        Assert.Equal([failure.Id], atHorizon.Evidence);
        Assert.Equal(0, beyond.Penalty);
        Assert.Empty(beyond.Evidence);
    }

    [Fact]
    public void Assess_MoreEvidenceThanTheCap_PenaltyCappedAtMaxPenalty()
    {
        var chain = new AgentChain();
        for (var i = 0; i < 5; i++)
        {
            chain.TokenFailure(T0);
        }

        var component = scorer.Assess(Omega, chain.Entries, T0).Component(TrustComponents.TokenVerificationFailures);

        Assert.Equal(40, component.Penalty);
        Assert.Equal(5, component.Evidence.Count);
    }

    [Fact]
    public void Assess_DeniedBlockedAndRejected_CountAsElevationDenials()
    {
        var chain = new AgentChain();
        chain.Allow(T0, Generate, TimeSpan.FromMinutes(15));
        var denied = chain.Deny(T0, Share, "confidence_below_threshold", confidence: 0.6);
        var blocked = chain.Deny(T0, Share, "trust_below_threshold", confidence: 0.6, decision: "block");
        chain.Decision(T0, "deny", granted: [], denied: [], reasons: ["no_elevated_scope_requested"], verdict: "consistent", confidence: 0.9, expiresAt: null);
        var rejected = chain.Rejected(T0);

        var assessment = scorer.Assess(Omega, chain.Entries, T0 + Hour);

        var component = assessment.Component(TrustComponents.ElevationDenials);
        Assert.Equal(Math.Round(3 * 2 * Math.Pow(2, -1.0 / 6), 2), component.Penalty);
        Assert.Equal([denied.Id, blocked.Id, rejected.Id], component.Evidence);
    }

    [Fact]
    public void Assess_RetriesWithinTheAllowance_NoPenalty()
    {
        var chain = new AgentChain();
        for (var i = 0; i < 5; i++)
        {
            chain.Retry(T0);
        }

        var component = scorer.Assess(Omega, chain.Entries, T0).Component(TrustComponents.RepetitiveRetries);

        Assert.Equal(0, component.Penalty);
        Assert.Empty(component.Evidence);
        Assert.Equal("5 retries (5 after decay) against a free allowance of 5.", component.Detail);
    }

    [Fact]
    public void Assess_RetryStorm_PenalizesRetriesBeyondTheDecayedAllowance()
    {
        var chain = new AgentChain();
        var retries = Enumerable.Range(0, 20).Select(i => chain.Retry(T0 + TimeSpan.FromSeconds(3 * i))).ToList();
        var now = T0 + Minute;

        var component = scorer.Assess(Omega, chain.Entries, now).Component(TrustComponents.RepetitiveRetries);

        var decayed = Enumerable.Range(0, 20).Sum(i => Math.Pow(2, -(60.0 - (3 * i)) / 3600));
        Assert.Equal(Math.Round(1 * (decayed - 5), 2), component.Penalty);
        Assert.Equal(retries.Select(r => r.Id), component.Evidence);
    }

    [Fact]
    public void Assess_StagesInGraphOrder_NoUnexpectedSequence()
    {
        var chain = new AgentChain();
        string[] stages = [Read, Read, Generate, Generate, Share, Share, Read, Generate, Share];
        for (var i = 0; i < stages.Length; i++)
        {
            chain.Stage(stages[i], T0 + (i * Minute));
        }

        var component = scorer.Assess(Omega, chain.Entries, T0 + Hour).Component(TrustComponents.UnexpectedCommandSequences);

        Assert.Equal(0, component.Penalty);
        Assert.Empty(component.Evidence);
    }

    [Fact]
    public void Assess_StagesOutOfOrder_PenalizesEachTransitionOutsideTheGraph()
    {
        var chain = new AgentChain();
        var startToGenerate = chain.Stage(Generate, T0);
        var generateToRead = chain.Stage(Read, T0 + Minute);
        var readToShare = chain.Stage(Share, T0 + (2 * Minute));
        chain.Stage(Share, T0 + (3 * Minute));
        var now = T0 + Hour;

        var component = scorer.Assess(Omega, chain.Entries, now).Component(TrustComponents.UnexpectedCommandSequences);

        var expected = 5 * (Math.Pow(2, -60.0 / 720) + Math.Pow(2, -59.0 / 720) + Math.Pow(2, -58.0 / 720));
        Assert.Equal(Math.Round(expected, 2), component.Penalty);
        Assert.Equal([startToGenerate.Id, generateToRead.Id, readToShare.Id], component.Evidence);
        Assert.StartsWith(
            "3 stage transitions outside the expected graph (2.83 after decay): start -> generate.report, generate.report -> read.dataset, read.dataset -> share.output; 0 learned",
            component.Detail,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_StagesReportedOutOfTimeOrder_CheckedInTheOrderTheyHappened()
    {
        var chain = new AgentChain();
        chain.Stage(Generate, T0 + Minute);
        chain.Stage(Read, T0);

        var component = scorer.Assess(Omega, chain.Entries, T0 + Hour).Component(TrustComponents.UnexpectedCommandSequences);

        Assert.Equal(0, component.Penalty);
    }

    [Fact]
    public void Assess_NewJobId_StartsTheSequenceAgain()
    {
        var withJobs = new AgentChain();
        withJobs.Stage(Read, T0, jobId: "j1");
        withJobs.Stage(Generate, T0 + Minute, jobId: "j1");
        withJobs.Stage(Read, T0 + (2 * Minute), jobId: "j2");
        var withoutJobs = new AgentChain();
        withoutJobs.Stage(Read, T0);
        withoutJobs.Stage(Generate, T0 + Minute);
        var generateToRead = withoutJobs.Stage(Read, T0 + (2 * Minute));

        var jobs = scorer.Assess(Omega, withJobs.Entries, T0 + (2 * Minute)).Component(TrustComponents.UnexpectedCommandSequences);
        var noJobs = scorer.Assess(Omega, withoutJobs.Entries, T0 + (2 * Minute)).Component(TrustComponents.UnexpectedCommandSequences);

        Assert.Equal(0, jobs.Penalty);
        Assert.Equal(5, noJobs.Penalty);
        Assert.Equal([generateToRead.Id], noJobs.Evidence);
    }

    [Fact]
    public void Assess_InterleavedJobs_EachFollowsItsOwnSequence()
    {
        var chain = new AgentChain();
        chain.Stage(Read, T0, jobId: "a");
        chain.Stage(Read, T0 + Minute, jobId: "b");
        chain.Stage(Generate, T0 + (2 * Minute), jobId: "a");
        chain.Stage(Generate, T0 + (3 * Minute), jobId: "b");
        var bad = chain.Stage(Share, T0 + (4 * Minute), jobId: "c");

        var component = scorer.Assess(Omega, chain.Entries, T0 + (4 * Minute)).Component(TrustComponents.UnexpectedCommandSequences);

        Assert.Equal(5, component.Penalty);
        Assert.Equal([bad.Id], component.Evidence);
    }

    [Fact]
    public void Assess_TransitionSeenOftenEnoughLongAgo_IsLearnedForThatAgent()
    {
        var now = T0 + TimeSpan.FromHours(48);
        var chain = new AgentChain();
        for (var day = 0; day < 3; day++)
        {
            var start = T0 + (day * 10 * Minute);
            chain.Stage(Read, start);
            chain.Stage(Generate, start + Minute);
            chain.Stage(Read, start + (2 * Minute));
        }

        chain.Stage(Generate, now - Hour);
        chain.Stage(Read, now - (Hour / 2));

        var component = scorer.Assess(Omega, chain.Entries, now).Component(TrustComponents.UnexpectedCommandSequences);

        Assert.Equal(0, component.Penalty);
        Assert.Empty(component.Evidence);
        Assert.EndsWith("; 1 learned for this agent.", component.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_TransitionSeenTooFewTimesLongAgo_IsNotLearned()
    {
        var now = T0 + TimeSpan.FromHours(48);
        var chain = new AgentChain();
        var old = new List<LedgerEntry>();
        for (var day = 0; day < 2; day++)
        {
            var start = T0 + (day * 10 * Minute);
            chain.Stage(Read, start);
            chain.Stage(Generate, start + Minute);
            old.Add(chain.Stage(Read, start + (2 * Minute)));
        }

        chain.Stage(Generate, now - Hour);
        var recent = chain.Stage(Read, now - (Hour / 2));

        var component = scorer.Assess(Omega, chain.Entries, now).Component(TrustComponents.UnexpectedCommandSequences);

        var ageOf = (LedgerEntry e) => (now - e.OccurredAt).TotalHours;
        var expected = 5 * (Math.Pow(2, -ageOf(old[0]) / 12) + Math.Pow(2, -ageOf(old[1]) / 12) + Math.Pow(2, -0.5 / 12));
        Assert.Equal(Math.Round(expected, 2), component.Penalty);
        Assert.Equal([old[0].Id, old[1].Id, recent.Id], component.Evidence);
    }

    [Fact]
    public void Assess_TransitionSeenOftenButRecently_IsNotLearned()
    {
        var now = T0 + TimeSpan.FromHours(12);
        var chain = new AgentChain();
        var unexpected = new List<LedgerEntry>();
        for (var run = 0; run < 3; run++)
        {
            var start = T0 + (run * 10 * Minute);
            chain.Stage(Read, start);
            chain.Stage(Generate, start + Minute);
            unexpected.Add(chain.Stage(Read, start + (2 * Minute)));
        }

        var component = scorer.Assess(Omega, chain.Entries, now).Component(TrustComponents.UnexpectedCommandSequences);

        Assert.Equal(unexpected.Select(e => e.Id), component.Evidence);
        Assert.Equal(Math.Round(unexpected.Sum(e => 5 * Math.Pow(2, -(now - e.OccurredAt).TotalHours / 12)), 2), component.Penalty);
    }

    [Fact]
    public void Assess_ApiBurstAboveItsOwnBaseline_PenalizesTheCallsInTheWindow()
    {
        var now = T0 + TimeSpan.FromHours(25);
        var chain = QuietHistory(callsPerHour: 10, now);
        var burst = Enumerable.Range(1, 40).Select(i => chain.ApiCall(now - (i * Minute))).ToList();

        var component = scorer.Assess(Omega, chain.Entries, now).Component(TrustComponents.AbnormalApiUsage);

        var expected = 0.1 * Enumerable.Range(1, 40).Sum(i => Math.Pow(2, -i / 60.0));
        Assert.Equal(Math.Round(expected, 2), component.Penalty);
        Assert.Equal(burst.OrderBy(e => e.Seq).Select(e => e.Id), component.Evidence);
        Assert.Equal("40 API calls in the last 3600 s against a baseline of 10 per window over 24 windows; abnormal above 30.", component.Detail);
    }

    [Fact]
    public void Assess_SameVolumeFromABusyAgent_NoPenalty()
    {
        var now = T0 + TimeSpan.FromHours(25);
        var chain = QuietHistory(callsPerHour: 40, now);
        for (var i = 1; i <= 40; i++)
        {
            chain.ApiCall(now - (i * Minute));
        }

        var component = scorer.Assess(Omega, chain.Entries, now).Component(TrustComponents.AbnormalApiUsage);

        Assert.Equal(0, component.Penalty);
        Assert.Empty(component.Evidence);
        Assert.Equal("40 API calls in the last 3600 s against a baseline of 40 per window over 24 windows; abnormal above 120.", component.Detail);
    }

    [Fact]
    public void Assess_NewAgentWithoutBaseline_PenalizedOnlyAboveMinCalls()
    {
        var atMin = new AgentChain();
        var aboveMin = new AgentChain();
        for (var i = 1; i <= 30; i++)
        {
            atMin.ApiCall(T0 - TimeSpan.FromSeconds(i));
            aboveMin.ApiCall(T0 - TimeSpan.FromSeconds(i));
        }

        aboveMin.ApiCall(T0);

        Assert.Equal(0, scorer.Assess(Omega, atMin.Entries, T0).Component(TrustComponents.AbnormalApiUsage).Penalty);
        var component = scorer.Assess(Omega, aboveMin.Entries, T0).Component(TrustComponents.AbnormalApiUsage);
        var expected = 0.1 * (1 + Enumerable.Range(1, 30).Sum(i => Math.Pow(2, -i / 3600.0)));
        Assert.Equal(Math.Round(expected, 2), component.Penalty);
        Assert.Equal(31, component.Evidence.Count);
    }

    [Fact]
    public void Assess_YoungAgent_BaselineIsTheWindowsItHasLived()
    {
        var now = T0 + TimeSpan.FromHours(2);
        var chain = new AgentChain();
        chain.Registered(T0);
        for (var i = 0; i < 20; i++)
        {
            chain.ApiCall(T0 + TimeSpan.FromMinutes(1 + i));
        }

        for (var i = 0; i < 50; i++)
        {
            chain.ApiCall(now - TimeSpan.FromMinutes(1 + i));
        }

        var component = scorer.Assess(Omega, chain.Entries, now).Component(TrustComponents.AbnormalApiUsage);

        Assert.Equal(0, component.Penalty);
        Assert.Equal("50 API calls in the last 3600 s against a baseline of 20 per window over 1 windows; abnormal above 60.", component.Detail);
    }

    [Fact]
    public void Assess_JudgeFoundTheRationaleInconsistent_PenalizesReasoning()
    {
        var chain = new AgentChain();
        var vague = chain.Deny(T0, Generate, "reason_too_vague", confidence: 0.5, verdict: "inconsistent");

        var assessment = scorer.Assess(Omega, chain.Entries, T0 + TimeSpan.FromHours(12));

        var component = assessment.Component(TrustComponents.InconsistentReasoning);
        Assert.Equal(1.5, component.Penalty);
        Assert.Equal([vague.Id], component.Evidence);
        Assert.Equal("1 inconsistent judge verdicts, 0 inflated confidences, 0 elevated stages off the stated intent or without a live allow.", component.Detail);
        Assert.Equal(Math.Round(2 * Math.Pow(2, -2), 2), assessment.Component(TrustComponents.ElevationDenials).Penalty);
    }

    [Theory]
    [InlineData("intent_scope_mismatch", 0.95, 7)]
    [InlineData("reason_too_vague", 0.9, 7)]
    [InlineData("reason_too_vague", 0.89, 3)]
    [InlineData("confidence_below_threshold", 0.95, 3)]
    public void Assess_HighConfidenceDeniedAsVagueOrOffIntent_CountsInflation(string code, double confidence, double penalty)
    {
        var chain = new AgentChain();
        chain.Deny(T0, Generate, code, confidence, verdict: "inconsistent");

        var component = scorer.Assess(Omega, chain.Entries, T0).Component(TrustComponents.InconsistentReasoning);

        Assert.Equal(penalty, component.Penalty);
    }

    [Fact]
    public void Assess_ElevatedStageWithoutAllow_IntentActionMismatch()
    {
        var chain = new AgentChain();
        chain.Stage(Read, T0);
        var generate = chain.Stage(Generate, T0 + Minute);

        var component = scorer.Assess(Omega, chain.Entries, T0 + Minute).Component(TrustComponents.InconsistentReasoning);

        Assert.Equal(6, component.Penalty);
        Assert.Equal([generate.Id], component.Evidence);
    }

    [Fact]
    public void Assess_FirstElevatedStageAfterAllowIsAnotherScope_IntentActionMismatch()
    {
        var chain = new AgentChain();
        chain.Allow(T0 - Minute, Share, TimeSpan.FromMinutes(5));
        chain.Allow(T0, Generate, TimeSpan.FromMinutes(15));
        chain.Stage(Read, T0 + Minute);
        var share = chain.Stage(Share, T0 + (2 * Minute));
        chain.Stage(Share, T0 + (3 * Minute));

        var component = scorer.Assess(Omega, chain.Entries, T0 + (3 * Minute)).Component(TrustComponents.InconsistentReasoning);

        Assert.Equal(Math.Round(6 * Math.Pow(2, -1.0 / 720), 2), component.Penalty);
        Assert.Equal([share.Id], component.Evidence);
    }

    [Fact]
    public void Assess_ElevatedStageAfterTheGrantExpired_IntentActionMismatch()
    {
        var chain = new AgentChain();
        chain.Allow(T0, Generate, TimeSpan.FromMinutes(15));
        var late = chain.Stage(Generate, T0 + TimeSpan.FromMinutes(15));

        var component = scorer.Assess(Omega, chain.Entries, T0 + TimeSpan.FromMinutes(15)).Component(TrustComponents.InconsistentReasoning);

        Assert.Equal(6, component.Penalty);
        Assert.Equal([late.Id], component.Evidence);
    }

    [Fact]
    public void Assess_GrantedStagesWithinTheGrantLifetime_NoMismatch()
    {
        var chain = new AgentChain();
        chain.Stage(Read, T0);
        chain.Allow(T0 + Minute, Generate, TimeSpan.FromMinutes(15));
        chain.Stage(Read, T0 + (2 * Minute));
        chain.Stage(Generate, T0 + (3 * Minute));
        chain.Stage(Generate, T0 + (4 * Minute));
        chain.Allow(T0 + (5 * Minute), Share, TimeSpan.FromMinutes(5));
        chain.Stage(Share, T0 + (6 * Minute));

        var assessment = scorer.Assess(Omega, chain.Entries, T0 + (6 * Minute));

        Assert.Equal(100, assessment.Score);
    }

    [Fact]
    public void Assess_ExternalSignals_WeightTimesDecayedSeverity()
    {
        var chain = new AgentChain();
        var old = chain.Signal(T0 - TimeSpan.FromHours(24), 0.5);
        var fresh = chain.Signal(T0, 0.9);

        var component = scorer.Assess(Omega, chain.Entries, T0).Component(TrustComponents.ExternalSignals);

        Assert.Equal(Math.Round((20 * 0.5 * 0.5) + (20 * 0.9), 2), component.Penalty);
        Assert.Equal([old.Id, fresh.Id], component.Evidence);
        Assert.Equal("2 external signals (1.15 severity after decay).", component.Detail);
    }

    [Fact]
    public void Assess_MalformedPayloads_IgnoredAndCounted()
    {
        var chain = new AgentChain();
        chain.Append(LedgerEntryKind.EventRecorded, T0, "not json");
        chain.Append(LedgerEntryKind.EventRecorded, T0, """{"scope":"read.dataset"}""");
        chain.Append(LedgerEntryKind.EventRecorded, T0, """{"kind":null,"source":"api"}""");
        chain.Append(LedgerEntryKind.EventRecorded, T0, """{"kind":"stage_started","source":"api"}""");
        chain.Append(LedgerEntryKind.ElevationDecided, T0, "[]");
        chain.Append(LedgerEntryKind.ElevationDecided, T0, """{"decision":"deny"}""");
        chain.Append(LedgerEntryKind.SignalRecorded, T0, """{"source":"peer","kind":"x","severity":"high"}""");
        chain.Append(LedgerEntryKind.RequestRejected, T0, "null");
        chain.Append(LedgerEntryKind.TrustRecomputed, T0, "not json either, but not a kind the scorer reads");
        var failure = chain.TokenFailure(T0);

        var assessment = scorer.Assess(Omega, chain.Entries, T0);

        Assert.Equal(8, assessment.IgnoredEntries);
        Assert.Equal(90, assessment.Score);
        Assert.Equal([failure.Id], assessment.Component(TrustComponents.TokenVerificationFailures).Evidence);
        Assert.Equal(10, assessment.HeadSeq);
    }

    [Fact]
    public void Assess_EntryOfAnotherChain_Ignored()
    {
        var other = new AgentChain("agent_beta");
        other.TokenFailure(T0);

        var assessment = scorer.Assess(Omega, other.Entries, T0);

        Assert.Equal(100, assessment.Score);
        Assert.Equal(1, assessment.IgnoredEntries);
        Assert.Equal(0, assessment.HeadSeq);
    }

    [Fact]
    public void Assess_SameChainTwice_EqualAssessments()
    {
        var chain = Drift();
        var now = T0 + TimeSpan.FromMinutes(10);

        var first = scorer.Assess(Omega, chain.Entries, now);
        var second = scorer.Assess(Omega, chain.Entries, now);
        var shuffled = scorer.Assess(Omega, chain.Entries.Reverse().ToList(), now);

        Assert.Equal(first, second);
        Assert.Equal(first, shuffled);
        Assert.Equal(first.GetHashCode(), shuffled.GetHashCode());
        Assert.NotEqual(first, scorer.Assess(Omega, chain.Entries, now + Minute));
    }

    [Fact]
    public void Assess_DriftScenario_DropsBelowThresholdAndNamesTheDrivers()
    {
        var chain = Drift();
        var e = chain.Entries;
        var now = T0 + TimeSpan.FromMinutes(10);

        var assessment = scorer.Assess(Omega, e, now);

        // Ages in seconds at `now`: retries 540 - 3i; stages share 420, generate 360, read 300; denials 240, 180; signal 120.
        static double Decay(double ageSeconds, double halfLifeHours) => Math.Pow(2, -ageSeconds / (halfLifeHours * 3600));
        var retries = (1 * Enumerable.Range(0, 20).Sum(i => Decay(540 - (3 * i), 1))) - 5;
        var sequences = 5 * (Decay(420, 12) + Decay(360, 12) + Decay(300, 12));
        var denials = 2 * (Decay(240, 6) + Decay(180, 6));
        var reasoning = (6 * (Decay(420, 12) + Decay(360, 12))) + ((3 + 4) * (Decay(240, 12) + Decay(180, 12)));
        var signals = 20 * 0.9 * Decay(120, 24);
        double[] penalties = [0, Math.Round(denials, 2), Math.Round(retries, 2), Math.Round(sequences, 2), 0, Math.Round(reasoning, 2), Math.Round(signals, 2)];

        Assert.Equal(penalties, assessment.Components.Select(c => c.Penalty));
        Assert.Equal(Math.Round(100 - penalties.Sum(), 2), assessment.Score);
        Assert.True(assessment.Score < 70, $"score {assessment.Score}");
        Assert.Equal(e.Skip(2).Take(20).Select(x => x.Id), assessment.Component(TrustComponents.RepetitiveRetries).Evidence);
        Assert.Equal([e[22].Id, e[23].Id, e[24].Id], assessment.Component(TrustComponents.UnexpectedCommandSequences).Evidence);
        Assert.Equal([e[22].Id, e[23].Id, e[25].Id, e[26].Id], assessment.Component(TrustComponents.InconsistentReasoning).Evidence);
        Assert.Equal([e[25].Id, e[26].Id], assessment.Component(TrustComponents.ElevationDenials).Evidence);
        Assert.Equal([e[27].Id], assessment.Component(TrustComponents.ExternalSignals).Evidence);
        Assert.Equal("2 inconsistent judge verdicts, 2 inflated confidences, 2 elevated stages off the stated intent or without a live allow.", assessment.Component(TrustComponents.InconsistentReasoning).Detail);
    }

    [Fact]
    public void Assess_NormalOperation_StaysAboveNinety()
    {
        var chain = new AgentChain();
        chain.Registered(T0);
        chain.Stage(Read, T0 + Minute, jobId: "j1");
        for (var i = 0; i < 10; i++)
        {
            chain.ApiCall(T0 + Minute + TimeSpan.FromSeconds(30 * i));
        }

        chain.Retry(T0 + (2 * Minute));
        chain.Retry(T0 + (2 * Minute) + TimeSpan.FromSeconds(10));
        chain.Retry(T0 + (2 * Minute) + TimeSpan.FromSeconds(20));
        chain.Allow(T0 + (3 * Minute), Generate, TimeSpan.FromMinutes(15));
        chain.Stage(Generate, T0 + (4 * Minute), jobId: "j1");
        var denial = chain.Deny(T0 + (5 * Minute), Share, "confidence_below_threshold", confidence: 0.6);
        chain.Allow(T0 + (6 * Minute), Share, TimeSpan.FromMinutes(5));
        chain.Stage(Share, T0 + (7 * Minute), jobId: "j1");

        var assessment = scorer.Assess(Omega, chain.Entries, T0 + (10 * Minute));

        var denials = Math.Round(2 * Math.Pow(2, -300.0 / 21600), 2);
        Assert.Equal([0, denials, 0, 0, 0, 0, 0], assessment.Components.Select(c => c.Penalty));
        Assert.Equal([denial.Id], assessment.Component(TrustComponents.ElevationDenials).Evidence);
        Assert.Equal(Math.Round(100 - denials, 2), assessment.Score);
        Assert.True(assessment.Score > 90, $"score {assessment.Score}");
    }

    [Fact]
    public void Summaries_EveryComponentWithItsPenalty()
    {
        var chain = new AgentChain();
        chain.TokenFailure(T0);
        chain.Signal(T0, 0.5);

        var summaries = scorer.Assess(Omega, chain.Entries, T0).Summaries();

        Assert.Equal(
            [
                new TrustComponentSummary("token_verification_failures", 10),
                new TrustComponentSummary("elevation_denials", 0),
                new TrustComponentSummary("repetitive_retries", 0),
                new TrustComponentSummary("unexpected_command_sequences", 0),
                new TrustComponentSummary("abnormal_api_usage", 0),
                new TrustComponentSummary("inconsistent_reasoning", 0),
                new TrustComponentSummary("external_signals", 10),
            ],
            summaries);
    }

    /// <summary>
    /// A fresh agent drifting (assessed at T0 + 10 min): a retry storm, three stage transitions outside the graph
    /// (two of them elevated stages run without an allow), two confident rationales denied as off-intent or vague,
    /// and a peer-consensus signal of severity 0.9.
    /// </summary>
    private static AgentChain Drift()
    {
        var chain = new AgentChain();
        chain.Registered(T0);                                                   // e[0]
        chain.Stage(Read, T0 + TimeSpan.FromSeconds(30));                       // e[1]
        for (var i = 0; i < 20; i++)
        {
            chain.Retry(T0 + Minute + TimeSpan.FromSeconds(3 * i));             // e[2..21]
        }

        chain.Stage(Share, T0 + (3 * Minute));                                  // e[22] read -> share, no allow
        chain.Stage(Generate, T0 + (4 * Minute));                               // e[23] share -> generate, no allow
        chain.Stage(Read, T0 + (5 * Minute));                                   // e[24] generate -> read
        chain.Deny(T0 + (6 * Minute), Generate, "intent_scope_mismatch", confidence: 0.95, verdict: "inconsistent"); // e[25]
        chain.Deny(T0 + (7 * Minute), Share, "reason_too_vague", confidence: 0.92, verdict: "inconsistent");         // e[26]
        chain.Signal(T0 + (8 * Minute), 0.9);                                   // e[27]
        return chain;
    }

    [Fact]
    public void Outlook_NoPenalty_NeverRescoredByDecay()
    {
        var chain = new AgentChain();
        chain.Registered(T0);

        var outlook = scorer.Outlook(Omega, chain.Entries, T0 + Hour, OnePublishedPoint);

        Assert.Equal(scorer.Assess(Omega, chain.Entries, T0 + Hour), outlook.Assessment);
        Assert.Null(outlook.RescoreAt);
    }

    [Fact]
    public void Outlook_LessThanAPublishedPointToRecover_NeverRescoredByDecay()
    {
        var chain = new AgentChain();
        chain.Signal(T0, 0.02); // 0.4 points: 99.6 is published as 100 already

        var outlook = scorer.Outlook(Omega, chain.Entries, T0, OnePublishedPoint);

        Assert.Equal(99.6, outlook.Assessment.Score);
        Assert.Null(outlook.RescoreAt);
    }

    [Fact]
    public void Outlook_CappedComponent_RescoreAtWhenTheCapStopsHoldingNotAtTheNaiveHalfLife()
    {
        var chain = new AgentChain();
        for (var i = 0; i < 5; i++)
        {
            chain.Signal(T0, 1.0); // 5 x 20 = 100 points of evidence, capped at 50
        }

        var outlook = scorer.Outlook(Omega, chain.Entries, T0, OnePublishedPoint);

        // 51 is published once 100 x 2^(-t / 24 h) <= 49.505: t >= 24 h 20 m 40 s. Decaying the capped 50 instead would say 21 minutes.
        Assert.Equal(50, outlook.Assessment.Score);
        var rescoreAt = Assert.NotNull(outlook.RescoreAt);
        Assert.InRange(rescoreAt, T0 + (24 * Hour) + TimeSpan.FromSeconds((20 * 60) + 40), T0 + (24 * Hour) + TimeSpan.FromSeconds((21 * 60) + 41));
        Assert.Equal(51, Published(scorer.Assess(Omega, chain.Entries, rescoreAt).Score));
        Assert.Equal(50, Published(scorer.Assess(Omega, chain.Entries, rescoreAt - TrustScorer.OutlookResolution).Score));
    }

    [Fact]
    public void Outlook_Retries_RescoreAtWhenTheAllowanceAbsorbsThem()
    {
        var chain = new AgentChain();
        for (var i = 0; i < 15; i++)
        {
            chain.Retry(T0); // 10 beyond the 5 free: 10 points, half-life 1 h
        }

        var outlook = scorer.Outlook(Omega, chain.Entries, T0, OnePublishedPoint);

        // 91 once 15 x 2^(-t / 1 h) - 5 <= 9.495: t >= 2.96 minutes, sooner than 10 points alone would decay by one (4.5 minutes).
        Assert.Equal(90, outlook.Assessment.Score);
        var rescoreAt = Assert.NotNull(outlook.RescoreAt);
        Assert.InRange(rescoreAt, T0 + TimeSpan.FromMinutes(2.9), T0 + TimeSpan.FromMinutes(4));
        Assert.Equal(91, Published(scorer.Assess(Omega, chain.Entries, rescoreAt).Score));
        Assert.Equal(90, Published(scorer.Assess(Omega, chain.Entries, rescoreAt - TrustScorer.OutlookResolution).Score));
    }

    private static bool OnePublishedPoint(double from, double to) => Math.Abs(Published(to) - Published(from)) >= 1;

    private static double Published(double score) => Math.Round(score, 0, MidpointRounding.AwayFromZero);

    /// <summary>An agent registered 25 h before <paramref name="now"/> with a steady call rate over the 24 windows before the latest.</summary>
    private static AgentChain QuietHistory(int callsPerHour, DateTimeOffset now)
    {
        var chain = new AgentChain();
        var registered = now - TimeSpan.FromHours(25);
        chain.Registered(registered);
        for (var hour = 0; hour < 24; hour++)
        {
            for (var call = 0; call < callsPerHour; call++)
            {
                chain.ApiCall(registered + (hour * Hour) + TimeSpan.FromSeconds(1 + (call * (3599.0 / callsPerHour))));
            }
        }

        return chain;
    }
}
