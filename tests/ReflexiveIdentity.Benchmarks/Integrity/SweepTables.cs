using System.Globalization;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Benchmarks;

/// <summary>Prints one ledger's sweep benchmark figures as Markdown tables.</summary>
internal static class SweepTables
{
    private const double Mebibyte = 1024.0 * 1024;

    /// <summary>Auth0's sustained Management API rates: Free tenants, and paid production tenants.</summary>
    private const double FreeTenantRate = 2;
    private const double PaidTenantRate = 16;

    private static readonly string[] KindOrder =
    [
        LedgerEntryKind.AgentRegistered.ToWire(),
        LedgerEntryKind.EventRecorded.ToWire(),
        LedgerEntryKind.ElevationDecided.ToWire(),
        LedgerEntryKind.SignalRecorded.ToWire(),
    ];

    public static void Print(StoreFigures store)
    {
        Line();
        Line($"## {store.Title}");
        Line();
        Line($"Population: {string.Join(", ", store.Profiles.Select(p => $"{p.Value:N0} {p.Key.ToString().ToLowerInvariant()}"))}; activity timestamps over the past 24 h.");
        Line();
        PrintLoad(store);
        PrintVerification(store.Verification);
        PrintSweeps(store);
        PrintTimes(store);
        PrintMemory(store);
        Line();
        foreach (var check in store.Checks)
        {
            Line($"- {(check.Passed ? "[x]" : "[ ] FAILED:")} {check.What}");
        }
    }

    private static void PrintLoad(StoreFigures store)
    {
        var load = store.Load;
        var kinds = KindOrder.Where(load.ByKind.ContainsKey).Concat(load.ByKind.Keys.Except(KindOrder, StringComparer.Ordinal)).ToList();
        Line($"| entries loaded | {string.Join(" | ", kinds)} | concurrent appenders | load s | appends/s | generating the entries alone s |{(store.LedgerBytes is null ? string.Empty : " ledger file MB | bytes/entry |")}");
        Line($"|{string.Concat(Enumerable.Repeat("---:|", 5 + kinds.Count + (store.LedgerBytes is null ? 0 : 2)))}");
        var row = Format($"| {load.Entries:N0} | {string.Join(" | ", kinds.Select(kind => load.ByKind[kind].ToString("N0", CultureInfo.InvariantCulture)))} | {load.Appenders} | {load.Elapsed.TotalSeconds:0.0} | {load.PerSecond:N0} | {store.Generation.TotalSeconds:0.0} |");

        if (store.LedgerBytes is { } bytes)
        {
            row += Format($" {bytes / Mebibyte:0} | {(double)bytes / load.Entries:0} |");
        }

        Text(row);
        Line();
        Line($"New activity for the incremental sweep: {store.FollowUp.Entries:N0} entries for {store.Changed:N0} agents, appended in {store.FollowUp.Elapsed.TotalSeconds:0.00} s.");
        Line();
    }

    private static void PrintVerification(VerificationFigures verification)
    {
        Text("`LedgerVerifier.VerifyAsync(null)` alone, before the first sweep:");
        Line();
        Text("| chains | entries | verify s | entries/s | intact |");
        Text("|---:|---:|---:|---:|---|");
        Line($"| {verification.Chains:N0} | {verification.Entries:N0} | {verification.Elapsed.TotalSeconds:0.00} | {verification.Entries / verification.Elapsed.TotalSeconds:N0} | {(verification.Intact ? "yes" : "NO")} |");
        Line();
    }

