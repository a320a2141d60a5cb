using System.Text;
using ReflexiveIdentity.Omega.Dataset;

namespace ReflexiveIdentity.Omega.Tests;

public sealed class LogDatasetReaderTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task ReadAsync_WellFormedFile_YieldsEveryFieldOfEveryLine()
    {
        var path = Write("ok.jsonl", "\n",
            LogLines.Line(LogLines.Start, "payments", "error", 503, 3012.5, "card-processor: timeout"),
            """{"timestamp":"2026-12-01T10:00:01+01:00","service":"search","level":"warn","status":404,"latency_ms":7,"message":"GET /x -> 404","extra":{"nested":[1,2]}}""");
        var reader = new LogDatasetReader();

        var records = await ReadAllAsync(reader, path);

        Assert.Equal(
            [
                new LogRecord(LogLines.Start, "payments", LogSeverity.Error, 503, 3012.5, "card-processor: timeout"),
                new LogRecord(new DateTimeOffset(2026, 12, 1, 10, 0, 1, TimeSpan.FromHours(1)), "search", LogSeverity.Warn, 404, 7, "GET /x -> 404"),
            ],
            records);
        Assert.Equal(2, reader.LinesRead);
        Assert.Equal(0, reader.MalformedLines);
    }

    [Fact]
    public async Task ReadAsync_ErrorMessagesOnly_ReadsTheMessagesOfErrorsAlone()
    {
        var path = Write("errors.jsonl", "\n",
            """{"message":"GET / -> 200","timestamp":"2026-12-01T10:00:00Z","service":"api","level":"info","status":200,"latency_ms":1}""",
            """{"message":"upstream \"card\" timeout \u003c3s\u003e","timestamp":"2026-12-01T10:00:00Z","service":"api","level":"info","status":504,"latency_ms":1}""",
            """{"timestamp":"2026-12-01T10:00:00Z","service":"api","level":"error","status":200,"latency_ms":1,"message":"job failed"}""");

        var records = await ReadAllAsync(new LogDatasetReader(messages: LogMessages.ErrorsOnly), path);

        Assert.Equal(["", "upstream \"card\" timeout <3s>", "job failed"], records.Select(r => r.Message));
    }

    [Fact]
    public async Task ReadAsync_MalformedLines_AreCountedSkippedAndNumbered()
    {
        var path = Write("mixed.jsonl", "\n",
            LogLines.Ok(0),
            "{not json",
            LogLines.Ok(1),
            """{"timestamp":"2026-12-01T10:00:00Z","service":"api","level":"info","status":200,"latency_ms":1}""",
            """{"timestamp":"yesterday","service":"api","level":"info","status":200,"latency_ms":1,"message":"m"}""",
            """{"timestamp":"2026-12-01T10:00:00Z","service":"api","level":"loud","status":200,"latency_ms":1,"message":"m"}""",
            """{"timestamp":"2026-12-01T10:00:00Z","service":"api","level":"info","status":"200","latency_ms":1,"message":"m"}""",
            """{"timestamp":"2026-12-01T10:00:00Z","service":"api","level":"info","status":200,"latency_ms":-1,"message":"m"}""",
            "[1,2,3]",
            LogLines.Ok(2) + "{}",
            LogLines.Ok(3));
        var reader = new LogDatasetReader();

        var records = await ReadAllAsync(reader, path);

        Assert.Equal(3, records.Count);
        Assert.Equal(11, reader.LinesRead);
        Assert.Equal(8, reader.MalformedLines);
        Assert.Equal([2, 4, 5, 6, 7], reader.FirstMalformedLines);
    }

    [Fact]
    public async Task ReadAsync_CrlfBomBlankLinesAndNoFinalNewline_ReadsEveryRecord()
    {
        var path = folder.File("crlf.jsonl");
        var text = "\uFEFF" + LogLines.Ok(0) + "\r\n\r\n   \r\n" + LogLines.Ok(1, "search") + "\r\n" + LogLines.Ok(2, "auth");
        await File.WriteAllBytesAsync(path, Encoding.UTF8.GetBytes(text));
        var reader = new LogDatasetReader();

        var records = await ReadAllAsync(reader, path);

        Assert.Equal(["api", "search", "auth"], records.Select(r => r.Service));
        Assert.Equal(3, reader.LinesRead);
        Assert.Equal(0, reader.MalformedLines);
    }

    [Fact]
    public async Task ReadAsync_LineLongerThanTheMaximum_IsMalformedAndTheNextLineIsRead()
    {
        var path = Write("long.jsonl", "\n",
            LogLines.Ok(0),
            LogLines.Line(LogLines.Start, "api", "error", 500, 1, new string('x', 5000)),
            LogLines.Ok(1, "after"));
        var reader = new LogDatasetReader(maxLineBytes: 1024);

        var records = await ReadAllAsync(reader, path);

        Assert.Equal(["api", "after"], records.Select(r => r.Service));
        Assert.Equal([2], reader.FirstMalformedLines);
    }

    [Fact]
    public async Task ReadAsync_FileLargerThanTheBuffer_ReadsLinesAcrossBufferEdges()
    {
        var lines = Enumerable.Range(0, 5000).Select(i => LogLines.Line(LogLines.Start.AddSeconds(i), "svc" + (i % 7), "info", 200, i, $"request {i}")).ToArray();
        var path = Write("big.jsonl", "\r\n", lines);
        var reader = new LogDatasetReader();

        var records = await ReadAllAsync(reader, path);

        Assert.Equal(5000, records.Count);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (double)i), records.Select(r => r.LatencyMs));
        Assert.Equal("request 4999", records[^1].Message);
        Assert.Equal(0, reader.MalformedLines);
    }

    [Fact]
    public async Task ReadAsync_MissingFile_ThrowsNamingThePath()
    {
        var path = folder.File("nowhere/missing.jsonl");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => ReadAllAsync(new LogDatasetReader(), path));

        Assert.Equal($"The dataset {path} does not exist.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_Cancelled_Stops()
    {
        var path = Write("cancel.jsonl", "\n", LogLines.Ok(0), LogLines.Ok(1));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var record in new LogDatasetReader().ReadAsync(path, cancellation.Token))
            {
                Assert.Fail($"read {record} after cancellation");
            }
        });
    }

    private string Write(string name, string newline, params string[] lines)
    {
        var path = folder.File(name);
        File.WriteAllText(path, string.Join(newline, lines) + newline);
        return path;
    }

    private static async Task<List<LogRecord>> ReadAllAsync(LogDatasetReader reader, string path)
    {
        var records = new List<LogRecord>();
        await foreach (var record in reader.ReadAsync(path, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }
}
