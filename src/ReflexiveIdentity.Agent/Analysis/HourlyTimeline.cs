namespace ReflexiveIdentity.Omega.Analysis;

/// <summary>Requests and errors per UTC hour; grows with the hours the data spans, not with its lines.</summary>
public sealed class HourlyTimeline
{
    private readonly Dictionary<long, Tally> hours = [];

    public void Add(DateTimeOffset timestamp, bool isError)
    {
        var hour = timestamp.UtcTicks / TimeSpan.TicksPerHour;
        if (!hours.TryGetValue(hour, out var tally))
        {
            hours[hour] = tally = new Tally();
        }

        tally.Requests++;
        if (isError)
        {
            tally.Errors++;
        }
    }

    /// <summary>The hours that have requests, in time order.</summary>
    public IReadOnlyList<HourlyCount> Hours() =>
        [.. hours.OrderBy(pair => pair.Key)
            .Select(pair => new HourlyCount(new DateTimeOffset(pair.Key * TimeSpan.TicksPerHour, TimeSpan.Zero), pair.Value.Requests, pair.Value.Errors))];

    private sealed class Tally
    {
        public long Requests { get; set; }

        public long Errors { get; set; }
    }
}
