using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ReflexiveIdentity.Omega.Analysis;
using ReflexiveIdentity.Omega.Report;
using ReflexiveIdentity.Omega.Samples;

namespace ReflexiveIdentity.Benchmarks;

/// <summary>
/// agent_omega's stage 1 (stream the dataset into the aggregate) and stage 2 (compute the report, render Markdown and
/// HTML) over generated datasets of several sizes, side by side: lines/s, and peak working set and GC heap, to show
/// that memory does not grow with the file. Each size runs in a fresh child process (this program with
/// <c>report --measure FILE</c>), so one size's peak cannot hide another's; each child warms up on a small in-memory
/// dataset first (four passes over 50,000 lines, so the hot code is tiered up), so the figures do not include JIT time.
/// <code>dotnet run -c Release --project tests/ReflexiveIdentity.Benchmarks -- report [--sizes 100000,1000000] [--keep]</code>
/// </summary>
public static class ReportBenchmark
{
    private const double MiB = 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 2 && args[0] == "--measure")
        {
            return await MeasureAsync(args[1]);
        }

        var sizes = Value(args, "--sizes", "100000,1000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var directory = Path.Combine(Path.GetTempPath(), "reflexive-bench", "report-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}; datasets in {directory}."));
            var rows = new List<(long Lines, long Bytes, double GenerateSeconds, Measurement Result)>();
            foreach (var size in sizes)
            {
                var path = Path.Combine(directory, $"ops-{size}.jsonl");
                var clock = Stopwatch.StartNew();
                await new LogSampleGenerator(new LogSampleOptions { Lines = size }).WriteFileAsync(path, CancellationToken.None);
                var generated = clock.Elapsed.TotalSeconds;
                rows.Add((size, new FileInfo(path).Length, generated, await MeasureInChildAsync(path)));
            }

            Console.WriteLine();
            Console.WriteLine("| lines | file MB | generate s | stage 1 s | stage 2 ms | lines/s (1+2) | MB/s | CPU s (1+2) | lines per CPU s | peak working set MiB | peak GC heap MiB | heap after GC MiB | allocated MiB | gen0/1/2 GCs |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var (lines, bytes, generate, m) in rows)
            {
                var seconds = m.Stage1Seconds + (m.Stage2Milliseconds / 1000);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {lines:N0} | {bytes / 1e6:0.0} | {generate:0.00} | {m.Stage1Seconds:0.000} | {m.Stage2Milliseconds:0.0} | {lines / seconds:N0} | {bytes / 1e6 / seconds:0} | {m.CpuSeconds:0.00} | {lines / m.CpuSeconds:N0} | {m.PeakWorkingSetBytes / MiB:0.0} | {m.PeakHeapBytes / MiB:0.0} | {m.HeapAfterBytes / MiB:0.00} | {m.AllocatedBytes / MiB:N0} | {m.Gen0}/{m.Gen1}/{m.Gen2} |"));
            }

            Console.WriteLine();
            Console.WriteLine("Stage 1 = LogAggregate.ReadAsync(path); stage 2 = OperationalReport.Create + Render (Markdown and HTML). CPU s = the child's processor time over both stages (all threads, GC included): steadier than wall time on a shared machine.");
            Console.WriteLine("Peak working set = the child process's PeakWorkingSet64 (includes the runtime, ~the same for every size); peak GC heap = the largest GC.GetTotalMemory seen, sampled every 5 ms; heap after GC = live objects after stage 2, aggregate and report still referenced.");
            return 0;
        }
        finally
        {
            if (args.Contains("--keep"))
            {
                Console.WriteLine($"Kept {directory}.");
            }
            else
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<Measurement> MeasureInChildAsync(string path)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(ReportBenchmark).Assembly.Location);
        start.ArgumentList.Add("report");
        start.ArgumentList.Add("--measure");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the measuring process.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? JsonSerializer.Deserialize<Measurement>((await output).Trim()) ?? throw new InvalidOperationException("The measuring process printed nothing.")
            : throw new InvalidOperationException($"Measuring {path} failed ({process.ExitCode}): {await error}");
    }

    private static async Task<int> MeasureAsync(string path)
    {
        using (var warmUp = new MemoryStream())
        {
            await new LogSampleGenerator(new LogSampleOptions { Lines = 50_000, Seed = 1 }).WriteAsync(warmUp, CancellationToken.None);
            for (var round = 0; round < 4; round++)
            {
                warmUp.Position = 0;
                _ = OperationalReport.Create(await LogAggregate.ReadAsync(warmUp, CancellationToken.None), "warm-up", DateTimeOffset.UnixEpoch).Render();
            }
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        long peakHeap = GC.GetTotalMemory(forceFullCollection: false);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
            while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false) is true)
            {
                var heap = GC.GetTotalMemory(forceFullCollection: false);
                if (heap > Interlocked.Read(ref peakHeap))
                {
                    Interlocked.Exchange(ref peakHeap, heap);
                }
            }
        });

        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var aggregate = await LogAggregate.ReadAsync(path, CancellationToken.None);
        var stage1 = clock.Elapsed;
        var rendered = OperationalReport.Create(aggregate, "bench", DateTimeOffset.UnixEpoch).Render();
        var total = clock.Elapsed;
        self.Refresh();
        var cpuSeconds = (self.TotalProcessorTime - cpu).TotalSeconds;
        await sampling.CancelAsync();
        try
        {
            await sampler;
        }
        catch (OperationCanceledException)
        {
        }

        var measurement = new Measurement
        {
            Lines = aggregate.Facts.LinesRead,
            Stage1Seconds = stage1.TotalSeconds,
            Stage2Milliseconds = (total - stage1).TotalMilliseconds,
            PeakHeapBytes = Math.Max(Interlocked.Read(ref peakHeap), GC.GetTotalMemory(false)),
            AllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated,
            Gen0 = GC.CollectionCount(0) - gen0,
            Gen1 = GC.CollectionCount(1) - gen1,
            Gen2 = GC.CollectionCount(2) - gen2,
            HeapAfterBytes = GC.GetTotalMemory(forceFullCollection: true),
            PeakWorkingSetBytes = self.PeakWorkingSet64,
            CpuSeconds = cpuSeconds,
            HtmlBytes = rendered.Html.Length,
        };
        GC.KeepAlive(aggregate);
        GC.KeepAlive(rendered);
        Console.WriteLine(JsonSerializer.Serialize(measurement));
        return 0;
    }

    private static string Value(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private sealed record Measurement
    {
        public long Lines { get; init; }

        public double Stage1Seconds { get; init; }

        public double Stage2Milliseconds { get; init; }

        public long PeakHeapBytes { get; init; }

        public long HeapAfterBytes { get; init; }

        public long AllocatedBytes { get; init; }

        public long PeakWorkingSetBytes { get; init; }

        public double CpuSeconds { get; init; }

        public int Gen0 { get; init; }

        public int Gen1 { get; init; }

        public int Gen2 { get; init; }

        public int HtmlBytes { get; init; }
    }
}
