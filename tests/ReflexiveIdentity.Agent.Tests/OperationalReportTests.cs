using ReflexiveIdentity.Omega.Analysis;
using ReflexiveIdentity.Omega.Dataset;
using ReflexiveIdentity.Omega.Report;

namespace ReflexiveIdentity.Omega.Tests;

public sealed class OperationalReportTests
{
    private static readonly DateTimeOffset T = LogLines.Start;
    private static readonly DateTimeOffset GeneratedAt = new(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_Aggregate_SummarizesServicesMostRequestsFirst()
    {
        var report = OperationalReport.Create(Aggregate(), "weekly-ops", GeneratedAt);

        Assert.Equal(
            [
                new ServiceSummary("search", 3, 0, 0, 20, 30, 30),
                new ServiceSummary("payments", 2, 1, 0.5, 100, 3000, 3000),
            ],
            report.Services);
        Assert.Equal(new ServiceSummary("all services", 5, 1, 0.2, 30, 3000, 3000), report.Overall);
        Assert.Equal([new ErrorMessageCount("payments", "<script>alert('x')</script> | *boom*", 1, 0)], report.TopErrors);
        Assert.Equal([new HourlyCount(T, 4, 1), new HourlyCount(T.AddHours(1), 1, 0)], report.Timeline);
    }

    [Fact]
    public void Create_UnsafeName_Throws() =>
        Assert.Throws<ArgumentException>(() => OperationalReport.Create(Aggregate(), "../etc/passwd", GeneratedAt));

    [Fact]
    public void Render_Html_IsSelfContainedWithTheTimelineChartAndEscapedMessages()
    {
        var html = OperationalReport.Create(Aggregate(), "weekly-ops", GeneratedAt).Render().Html;

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", html, StringComparison.Ordinal);
        Assert.Contains("<title>2026-12-01 10:00Z: 4 requests, 1 errors</title>", html, StringComparison.Ordinal);
        Assert.Contains("<polyline points=", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; | *boom*", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Markdown_HasTheTablesWithEscapedMessages()
    {
        var markdown = OperationalReport.Create(Aggregate(), "weekly-ops", GeneratedAt).Render().Markdown;

        Assert.Contains(
            """
            | service | requests | errors | error rate | p50 ms | p95 ms | p99 ms |
            |---|---:|---:|---:|---:|---:|---:|
            | search | 3 | 0 | 0.00% | 20.0 | 30.0 | 30.0 |
            | payments | 2 | 1 | 50.00% | 100 | 3,000 | 3,000 |
            | **all services** | 5 | 1 | 20.00% | 30.0 | 3,000 | 3,000 |
            """.ReplaceLineEndings("\n"),
            markdown,
            StringComparison.Ordinal);
        Assert.Contains(@"| 1 | payments | &lt;script&gt;alert('x')&lt;/script&gt; \| \*boom\* |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 2026-12-01 10:00 | 4 | 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| malformed lines | 0 |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", markdown, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_NoRecords_SaysSoInsteadOfFailing()
    {
        var rendered = OperationalReport.Create(new LogAggregate(), "empty", GeneratedAt).Render();

        Assert.Contains("no requests", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("No errors.", rendered.Markdown, StringComparison.Ordinal);
        Assert.Contains("| **all services** | 0 | 0 | 0.00% | n/a | n/a | n/a |", rendered.Markdown, StringComparison.Ordinal);
    }

    private static LogAggregate Aggregate()
    {
        var aggregate = new LogAggregate();
        aggregate.Add(new LogRecord(T.AddMinutes(1), "search", LogSeverity.Info, 200, 10, "ok"));
        aggregate.Add(new LogRecord(T.AddMinutes(2), "search", LogSeverity.Info, 200, 20, "ok"));
        aggregate.Add(new LogRecord(T.AddMinutes(3), "search", LogSeverity.Info, 200, 30, "ok"));
        aggregate.Add(new LogRecord(T.AddMinutes(4), "payments", LogSeverity.Error, 503, 3000, "<script>alert('x')</script> | *boom*"));
        aggregate.Add(new LogRecord(T.AddMinutes(65), "payments", LogSeverity.Info, 200, 100, "ok"));
        return aggregate;
    }
}