    private static void PrintSweeps(StoreFigures store)
    {
        Line($"| sweep | wall s | chains verified | agents assessed | quarantined | directory ops | publish / revoke / restore | agents touched in directory | directory at {FreeTenantRate:0} req/s | at {PaidTenantRate:0} req/s |");
        Text("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|");
        foreach (var sweep in store.Sweeps)
        {
            var calls = sweep.Calls;
            Line($"| {sweep.Name} | {sweep.Wall.TotalSeconds:0.00} | {sweep.Report.ChainsVerified:N0} | {sweep.Report.AssessedAgents:N0}{(sweep.Report.DecayedAgents > 0 ? $" ({sweep.Report.DecayedAgents:N0} by decay)" : string.Empty)} | {sweep.Report.QuarantinedAgents:N0} | {calls.Total:N0} | {calls.Published:N0} / {calls.Revoked:N0} / {calls.Restored:N0} | {calls.Principals.Count:N0} | {Duration(calls.Total / FreeTenantRate)} | {Duration(calls.Total / PaidTenantRate)} |");
        }

        Line();
    }

    private static void PrintTimes(StoreFigures store)
    {
        Text("Where each sweep's time goes (ledger calls timed as the sweep makes them, one at a time; \"scoring and the rest\" is wall time less the ledger's: trust scoring, payload parsing, sync decisions):");
        Line();
        Text("| sweep | verification s (of it, chain reads s) | list agents s | get agent s (calls) | read chains to score s (chains / entries) | grant reads s | appends s (count) | scoring and the rest s | appends by kind |");
        Text("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var sweep in store.Sweeps)
        {
            var t = sweep.Times;
            var rest = sweep.Wall - t.Verification - t.ListAgents.Time - t.GetAgent.Time - t.AssessReads.Time - t.OtherReads.Time - t.Appends.Time;
            var kinds = string.Join(", ", t.AppendsByKind.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key} {pair.Value:N0}"));
            Line($"| {sweep.Name} | {t.Verification.TotalSeconds:0.00} ({t.VerifyReads.Time.TotalSeconds + t.ListChains.Time.TotalSeconds:0.00}) | {t.ListAgents.Time.TotalSeconds:0.00} | {t.GetAgent.Time.TotalSeconds:0.00} ({t.GetAgent.Calls:N0}) | {t.AssessReads.Time.TotalSeconds:0.00} ({t.AssessReads.Calls:N0} / {t.AssessReads.Items:N0}) | {t.OtherReads.Time.TotalSeconds:0.00} | {t.Appends.Time.TotalSeconds:0.00} ({t.Appends.Calls:N0}) | {rest.TotalSeconds:0.00} | {(kinds.Length == 0 ? "none" : kinds)} |");
        }

        Line();
    }

    private static void PrintMemory(StoreFigures store)
    {
        Text("Memory (working set: the kernel's peak RSS mark, reset before each sweep; GC heap sampled every 10 ms; allocations: `GC.GetTotalAllocatedBytes` delta):");
        Line();
        Text("| sweep | working set before MB | peak working set MB | GC heap before MB | peak GC heap MB | peak heap after a GC MB | (peak after a GC − before) per agent KB | allocated MB | allocated per agent KB | allocated per entry read B | GCs gen0 / gen1 / gen2 |");
        Text("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var sweep in store.Sweeps)
        {
            var read = sweep.Times.VerifyReads.Items + sweep.Times.AssessReads.Items;
            Line($"| {sweep.Name} | {sweep.WorkingSetBefore / Mebibyte:0} | {sweep.PeakWorkingSet / Mebibyte:0} | {sweep.HeapBefore / Mebibyte:0} | {sweep.PeakHeap / Mebibyte:0} | {sweep.PeakHeapAfterGc / Mebibyte:0} | {Math.Max(0, sweep.PeakHeapAfterGc - sweep.HeapBefore) / 1024.0 / store.Agents:0.0} | {sweep.Allocated / Mebibyte:0} | {sweep.Allocated / 1024.0 / store.Agents:0} | {(read == 0 ? "-" : Format($"{(double)sweep.Allocated / read:N0}"))} | {string.Join(" / ", sweep.Collections)} |");
        }
    }

    private static string Duration(double seconds) =>
        seconds < 1 ? "0" : seconds < 120 ? Format($"{seconds:0} s") : Format($"{seconds / 60:0} min");

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Line(FormattableString text) => Console.WriteLine(Format(text));

    private static void Line() => Console.WriteLine();

    private static void Text(string text) => Console.WriteLine(text);
}
