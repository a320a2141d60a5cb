using Microsoft.Extensions.Time.Testing;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Reasoning;

namespace ReflexiveIdentity.Core.Tests.Reasoning;

public sealed class RationaleReviewTests
{
    private static readonly Rationale GoodRationale = new("Share the operational report with the ops channel", "Weekly ops review needs error rates per service", 0.9);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 4, 16, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ReviewAsync_NoJudge_ReturnsNull()
    {
        var review = new RationaleReview(null, new RationaleReviewOptions(), time);

        Assert.Null(await review.ReviewAsync(Request("generate.report"), CancellationToken.None));
        Assert.False(review.HasJudge);
    }

    [Fact]
    public async Task ReviewAsync_JudgeKeepsEveryScope_IsConsistentWithNoReasons()
    {
        var review = Review(ScriptedJudge.Keeping("generate.report", "share.output"));

        var outcome = await review.ReviewAsync(Request("generate.report", "share.output"), CancellationToken.None);

        Assert.NotNull(outcome);
        Assert.Equal(JudgeVerdictKind.Consistent, outcome.Verdict);
        Assert.Equal("consistent", outcome.VerdictName);
        Assert.Equal("openai", outcome.JudgeKind);
        Assert.Equal(["generate.report", "share.output"], outcome.KeptScopes);
        Assert.Empty(outcome.Denials);
        Assert.Empty(outcome.Reasons);
    }

    [Fact]
    public async Task ReviewAsync_JudgeKeepsOne_DeniesTheOtherWithJudgeInconsistentAndTheDetail()
    {
        var review = Review(new ScriptedJudge(_ => new JudgeVerdict(["generate.report"], "Nothing was generated yet, so there is nothing to share.")));

        var outcome = await review.ReviewAsync(Request("generate.report", "share.output"), CancellationToken.None);

        Assert.Equal(JudgeVerdictKind.Inconsistent, outcome!.Verdict);
        Assert.Equal(["generate.report"], outcome.KeptScopes);
        Assert.Equal([new ScopeDenial("share.output", ReasonCode.JudgeInconsistent, "Nothing was generated yet, so there is nothing to share.")], outcome.Denials);
        Assert.Equal([new Reason(ReasonCode.JudgeInconsistent, "share.output: Nothing was generated yet, so there is nothing to share.")], outcome.Reasons);
    }

    [Fact]
    public async Task ReviewAsync_JudgeNamesScopesThePolicyDidNotGrant_IgnoresThem()
    {
        var review = Review(ScriptedJudge.Keeping("generate.report", "share.output", "admin:all"));

        var outcome = await review.ReviewAsync(Request("generate.report"), CancellationToken.None);

        Assert.Equal(["generate.report"], outcome!.KeptScopes);
        Assert.Equal(JudgeVerdictKind.Consistent, outcome.Verdict);
    }

