namespace ReflexiveIdentity.Elevation;

/// <summary>
/// The outcome of the deterministic policy (and, later, the judge) for one request. Built only through
/// <see cref="Allow"/>, <see cref="Deny"/> and <see cref="Block"/>, each of which demands reasons.
/// </summary>
public sealed record ElevationDecision
{
    private ElevationDecision()
    {
    }

    /// <summary>Allow, deny or block.</summary>
    public DecisionKind Kind { get; private init; }

    /// <summary>The elevated scopes granted (empty unless <see cref="DecisionKind.Allow"/>).</summary>
    public IReadOnlyList<string> GrantedScopes { get; private init; } = [];

    /// <summary>Each requested elevated scope that was not granted, with why.</summary>
    public IReadOnlyList<ScopeDenial> DeniedScopes { get; private init; } = [];

    /// <summary>Why the decision came out as it did; never empty.</summary>
    public IReadOnlyList<Reason> Reasons { get; private init; } = [];

    /// <summary>The effective trust score the decision used.</summary>
    public double TrustScore { get; private init; }

    /// <summary>How long a grant from this decision lives (zero unless allowed).</summary>
    public TimeSpan GrantLifetime { get; private init; }

    /// <summary>Grants <paramref name="granted"/> (at least one) for <paramref name="lifetime"/>.</summary>
    public static ElevationDecision Allow(
        IReadOnlyList<string> granted,
        IReadOnlyList<ScopeDenial> denied,
        IReadOnlyList<Reason> reasons,
        double trustScore,
        TimeSpan lifetime)
    {
        if (granted.Count == 0)
        {
            throw new ArgumentException("An allow decision grants at least one scope.", nameof(granted));
        }

        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "An allow decision needs a positive grant lifetime.");
        }

        return new ElevationDecision
        {
            Kind = DecisionKind.Allow,
            GrantedScopes = granted,
            DeniedScopes = denied,
            Reasons = RequireReasons(reasons),
            TrustScore = trustScore,
            GrantLifetime = lifetime,
        };
    }

    /// <summary>Grants nothing; the baseline token goes on.</summary>
    public static ElevationDecision Deny(IReadOnlyList<ScopeDenial> denied, IReadOnlyList<Reason> reasons, double trustScore) => new()
    {
        Kind = DecisionKind.Deny,
        DeniedScopes = denied,
        Reasons = RequireReasons(reasons),
        TrustScore = trustScore,
    };

    /// <summary>Refuses the token altogether.</summary>
    public static ElevationDecision Block(IReadOnlyList<ScopeDenial> denied, Reason reason, double trustScore) => new()
    {
        Kind = DecisionKind.Block,
        DeniedScopes = denied,
        Reasons = [reason],
        TrustScore = trustScore,
    };

    private static IReadOnlyList<Reason> RequireReasons(IReadOnlyList<Reason> reasons) =>
        reasons.Count > 0 ? reasons : throw new ArgumentException("A decision needs at least one reason.", nameof(reasons));
}
