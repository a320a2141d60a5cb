namespace ReflexiveIdentity.Omega.Analysis;

/// <summary>What was read: non-blank lines, records aggregated, malformed lines skipped (the first few by number) and the time range.</summary>
public sealed record DatasetFacts(
    long LinesRead,
    long Records,
    long MalformedLines,
    IReadOnlyList<long> FirstMalformedLines,
    DateTimeOffset? From,
    DateTimeOffset? To);
