namespace ReflexiveIdentity.Policy;

/// <summary>What the policy demands before a scope is granted.</summary>
public sealed record ScopeRule
{
    /// <summary>The scope, e.g. <c>share.output</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Critical scopes are revoked when an agent falls below the trust threshold.</summary>
    public required bool Critical { get; init; }

    /// <summary>Baseline scopes come with every agent token and are never elevated.</summary>
    public required bool Baseline { get; init; }

    /// <summary>The lowest rationale confidence that can earn the scope.</summary>
    public required double MinConfidence { get; init; }

    /// <summary>The lowest trust score that can earn the scope.</summary>
    public required double MinTrust { get; init; }

    /// <summary>The longest a grant of the scope may live.</summary>
    public required TimeSpan MaxTtl { get; init; }

    /// <summary>Words (lowercase stems) one of which the rationale's intent must contain.</summary>
    public required IReadOnlyList<string> IntentKeywords { get; init; }
}