    [Fact]
    public async Task ReviewAsync_JudgeThrowsUnavailable_PolicyDecisionStandsWithJudgeUnavailable()
    {
        var review = Review(ScriptedJudge.Failing(new JudgeUnavailableException("the model's answer is not a JSON object")));

        var outcome = await review.ReviewAsync(Request("generate.report"), CancellationToken.None);

        Assert.Equal(JudgeVerdictKind.Unavailable, outcome!.Verdict);
        Assert.Equal(["generate.report"], outcome.KeptScopes);
        Assert.Empty(outcome.Denials);
        var reason = Assert.Single(outcome.Reasons);
        Assert.Equal(ReasonCode.JudgeUnavailable, reason.Code);
        Assert.Contains("the model's answer is not a JSON object", reason.Detail, StringComparison.Ordinal);
        Assert.Contains("the policy decision stands", reason.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewAsync_JudgeThrowsAnything_IsUnavailableNotAnError()
    {
        var review = Review(ScriptedJudge.Failing(new HttpRequestException("connection refused")));

        var outcome = await review.ReviewAsync(Request("generate.report"), CancellationToken.None);

        Assert.Equal(JudgeVerdictKind.Unavailable, outcome!.Verdict);
        Assert.Contains("HttpRequestException", Assert.Single(outcome.Reasons).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewAsync_FailClosedAndJudgeUnavailable_DeniesEveryScopeWithJudgeUnavailable()
    {
        var review = Review(ScriptedJudge.Failing(new JudgeUnavailableException("down")), new RationaleReviewOptions { FailClosed = true });

        var outcome = await review.ReviewAsync(Request("generate.report", "share.output"), CancellationToken.None);

        Assert.Equal(JudgeVerdictKind.Unavailable, outcome!.Verdict);
        Assert.Empty(outcome.KeptScopes);
        Assert.Equal(["generate.report", "share.output"], outcome.Denials.Select(d => d.Scope));
        Assert.All(outcome.Denials, d => Assert.Equal(ReasonCode.JudgeUnavailable, d.Code));
        Assert.Equal(ReasonCode.JudgeUnavailable, Assert.Single(outcome.Reasons).Code);
    }

    [Fact]
    public async Task ReviewAsync_JudgeIgnoresCancellation_IsUnavailableAtTheBudgetOnTheInjectedClock()
    {
        var judge = new ScriptedJudge(_ => new JudgeVerdict(["generate.report"], "late")) { Gate = new TaskCompletionSource(), IgnoreCancellation = true };
        var review = Review(judge, new RationaleReviewOptions { JudgeBudget = TimeSpan.FromSeconds(2.5) });

        var pending = review.ReviewAsync(Request("generate.report"), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2.4));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        var outcome = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(JudgeVerdictKind.Unavailable, outcome!.Verdict);
        Assert.Contains("did not answer within 2.5 s", Assert.Single(outcome.Reasons).Detail, StringComparison.Ordinal);
        Assert.True(judge.SawCancellation);
        judge.Gate!.SetResult();
    }

    [Fact]
    public async Task ReviewAsync_JudgeHonoursCancellation_IsUnavailableAtTheBudget()
    {
        var judge = new ScriptedJudge(_ => new JudgeVerdict(["generate.report"], "late")) { Gate = new TaskCompletionSource() };
        var review = Review(judge, new RationaleReviewOptions { JudgeBudget = TimeSpan.FromMilliseconds(300) });

        var pending = review.ReviewAsync(Request("generate.report"), CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(300));
        var outcome = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(JudgeVerdictKind.Unavailable, outcome!.Verdict);
        Assert.Equal(["generate.report"], outcome.KeptScopes);
    }

    [Fact]
    public async Task ReviewAsync_CallerCancels_Throws()
    {
        var judge = new ScriptedJudge(_ => new JudgeVerdict(["generate.report"], "late")) { Gate = new TaskCompletionSource() };
        var review = Review(judge);
        using var cancel = new CancellationTokenSource();

        var pending = review.ReviewAsync(Request("generate.report"), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task ReviewAsync_SameRationaleAndScopes_AsksTheJudgeOnceWithinTheCacheLifetime()
    {
        var judge = ScriptedJudge.Keeping("generate.report");
        var review = Review(judge);

        await review.ReviewAsync(Request("generate.report"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(9));
        var second = await review.ReviewAsync(Request("generate.report") with { RecentActions = ["something newer"] }, CancellationToken.None);

        Assert.Equal(1, judge.Calls);
        Assert.True(second!.Cached);
        Assert.Equal(["generate.report"], second.KeptScopes);
    }

    [Fact]
    public async Task ReviewAsync_AfterTheCacheLifetime_AsksAgain()
    {
        var judge = ScriptedJudge.Keeping("generate.report");
        var review = Review(judge);

        await review.ReviewAsync(Request("generate.report"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(10));
        var second = await review.ReviewAsync(Request("generate.report"), CancellationToken.None);

        Assert.Equal(2, judge.Calls);
        Assert.False(second!.Cached);
    }

    [Fact]
    public async Task ReviewAsync_ScopesInAnotherOrder_HitTheSameCacheEntry()
    {
        var judge = ScriptedJudge.Keeping("generate.report", "share.output");
        var review = Review(judge);

        await review.ReviewAsync(Request("generate.report", "share.output"), CancellationToken.None);
        await review.ReviewAsync(Request("share.output", "generate.report"), CancellationToken.None);

        Assert.Equal(1, judge.Calls);
    }

    [Theory]
    [InlineData("intent")]
    [InlineData("reason")]
    [InlineData("confidence")]
    [InlineData("scopes")]
    [InlineData("agent")]
    public async Task ReviewAsync_AnyKeyFieldDiffers_AsksTheJudgeAgain(string field)
    {
        var judge = ScriptedJudge.Keeping("generate.report", "share.output");
        var review = Review(judge);
        var first = Request("generate.report");
        var second = field switch
        {
            "intent" => first with { Rationale = GoodRationale with { Intent = GoodRationale.Intent + " now" } },
            "reason" => first with { Rationale = GoodRationale with { Reason = GoodRationale.Reason + " today" } },
            "confidence" => first with { Rationale = GoodRationale with { Confidence = 0.91 } },
            "scopes" => first with { Scopes = ["generate.report", "share.output"] },
            _ => first with { AgentId = "agent_other" },
        };

        await review.ReviewAsync(first, CancellationToken.None);
        await review.ReviewAsync(second, CancellationToken.None);

        Assert.Equal(2, judge.Calls);
    }

    [Fact]
    public async Task ReviewAsync_Failure_IsNotCached()
    {
        var calls = 0;
        var judge = new ScriptedJudge(_ => ++calls == 1 ? throw new JudgeUnavailableException("blip") : new JudgeVerdict(["generate.report"], "ok"));
        var review = Review(judge);

        var first = await review.ReviewAsync(Request("generate.report"), CancellationToken.None);
        var second = await review.ReviewAsync(Request("generate.report"), CancellationToken.None);

        Assert.Equal(JudgeVerdictKind.Unavailable, first!.Verdict);
        Assert.Equal(JudgeVerdictKind.Consistent, second!.Verdict);
        Assert.Equal(2, judge.Calls);
    }

    [Fact]
    public async Task ReviewAsync_CacheFull_EvictsSoThatItNeverHoldsMoreThanItsCapacity()
    {
        var judge = ScriptedJudge.Keeping("generate.report");
        var review = Review(judge, new RationaleReviewOptions { CacheCapacity = 2 });

        foreach (var agent in new[] { "a1", "a2", "a3" })
        {
            await review.ReviewAsync(Request("generate.report") with { AgentId = agent }, CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await review.ReviewAsync(Request("generate.report") with { AgentId = "a3" }, CancellationToken.None);
        await review.ReviewAsync(Request("generate.report") with { AgentId = "a1" }, CancellationToken.None);

        Assert.Equal(4, judge.Calls);
    }

    private RationaleReview Review(IRationaleJudge judge, RationaleReviewOptions? options = null) => new(judge, options ?? new RationaleReviewOptions(), time);

    private static JudgeRequest Request(params string[] scopes) => new("agent_omega", GoodRationale, scopes, ["2026-12-04T15:59:00Z event_recorded stage_completed scope=read.dataset outcome=success"]);
}
