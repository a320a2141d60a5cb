namespace ReflexiveIdentity.Reasoning;

/// <summary>How <see cref="RationaleReview"/> treats the judge: its time budget, what an unavailable judge means, and the verdict cache.</summary>
public sealed record RationaleReviewOptions
{
    /// <summary>The default <see cref="JudgeBudget"/>: the Auth0 Action waits 4 s for the whole webhook.</summary>
    public static readonly TimeSpan DefaultJudgeBudget = TimeSpan.FromSeconds(2.5);

    /// <summary>How long the judge may take before it counts as unavailable, whether or not it honours cancellation.</summary>
    public TimeSpan JudgeBudget { get; init; } = DefaultJudgeBudget;

    /// <summary>
    /// False (the default): an unavailable judge leaves the policy decision standing, with a
    /// <c>judge_unavailable</c> reason. True: an unavailable judge denies every elevated scope the policy
    /// allowed, with <c>judge_unavailable</c> (rule 1 read strictly: no verdict, no elevation).
    /// </summary>
    public bool FailClosed { get; init; }

    /// <summary>How long a verdict is reused for the same agent, rationale and scopes.</summary>
    public TimeSpan CacheLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How many verdicts the cache holds at most; the ones closest to expiry go first.</summary>
    public int CacheCapacity { get; init; } = 1024;
}
