using ReflexiveIdentity.Agents;

namespace ReflexiveIdentity.Trust;

/// <summary>
/// An agent's trust score at a point in time and why: every component of <see cref="TrustComponents.All"/>,
/// in that order, with its penalty and the ledger entries behind it. Two assessments are equal when every
/// value, component and evidence id is.
/// </summary>
public sealed record TrustAssessment
{
    /// <summary>The agent assessed.</summary>
    public required string AgentId { get; init; }

    /// <summary>100 minus the components' penalties, clamped to 0..100 and rounded to 2 decimals.</summary>
    public required double Score { get; init; }

    /// <summary>The time the evidence was decayed to.</summary>
    public required DateTimeOffset AssessedAt { get; init; }

    /// <summary>The highest seq of the agent's chain that was read (0 for an empty chain).</summary>
    public required long HeadSeq { get; init; }

    /// <summary>Every component, in the order of <see cref="TrustComponents.All"/>; zero penalty when there is no evidence.</summary>
    public required IReadOnlyList<TrustComponent> Components { get; init; }

    /// <summary>Entries that could not be used (a payload that does not parse, or an entry of another chain), for diagnostics.</summary>
    public required int IgnoredEntries { get; init; }

    /// <summary>The component named <paramref name="name"/> (one of <see cref="TrustComponents"/>).</summary>
    public TrustComponent Component(string name)
    {
        foreach (var component in Components)
        {
            if (string.Equals(component.Name, name, StringComparison.Ordinal))
            {
                return component;
            }
        }

        throw new KeyNotFoundException($"The assessment has no component named '{name}'.");
    }

    /// <summary>Each component's name and penalty, as the identity provider's record carries them.</summary>
    public IReadOnlyList<TrustComponentSummary> Summaries()
    {
        var summaries = new TrustComponentSummary[Components.Count];
        for (var i = 0; i < summaries.Length; i++)
        {
            summaries[i] = new TrustComponentSummary(Components[i].Name, Components[i].Penalty);
        }

        return summaries;
    }

    /// <summary>Value equality, components compared in order.</summary>
    public bool Equals(TrustAssessment? other) =>
        other is not null
        && string.Equals(AgentId, other.AgentId, StringComparison.Ordinal)
        && Score.Equals(other.Score)
        && AssessedAt.Equals(other.AssessedAt)
        && HeadSeq == other.HeadSeq
        && IgnoredEntries == other.IgnoredEntries
        && Components.SequenceEqual(other.Components);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(AgentId, StringComparer.Ordinal);
        hash.Add(Score);
        hash.Add(AssessedAt);
        hash.Add(HeadSeq);
        hash.Add(IgnoredEntries);
        foreach (var component in Components)
        {
            hash.Add(component);
        }

        return hash.ToHashCode();
    }
}

/// <summary>One component of a trust score.</summary>
public sealed record TrustComponent
{
    /// <summary>One of <see cref="TrustComponents"/>.</summary>
    public required string Name { get; init; }

    /// <summary>Points taken off the score, 0..the component's maximum, rounded to 2 decimals.</summary>
    public required double Penalty { get; init; }

    /// <summary>The ids (<c>chain/seq</c>) of the ledger entries behind the penalty, in seq order.</summary>
    public required IReadOnlyList<string> Evidence { get; init; }

    /// <summary>A short explanation for operators.</summary>
    public required string Detail { get; init; }

    /// <summary>Value equality, evidence compared in order.</summary>
    public bool Equals(TrustComponent? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Penalty.Equals(other.Penalty)
        && string.Equals(Detail, other.Detail, StringComparison.Ordinal)
        && Evidence.SequenceEqual(other.Evidence, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        hash.Add(Penalty);
        hash.Add(Detail, StringComparer.Ordinal);
        foreach (var id in Evidence)
        {
            hash.Add(id, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
