using System.Globalization;
using ReflexiveIdentity.Elevation;

namespace ReflexiveIdentity.Reasoning;

/// <summary>
/// Puts a rationale the deterministic policy accepted before the optional judge, under a hard time budget,
/// and turns the answer into a narrowing: the kept scopes are the policy-granted scopes the judge found
/// consistent; scopes the judge names beyond those are ignored (rule 1: the judge never grants).
/// Without a judge there is nothing to review and the policy decision stands.
/// </summary>
public sealed class RationaleReview
{
    private readonly IRationaleJudge? judge;
    private readonly RationaleReviewOptions options;
    private readonly TimeProvider time;
    private readonly JudgeVerdictCache cache;

    /// <summary>Creates the review; <paramref name="judge"/> null means policy only.</summary>
    public RationaleReview(IRationaleJudge? judge, RationaleReviewOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.JudgeBudget, TimeSpan.Zero, nameof(options));
        this.judge = judge;
        this.options = options;
        this.time = time;
        cache = new JudgeVerdictCache(options.CacheLifetime, options.CacheCapacity, time);
    }

    /// <summary>True when a judge is configured.</summary>
    public bool HasJudge => judge is not null;

    /// <summary>The judge's kind (<c>openai</c>), or <c>policy</c> when there is none.</summary>
    public string JudgeKind => judge?.Kind ?? "policy";

    /// <summary>The options in force.</summary>
    public RationaleReviewOptions Options => options;

    /// <summary>
    /// Asks the judge about <paramref name="request"/> (whose <see cref="JudgeRequest.Scopes"/> are the
    /// policy-granted elevated scopes). Null when no judge is configured. Never throws for a judge's failure
    /// or slowness: that is an <see cref="JudgeVerdictKind.Unavailable"/> outcome. Throws
    /// <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<RationaleReviewOutcome?> ReviewAsync(JudgeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (judge is null)
        {
            return null;
        }

        var key = JudgeVerdictCache.KeyOf(request);
        if (cache.TryGet(key, out var cached))
        {
            return Narrow(request, cached) with { Cached = true };
        }

        JudgeVerdict verdict;
        try
        {
            verdict = await AskWithinBudgetAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested && failure is not OutOfMemoryException)
        {
            return Unavailable(request, failure);
        }

        cache.Add(key, verdict);
        return Narrow(request, verdict);
    }

    private async Task<JudgeVerdict> AskWithinBudgetAsync(JudgeRequest request, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(options.JudgeBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var asked = judge!.JudgeAsync(request, linked.Token);
        try
        {
            // WaitAsync on the injected clock bounds the wait even for a judge that ignores its token.
            return await asked.WaitAsync(options.JudgeBudget, time, cancellationToken).ConfigureAwait(false) ?? throw new JudgeUnavailableException("The judge returned no verdict.");
        }
        catch (TimeoutException)
        {
            await linked.CancelAsync().ConfigureAwait(false);
            Observe(asked);
            throw;
        }
    }

    // A judge abandoned at the budget may still fail later; nobody awaits it, so its exception is observed here.
    private static void Observe(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private RationaleReviewOutcome Narrow(JudgeRequest request, JudgeVerdict verdict)
    {
        var consistent = new HashSet<string>(verdict.ConsistentScopes ?? [], StringComparer.Ordinal);
        var kept = request.Scopes.Where(consistent.Contains).ToList();
        var removed = request.Scopes.Where(scope => !consistent.Contains(scope)).ToList();
        var detail = string.IsNullOrWhiteSpace(verdict.Detail) ? "the judge found the rationale does not support this scope" : Clip(verdict.Detail.Trim());
        return new RationaleReviewOutcome
        {
            JudgeKind = judge!.Kind,
            Verdict = removed.Count == 0 ? JudgeVerdictKind.Consistent : JudgeVerdictKind.Inconsistent,
            KeptScopes = kept,
            Denials = removed.Select(scope => new ScopeDenial(scope, ReasonCode.JudgeInconsistent, detail)).ToList(),
            Reasons = removed.Select(scope => new Reason(ReasonCode.JudgeInconsistent, $"{scope}: {detail}")).ToList(),
        };
    }

    private RationaleReviewOutcome Unavailable(JudgeRequest request, Exception failure)
    {
        var why = failure is TimeoutException or OperationCanceledException
            ? string.Create(CultureInfo.InvariantCulture, $"the {judge!.Kind} judge did not answer within {options.JudgeBudget.TotalSeconds:0.###} s")
            : $"the {judge!.Kind} judge could not give a verdict ({Describe(failure)})";
        if (!options.FailClosed)
        {
            return new RationaleReviewOutcome
            {
                JudgeKind = judge.Kind,
                Verdict = JudgeVerdictKind.Unavailable,
                KeptScopes = request.Scopes,
                Denials = [],
                Reasons = [new Reason(ReasonCode.JudgeUnavailable, $"The rationale was not reviewed: {why}; the policy decision stands.")],
            };
        }

        var detail = $"{why}; with the judge required, no elevation without its verdict";
        return new RationaleReviewOutcome
        {
            JudgeKind = judge.Kind,
            Verdict = JudgeVerdictKind.Unavailable,
            KeptScopes = [],
            Denials = request.Scopes.Select(scope => new ScopeDenial(scope, ReasonCode.JudgeUnavailable, detail)).ToList(),
            Reasons = [new Reason(ReasonCode.JudgeUnavailable, $"The rationale was not reviewed: {detail}.")],
        };
    }

    // The exception type and the judge's own message (the adapters write them without model output or secrets).
    private static string Describe(Exception failure) => failure switch
    {
        JudgeUnavailableException unavailable => Clip(unavailable.Message),
        _ => failure.GetType().Name,
    };

    private static string Clip(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");
}
