using System.Security.Cryptography;
using ReflexiveIdentity.Omega.Analysis;
using ReflexiveIdentity.Omega.Report;
using ReflexiveIdentity.Omega.Samples;

namespace ReflexiveIdentity.Omega.Tests;

public sealed class LogSampleGeneratorTests
{
    [Fact]
    public async Task WriteAsync_SameSeed_WritesTheSameBytes()
    {
        var first = await HashAsync(new LogSampleOptions { Lines = 5000, Seed = 11 });
        var again = await HashAsync(new LogSampleOptions { Lines = 5000, Seed = 11 });
        var other = await HashAsync(new LogSampleOptions { Lines = 5000, Seed = 12 });

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task WriteAsync_Lines_WritesExactlyThatManyWellFormedLinesInTimeOrder()
    {
        using var stream = new MemoryStream();
        var options = new LogSampleOptions { Lines = 7777, Hours = 10 };
        await new LogSampleGenerator(options).WriteAsync(stream, CancellationToken.None);
        stream.Position = 0;

        var aggregate = await LogAggregate.ReadAsync(stream, CancellationToken.None);

        Assert.Equal((7777L, 7777L, 0L), (aggregate.Facts.LinesRead, aggregate.Facts.Records, aggregate.Facts.MalformedLines));
        Assert.Equal(10, aggregate.Timeline.Hours().Count);
        Assert.InRange(aggregate.From!.Value, options.Start, options.Start.AddHours(1));
        Assert.InRange(aggregate.To!.Value, options.Start.AddHours(9), options.Start.AddHours(10));
    }

    [Fact]
    public async Task Report_GeneratedDataset_ShowsTheErrorSpikeAndTheLatencyDegradation()
    {
        var generator = new LogSampleGenerator(new LogSampleOptions { Lines = 50_000 });
        using var stream = new MemoryStream();
        await generator.WriteAsync(stream, CancellationToken.None);
        stream.Position = 0;

        var report = OperationalReport.Create(await LogAggregate.ReadAsync(stream, CancellationToken.None), "incidents", LogSampleOptions.DefaultStart);

        Assert.Equal((LogSampleGenerator.ErrorSpikeService, LogSampleGenerator.ErrorSpikeMessage), (report.TopErrors[0].Service, report.TopErrors[0].Message));
        Assert.Equal(LogSampleGenerator.ErrorSpikeService, report.Services.MaxBy(s => s.ErrorRate)!.Service);
        var worstHour = report.Timeline.MaxBy(h => h.Errors)!.Hour;
        Assert.InRange(worstHour, generator.ErrorSpike.From, generator.ErrorSpike.To.AddTicks(-1));

        var during = new LogAggregate();
        var outside = new LogAggregate();
        foreach (var record in generator.Records().Where(r => r.Service == LogSampleGenerator.DegradedService && !r.IsError))
        {
            (record.Timestamp >= generator.LatencyDegradation.From && record.Timestamp < generator.LatencyDegradation.To ? during : outside).Add(record);
        }

        var slowdown = during.Overall.Latency.Percentile(0.5) / outside.Overall.Latency.Percentile(0.5);
        Assert.InRange(slowdown, LogSampleGenerator.DegradationFactor * 0.8, LogSampleGenerator.DegradationFactor * 1.2);
    }

    [Fact]
    public async Task CommittedSample_IsWhatTheDocumentedCommandWrites()
    {
        var committed = Path.Combine(RepositoryRoot(), "samples", "datasets", "ops-logs.jsonl");
        using var stream = new MemoryStream();
        await new LogSampleGenerator(new LogSampleOptions { Lines = 3000, Seed = 42 }).WriteAsync(stream, CancellationToken.None);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(committed))), Convert.ToHexString(SHA256.HashData(stream.ToArray())));
    }

    [Fact]
    public async Task CommittedSample_Report_ShowsTheErrorSpike()
    {
        var aggregate = await LogAggregate.ReadAsync(Path.Combine(RepositoryRoot(), "samples", "datasets", "ops-logs.jsonl"), CancellationToken.None);

        var report = OperationalReport.Create(aggregate, "sample", LogSampleOptions.DefaultStart);

        Assert.Equal((3000L, 0L), (report.Dataset.LinesRead, report.Dataset.MalformedLines));
        Assert.Equal(["search", "auth", "checkout", "inventory", "payments"], report.Services.Select(s => s.Service));
        Assert.Equal((LogSampleGenerator.ErrorSpikeService, LogSampleGenerator.ErrorSpikeMessage), (report.TopErrors[0].Service, report.TopErrors[0].Message));
        Assert.Equal(LogSampleGenerator.ErrorSpikeService, report.Services.MaxBy(s => s.ErrorRate)!.Service);
    }

    private static async Task<string> HashAsync(LogSampleOptions options)
    {
        using var stream = new MemoryStream();
        await new LogSampleGenerator(options).WriteAsync(stream, CancellationToken.None);
        return Convert.ToHexString(SHA256.HashData(stream.ToArray()));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ReflexiveIdentity.Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ReflexiveIdentity.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
