using ReflexiveIdentity.Omega.Dataset;

namespace ReflexiveIdentity.Omega.Analysis;

/// <summary>
/// Stage 1 (<c>read.dataset</c>): everything the report needs from a log dataset, in memory that does not grow with
/// the number of lines: per-service counts and latency histograms (at most <see cref="MaxServices"/> services; the
/// rest are pooled under <see cref="OtherServices"/>), the top error messages in a bounded sketch, and requests and
/// errors per hour (which grows with the time span only).
/// </summary>
public sealed class LogAggregate
{
    /// <summary>Services tallied one by one; a dataset with more pools the rest.</summary>
    public const int MaxServices = 256;

    /// <summary>The name under which services beyond <see cref="MaxServices"/> are tallied.</summary>
    public const string OtherServices = "(other services)";

    private readonly Dictionary<string, ServiceTally> services = new(StringComparer.Ordinal);
    private long linesRead;
    private long malformedLines;
    private IReadOnlyList<long> firstMalformedLines = [];

    /// <summary>Per-service tallies, by service name.</summary>
    public IReadOnlyDictionary<string, ServiceTally> Services => services;

    /// <summary>Every request of every service.</summary>
    public ServiceTally Overall { get; } = new();

    public ErrorMessageSketch TopErrors { get; } = new();

    public HourlyTimeline Timeline { get; } = new();

    public long Records => Overall.Requests;

    public DateTimeOffset? From { get; private set; }

    public DateTimeOffset? To { get; private set; }

    /// <summary>What was read. Lines and malformed lines come from the reader when the aggregate was read with <see cref="ReadAsync(Stream, CancellationToken)"/>.</summary>
    public DatasetFacts Facts => new(Math.Max(linesRead, Records), Records, malformedLines, firstMalformedLines, From, To);

    /// <summary>Streams the dataset file at <paramref name="path"/> into a new aggregate; a missing file is a <see cref="FileNotFoundException"/> naming it.</summary>
    public static async Task<LogAggregate> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var stream = LogDatasetReader.OpenFile(path);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Streams a JSON Lines dataset into a new aggregate; the stream is not disposed.</summary>
    public static async Task<LogAggregate> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var reader = new LogDatasetReader(messages: LogMessages.ErrorsOnly);
        var aggregate = new LogAggregate();
        await foreach (var record in reader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            aggregate.Add(record);
        }

        aggregate.linesRead = reader.LinesRead;
        aggregate.malformedLines = reader.MalformedLines;
        aggregate.firstMalformedLines = [.. reader.FirstMalformedLines];
        return aggregate;
    }

    public void Add(in LogRecord record)
    {
        var isError = record.IsError;
        Tally(record.Service).Add(record.LatencyMs, isError);
        Overall.Add(record.LatencyMs, isError);
        Timeline.Add(record.Timestamp, isError);
        if (isError)
        {
            TopErrors.Add(record.Service, record.Message);
        }

        if (From is not { } from || record.Timestamp < from)
        {
            From = record.Timestamp;
        }

        if (To is not { } to || record.Timestamp > to)
        {
            To = record.Timestamp;
        }
    }

    private ServiceTally Tally(string service)
    {
        if (services.TryGetValue(service, out var tally))
        {
            return tally;
        }

        if (services.Count >= MaxServices)
        {
            service = OtherServices;
            if (services.TryGetValue(service, out tally))
            {
                return tally;
            }
        }

        tally = new ServiceTally();
        services.Add(service, tally);
        return tally;
    }
}
