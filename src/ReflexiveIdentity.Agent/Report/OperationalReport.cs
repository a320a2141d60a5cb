using ReflexiveIdentity.Omega.Analysis;

namespace ReflexiveIdentity.Omega.Report;

/// <summary>
/// Stage 2 (<c>generate.report</c>): the operational report computed from a <see cref="LogAggregate"/>: per-service
/// requests, error rates and p50/p95/p99 latency, the top error messages, the hourly timeline and what was read.
/// Render it with <see cref="Render"/>.
/// </summary>
public sealed record OperationalReport
{
    /// <summary>How many error messages the report lists.</summary>
    public const int TopErrorCount = 10;

    /// <summary>The report's name: file and blob names derive from it (see <see cref="RenderedReport.IsValidName"/>).</summary>
    public required string Name { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }

    public required DatasetFacts Dataset { get; init; }

    /// <summary>Services by request count, most first.</summary>
    public required IReadOnlyList<ServiceSummary> Services { get; init; }

    /// <summary>All services together.</summary>
    public required ServiceSummary Overall { get; init; }

    public required IReadOnlyList<ErrorMessageCount> TopErrors { get; init; }

    public required IReadOnlyList<HourlyCount> Timeline { get; init; }

    /// <summary>Computes the report; <paramref name="name"/> must satisfy <see cref="RenderedReport.IsValidName"/>.</summary>
    public static OperationalReport Create(LogAggregate aggregate, string name, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        RenderedReport.EnsureValidName(name);
        return new OperationalReport
        {
            Name = name,
            GeneratedAt = generatedAt,
            Dataset = aggregate.Facts,
            Services = [.. aggregate.Services
                .OrderByDescending(pair => pair.Value.Requests)
                .ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => Summarize(pair.Key, pair.Value))],
            Overall = Summarize("all services", aggregate.Overall),
            TopErrors = aggregate.TopErrors.Top(TopErrorCount),
            Timeline = aggregate.Timeline.Hours(),
        };
    }

    /// <summary>The report as Markdown and as a self-contained HTML page.</summary>
    public RenderedReport Render() => new()
    {
        Name = Name,
        GeneratedAt = GeneratedAt,
        Markdown = MarkdownReport.Render(this),
        Html = HtmlReport.Render(this),
    };

    private static ServiceSummary Summarize(string service, ServiceTally tally) => new(
        service,
        tally.Requests,
        tally.Errors,
        tally.Requests == 0 ? 0 : (double)tally.Errors / tally.Requests,
        tally.Latency.Percentile(0.50),
        tally.Latency.Percentile(0.95),
        tally.Latency.Percentile(0.99));
}
