using System.Text.Json;

namespace ReflexiveIdentity.Cli.Tests;

public sealed class SamplesCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "reflexive-cli-samples", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task SamplesLogs_Lines_WritesThatManyJsonLines()
    {
        var path = Path.Combine(folder, "nested", "ops.jsonl");

        var (exitCode, output, _) = await CliProcess.RunAsync(new Dictionary<string, string>(), "samples", "logs", "--lines", "250", "--out", path, "--seed", "7");

        Assert.Equal(0, exitCode);
        Assert.StartsWith($"Wrote 250 lines to {path} (seed 7, 72 h) in ", output, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(250, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(["timestamp", "service", "level", "status", "latency_ms", "message"], first.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task SamplesLogs_SameSeedTwice_WritesTheSameFile()
    {
        var one = Path.Combine(folder, "one.jsonl");
        var two = Path.Combine(folder, "two.jsonl");

        await CliProcess.RunAsync(new Dictionary<string, string>(), "samples", "logs", "--lines", "500", "--out", one, "--seed", "3");
        await CliProcess.RunAsync(new Dictionary<string, string>(), "samples", "logs", "--lines", "500", "--out", two, "--seed", "3");

        Assert.Equal(await File.ReadAllBytesAsync(one), await File.ReadAllBytesAsync(two));
    }

    [Fact]
    public async Task SamplesLogs_ZeroLines_FailsSayingWhy()
    {
        var (exitCode, _, error) = await CliProcess.RunAsync(new Dictionary<string, string>(), "samples", "logs", "--lines", "0", "--out", Path.Combine(folder, "none.jsonl"));

        Assert.Equal(1, exitCode);
        Assert.Contains("--lines must be at least 1.", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }
}
