using System.Diagnostics;
using System.Globalization;
using ReflexiveIdentity.Adapters.Ledger;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Testing;

namespace ReflexiveIdentity.Benchmarks;

/// <summary>
/// The two ledger adapters side by side in one run: a temp SQLite file and Azure Table storage on Azurite
/// (started when it is not running). Closed-loop appends from concurrent writers, to one chain each and all
/// to one chain, then the rate of verifying one long chain. Prints Markdown tables.
/// <code>dotnet run -c Release --project tests/ReflexiveIdentity.Benchmarks -- ledger [--writers 16] [--seconds 5] [--entries 20000]</code>
/// </summary>
public static class LedgerBenchmark
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);

    /// <summary>A decision record of the size the webhook writes.</summary>
    private const string Payload =
        """{"decision":"allow","granted_scopes":["generate.report"],"denied_scopes":[{"scope":"share.output","code":"confidence_below_threshold","detail":"confidence 0.81 is below the 0.90 that share.output needs"}],"grant_id":"grt_abcdefghijklmnopqrstuvwxyz","expires_at":"2026-12-04T16:15:00.0000000Z","trust_score":92,"reasons":[{"code":"policy_satisfied","detail":"every deterministic check passed"}],"rationale":{"intent":"Generate operational report","reason":"Weekly ops review needs error rates per service","confidence":0.81},"body_sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}""";

    public static async Task<int> RunAsync(string[] args)
    {
        var writers = Option(args, "--writers", 16);
        var duration = TimeSpan.FromSeconds(Option(args, "--seconds", 5));
        var entries = Option(args, "--entries", 20_000);
        var directory = Path.Combine(Path.GetTempPath(), "reflexive-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        using var azurite = new Azurite();
        var prefix = "bench" + Guid.NewGuid().ToString("N")[..12];
        var connection = TablesConnection.Parse(azurite.ConnectionString);
        using var sqlite = SqliteLedger.Open(Path.Combine(directory, "ledger.db"));
        TablesLedger[] tables = [.. Enumerable.Range(0, 4).Select(_ => TablesLedger.Open(connection, prefix))];
        try
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{writers} closed-loop writers, {duration.TotalSeconds:0} s per row after a 1 s warm-up, {Environment.ProcessorCount} cores; SQLite: a temp file (WAL); Tables: Azurite (in-memory) on 127.0.0.1:{azurite.TablePort}{(azurite.StartedHere ? ", started for this run" : string.Empty)}."));
            var rows = new List<(string Store, string Workload, Throughput Result)>
            {
                ("SQLite", $"{writers} writers → {writers} agents", await AppendsAsync([sqlite], writers, w => $"sqlite_many_{w}", duration)),
                ("SQLite", $"{writers} writers → 1 agent", await AppendsAsync([sqlite], writers, _ => "sqlite_one", duration)),
                ("Tables", $"{writers} writers → {writers} agents", await AppendsAsync(tables[..1], writers, w => $"tables_many_{w}", duration)),
                ("Tables", $"{writers} writers → 1 agent", await AppendsAsync(tables[..1], writers, _ => "tables_one", duration)),
                ("Tables", $"{writers} writers on 4 instances → {writers} agents", await AppendsAsync(tables, writers, w => $"tables_many4_{w}", duration)),
                ("Tables", $"{writers} writers on 4 instances → 1 agent", await AppendsAsync(tables, writers, _ => "tables_one4", duration)),
            };

            Console.WriteLine();
            Console.WriteLine("| store | workload | appends | appends/s | p50 ms | p99 ms | chains intact |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---|");
            foreach (var (store, workload, result) in rows)
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {store} | {workload} | {result.Appends} | {result.PerSecond:0} | {result.P50:0.00} | {result.P99:0.00} | {(result.Intact ? "yes" : "NO")} |"));
            }

            var sqliteVerify = await VerificationAsync(sqlite, entries);
            var tablesVerify = await VerificationAsync(tables[0], entries);
            Console.WriteLine();
            Console.WriteLine("| store | chain length | verify s (median of 3) | entries/s |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (store, seconds) in new[] { ("SQLite", sqliteVerify), ("Tables", tablesVerify) })
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {store} | {entries} | {seconds:0.000} | {entries / seconds:0} |"));
            }

            return rows.All(row => row.Result.Intact) ? 0 : 1;
        }
        finally
        {
            await tables[0].DeleteTablesAsync(CancellationToken.None);
            foreach (var instance in tables)
            {
                instance.Dispose();
            }

            sqlite.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<Throughput> AppendsAsync(ILedger[] instances, int writers, Func<int, string> chainOf, TimeSpan duration)
    {
        await LoopAsync(instances, writers, w => chainOf(w) + "_warmup", TimeSpan.FromSeconds(1));
        var (latencies, elapsed) = await LoopAsync(instances, writers, chainOf, duration);
        var chains = Enumerable.Range(0, writers).Select(chainOf).Distinct().ToList();
        var intact = true;
        long verified = 0;
        foreach (var chain in chains)
        {
            var result = await LedgerChain.VerifyAsync(chain, instances[0].ReadChainAsync(chain, CancellationToken.None), CancellationToken.None);
            intact &= result.IsIntact;
            verified += result.VerifiedEntries;
        }

        latencies.Sort();
        return new Throughput(
            latencies.Count,
            latencies.Count / elapsed.TotalSeconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            intact && verified == latencies.Count);
    }

    private static async Task<(List<double> Latencies, TimeSpan Elapsed)> LoopAsync(ILedger[] instances, int writers, Func<int, string> chainOf, TimeSpan duration)
    {
        var latencies = new List<double>[writers];
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            var mine = latencies[writer] = new List<double>(50_000);
            var ledger = instances[writer % instances.Length];
            var chain = chainOf(writer);
            while (stopwatch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                await ledger.AppendAsync(Append(chain, Start.AddTicks(mine.Count)), CancellationToken.None);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        var elapsed = stopwatch.Elapsed;
        return ([.. latencies.SelectMany(list => list)], elapsed);
    }

    /// <summary>Builds one chain of <paramref name="entries"/> entries (imported in batches: appending them one by one would measure appends) and times verifying it.</summary>
    private static async Task<double> VerificationAsync(ILedger ledger, int entries)
    {
        const string chain = "bench_verify";
        var transfer = LedgerMigration.Transfer(ledger);
        var batch = new List<LedgerEntry>(1000);
        LedgerEntry? previous = null;
        for (var i = 0; i < entries; i++)
        {
            previous = LedgerChain.Next(previous, Append(chain, Start.AddMilliseconds(i)));
            batch.Add(previous);
            if (batch.Count == batch.Capacity || i == entries - 1)
            {
                await transfer.ImportAsync(batch, CancellationToken.None);
                batch.Clear();
            }
        }

        var verifier = new LedgerVerifier(ledger);
        var runs = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            var result = (await verifier.VerifyAsync(chain, CancellationToken.None))[0];
            runs.Add(stopwatch.Elapsed.TotalSeconds);
            if (!result.IsIntact || result.VerifiedEntries != entries)
            {
                throw new InvalidOperationException($"The benchmark chain did not verify: {result.FirstBroken?.Problem}");
            }
        }

        runs.Sort();
        return runs[1];
    }

    private static LedgerAppend Append(string chain, DateTimeOffset at) => new()
    {
        ChainId = chain,
        Kind = LedgerEntryKind.ElevationDecided,
        OccurredAt = at,
        RecordedAt = at,
        Payload = Payload,
    };

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    private sealed record Throughput(int Appends, double PerSecond, double P50, double P99, bool Intact);
}
