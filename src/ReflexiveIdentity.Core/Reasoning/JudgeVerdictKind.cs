namespace ReflexiveIdentity.Reasoning;

/// <summary>What came of asking the judge, as recorded in a decision's <c>judge.verdict</c>.</summary>
public enum JudgeVerdictKind
{
    /// <summary>The judge kept every scope the policy allowed.</summary>
    Consistent,

    /// <summary>The judge kept fewer scopes than the policy allowed (possibly none).</summary>
    Inconsistent,

    /// <summary>The judge failed, answered something unusable, or ran out of its time budget.</summary>
    Unavailable,
}
