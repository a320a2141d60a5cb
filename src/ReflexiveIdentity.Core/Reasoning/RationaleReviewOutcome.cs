using ReflexiveIdentity.Elevation;

namespace ReflexiveIdentity.Reasoning;

/// <summary>
/// What the judge made of a rationale the policy accepted: the scopes to keep (always a subset of those the
/// policy allowed), a denial for each scope taken away, and the reason to add to the decision.
/// </summary>
public sealed record RationaleReviewOutcome
{
    /// <summary>The judge's kind (<c>openai</c>, ...), as recorded in <c>judge.kind</c>.</summary>
    public required string JudgeKind { get; init; }

    /// <summary>Consistent, inconsistent or unavailable.</summary>
    public required JudgeVerdictKind Verdict { get; init; }

    /// <summary>The policy-granted scopes that stay granted, in the policy's order.</summary>
    public required IReadOnlyList<string> KeptScopes { get; init; }

    /// <summary>One denial per policy-granted scope taken away (<c>judge_inconsistent</c> or <c>judge_unavailable</c>).</summary>
    public required IReadOnlyList<ScopeDenial> Denials { get; init; }

    /// <summary>Reasons to add to the decision (none when the judge agreed with the policy).</summary>
    public required IReadOnlyList<Reason> Reasons { get; init; }

    /// <summary>True when the verdict came from the cache rather than a call to the judge.</summary>
    public bool Cached { get; init; }

    /// <summary>The <c>judge.verdict</c> wire name: <c>consistent</c>, <c>inconsistent</c> or <c>unavailable</c>.</summary>
    public string VerdictName => Verdict.ToString().ToLowerInvariant();
}
