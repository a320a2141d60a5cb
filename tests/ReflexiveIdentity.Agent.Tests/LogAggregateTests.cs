using System.Text;
using ReflexiveIdentity.Omega.Analysis;
using ReflexiveIdentity.Omega.Dataset;

namespace ReflexiveIdentity.Omega.Tests;

public sealed class LogAggregateTests
{
    private static readonly DateTimeOffset T = LogLines.Start;

    [Fact]
    public async Task ReadAsync_SmallDataset_CountsServicesErrorsAndExactPercentiles()
    {
        var lines = new List<string>();
        for (var i = 1; i <= 20; i++)
        {
            lines.Add(LogLines.Line(T.AddMinutes(i), "search", "info", 200, i * 10, "ok"));
        }

        lines.Add(LogLines.Line(T.AddMinutes(70), "payments", "info", 503, 3000, "timeout"));
        lines.Add(LogLines.Line(T.AddMinutes(71), "payments", "error", 200, 100, "job failed"));
        lines.Add(LogLines.Line(T.AddMinutes(72), "payments", "warn", 404, 5, "not found"));
        lines.Add(LogLines.Line(T.AddMinutes(73), "payments", "info", 499, 5, "client gone"));
        lines.Add("garbage");

        var aggregate = await LogAggregate.ReadAsync(Stream(lines), CancellationToken.None);

        var facts = aggregate.Facts;
        Assert.Equal((25L, 24L, 1L, (DateTimeOffset?)T.AddMinutes(1), (DateTimeOffset?)T.AddMinutes(73)), (facts.LinesRead, facts.Records, facts.MalformedLines, facts.From, facts.To));
        Assert.Equal([25L], facts.FirstMalformedLines);
        var search = aggregate.Services["search"];
        Assert.Equal((20, 0), (search.Requests, search.Errors));
        Assert.Equal((100.0, 190.0, 200.0), (search.Latency.Percentile(0.5), search.Latency.Percentile(0.95), search.Latency.Percentile(0.99)));
        var payments = aggregate.Services["payments"];
        Assert.Equal((4, 2), (payments.Requests, payments.Errors));
        Assert.Equal((24, 2), (aggregate.Overall.Requests, aggregate.Overall.Errors));
    }

    [Fact]
    public void Timeline_RecordsInThreeHours_CountsRequestsAndErrorsPerUtcHour()
    {
        var aggregate = new LogAggregate();
        aggregate.Add(Record(T.AddMinutes(5), status: 200));
        aggregate.Add(Record(T.AddMinutes(59), status: 500));
        aggregate.Add(Record(T.AddHours(2).AddMinutes(1), status: 200));
        aggregate.Add(Record(new DateTimeOffset(2026, 12, 1, 13, 30, 0, TimeSpan.FromHours(1)), status: 502));

        Assert.Equal(
            [
                new HourlyCount(T, 2, 1),
                new HourlyCount(T.AddHours(2), 2, 1),
            ],
            aggregate.Timeline.Hours());
    }

    [Fact]
    public void TopErrors_ErrorsOfSeveralServices_AreRankedWithTheirService()
    {
        var aggregate = new LogAggregate();
        for (var i = 0; i < 5; i++)
        {
            aggregate.Add(Record(T, status: 503, service: "payments", message: "upstream timeout"));
        }

        for (var i = 0; i < 3; i++)
        {
            aggregate.Add(Record(T, status: 500, service: "search", message: "upstream timeout"));
        }

        aggregate.Add(Record(T, status: 200, service: "search", message: "fine"));
        aggregate.Add(Record(T, status: 200, service: "auth", message: "key refresh failed", level: LogSeverity.Error));

        Assert.Equal(
            [
                new ErrorMessageCount("payments", "upstream timeout", 5, 0),
                new ErrorMessageCount("search", "upstream timeout", 3, 0),
                new ErrorMessageCount("auth", "key refresh failed", 1, 0),
            ],
            aggregate.TopErrors.Top(10));
    }

    [Fact]
    public void Add_MoreServicesThanTheLimit_PoolsTheRestUnderOtherServices()
    {
        var aggregate = new LogAggregate();
        for (var i = 0; i < LogAggregate.MaxServices + 10; i++)
        {
            aggregate.Add(Record(T, status: 200, service: $"svc{i}"));
        }

        Assert.Equal(LogAggregate.MaxServices + 1, aggregate.Services.Count);
        Assert.Equal(10, aggregate.Services[LogAggregate.OtherServices].Requests);
    }

    [Fact]
    public void ErrorMessageSketch_HeavyHitterAmongManyRareMessages_IsKeptAndCountedWithinItsBound()
    {
        var sketch = new ErrorMessageSketch(capacity: 64);
        for (var i = 0; i < 10_000; i++)
        {
            sketch.Add("api", $"rare failure {i}");
            if (i % 4 == 0)
            {
                sketch.Add("payments", "card-processor timeout");
            }
        }

        var top = sketch.Top(1)[0];

        Assert.Equal(("payments", "card-processor timeout"), (top.Service, top.Message));
        Assert.InRange(2500, top.Count - top.MaxOverestimate, top.Count);
        Assert.Equal(12_500, sketch.Total);
        Assert.Equal(64, sketch.Top(1000).Count);
    }

    private static LogRecord Record(DateTimeOffset at, int status, string service = "api", string message = "m", LogSeverity level = LogSeverity.Info) =>
        new(at, service, level, status, 10, message);

    private static MemoryStream Stream(IEnumerable<string> lines) => new(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
}
