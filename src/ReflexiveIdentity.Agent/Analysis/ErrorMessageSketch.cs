namespace ReflexiveIdentity.Omega.Analysis;

/// <summary>
/// The most frequent error messages in bounded memory (Space-Saving, Metwally et al.): at most
/// <see cref="Capacity"/> (service, message) pairs are counted; a new pair replaces the least counted one and
/// inherits its count as its possible overestimate. Any pair seen more than total/capacity times is kept, and a
/// reported count exceeds the true one by at most its <see cref="ErrorMessageCount.MaxOverestimate"/>.
/// </summary>
public sealed class ErrorMessageSketch
{
    /// <summary>Messages longer than this are cut: the report shows them, it does not archive them.</summary>
    public const int MaxMessageLength = 300;

    private readonly Dictionary<(string Service, string Message), Counter> counters;

    public ErrorMessageSketch(int capacity = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        counters = new Dictionary<(string, string), Counter>(capacity);
    }

    public int Capacity { get; }

    /// <summary>Error messages added.</summary>
    public long Total { get; private set; }

    public void Add(string service, string message)
    {
        Total++;
        if (message.Length > MaxMessageLength)
        {
            message = string.Concat(message.AsSpan(0, MaxMessageLength - 1), "…");
        }

        var key = (service, message);
        if (counters.TryGetValue(key, out var counter))
        {
            counter.Count++;
            return;
        }

        if (counters.Count < Capacity)
        {
            counters.Add(key, new Counter { Count = 1 });
            return;
        }

        var least = counters.MinBy(pair => pair.Value.Count);
        counters.Remove(least.Key);
        counters.Add(key, new Counter { Count = least.Value.Count + 1, Overestimate = least.Value.Count });
    }

    /// <summary>The <paramref name="count"/> most frequent pairs, most frequent first (ties by service, then message).</summary>
    public IReadOnlyList<ErrorMessageCount> Top(int count) =>
        [.. counters
            .Select(pair => new ErrorMessageCount(pair.Key.Service, pair.Key.Message, pair.Value.Count, pair.Value.Overestimate))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Service, StringComparer.Ordinal)
            .ThenBy(c => c.Message, StringComparer.Ordinal)
            .Take(count)];

    private sealed class Counter
    {
        public long Count { get; set; }

        public long Overestimate { get; init; }
    }
}
