using System.Diagnostics;
using ReflexiveIdentity.Integrity;

namespace ReflexiveIdentity.Benchmarks;

/// <summary>
/// Runs one integrity sweep and measures it: wall time, where the ledger time went, identity-provider
/// operations, and memory. The peak working set is the kernel's high-water mark, reset just before the
/// sweep (Linux <c>/proc/self/clear_refs</c>), so it is the sweep's own peak and not the load's; where it
/// cannot be reset, the peak sampled every 10 ms stands in. GC heap peaks are sampled every 10 ms.
/// </summary>
internal static class SweepMeasurement
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(10);

    public static async Task<SweepFigures> MeasureAsync(string name, IntegritySweep sweep, MeteredLedger ledger, CountingDirectory directory, CancellationToken cancellationToken)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var peakReset = ResetPeakWorkingSet();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var workingSetBefore = process.WorkingSet64;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(sampling.Token);
        ledger.Begin();
        directory.Take();
        var stopwatch = Stopwatch.StartNew();
        var report = await sweep.RunAsync(cancellationToken);
        var wall = stopwatch.Elapsed;
        var times = ledger.Read();
        var calls = directory.Take();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        await sampling.CancelAsync();
        var samples = await sampler;
        process.Refresh();

        return new SweepFigures
        {
            Name = name,
            Wall = wall,
            Report = report,
            Calls = calls,
            Times = times,
            WorkingSetBefore = workingSetBefore,
            PeakWorkingSet = peakReset ? Math.Max(process.PeakWorkingSet64, samples.WorkingSet) : samples.WorkingSet,
            HeapBefore = heapBefore,
            PeakHeap = samples.Heap,
            PeakHeapAfterGc = samples.HeapAfterGc,
            Allocated = allocated,
            Collections = [GC.CollectionCount(0) - collectionsBefore[0], GC.CollectionCount(1) - collectionsBefore[1], GC.CollectionCount(2) - collectionsBefore[2]],
        };
    }

    /// <summary>Resets the kernel's peak-RSS mark to the current RSS; false where that is not possible.</summary>
    private static bool ResetPeakWorkingSet()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static Task<Samples> SampleAsync(CancellationToken cancellationToken) => Task.Run(async () =>
    {
        var samples = new Samples(0, 0, 0);
        using var timer = new PeriodicTimer(SampleEvery);
        try
        {
            do
            {
                samples = new Samples(
                    Math.Max(samples.WorkingSet, Environment.WorkingSet),
                    Math.Max(samples.Heap, GC.GetTotalMemory(forceFullCollection: false)),
                    Math.Max(samples.HeapAfterGc, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // The sweep is over.
        }

        return samples;
    });

    private sealed record Samples(long WorkingSet, long Heap, long HeapAfterGc);
}

/// <summary>What one measured sweep did and cost.</summary>
internal sealed record SweepFigures
{
    public required string Name { get; init; }

    public required TimeSpan Wall { get; init; }

    public required SweepReport Report { get; init; }

    public required DirectoryCalls Calls { get; init; }

    public required LedgerTimes Times { get; init; }

    public required long WorkingSetBefore { get; init; }

    public required long PeakWorkingSet { get; init; }

    /// <summary>GC heap in use (live and not yet collected) before the sweep, after a full collection.</summary>
    public required long HeapBefore { get; init; }

    /// <summary>The largest GC heap in use seen during the sweep, garbage included.</summary>
    public required long PeakHeap { get; init; }

    /// <summary>The largest heap left after any collection during the sweep: close to the peak of live data.</summary>
    public required long PeakHeapAfterGc { get; init; }

    public required long Allocated { get; init; }

    /// <summary>Gen 0, 1 and 2 collections during the sweep.</summary>
    public required IReadOnlyList<int> Collections { get; init; }
}
