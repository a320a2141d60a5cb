using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using ReflexiveIdentity.Adapters.Ledger;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Integrity;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Policy;
using ReflexiveIdentity.Testing;
using ReflexiveIdentity.Trust;

namespace ReflexiveIdentity.Benchmarks;

/// <summary>
/// The integrity sweep at scale, on both ledgers. SQLite at full scale: a population of agents with a day of
/// activity loaded through concurrent appends, then a full recompute (every agent assessed), a sweep with
/// nothing new, and a sweep after 1% of the agents reported new activity. Azure Table storage on Azurite:
/// the same three sweeps over agents with a registration and two events each. Prints Markdown tables.
/// <code>dotnet run -c Release --project tests/ReflexiveIdentity.Benchmarks -- sweep [--agents 10000] [--events 1000000] [--tables-agents 10000]</code>
/// <c>--tables-agents 0</c> skips Azure Table storage.
/// </summary>
public static class SweepBenchmark
{
    /// <summary>Group commit batches up to 256 appends; enough appenders keep every batch full.</summary>
    private const int SqliteAppenders = 256;

    /// <summary>Azurite answers each append in a few round trips; this many keep it busy on two cores.</summary>
    private const int TablesAppenders = 64;

    private const int TablesEventsPerAgent = 2;
    private const int Seed = 20_261_204;

    public static async Task<int> RunAsync(string[] args)
    {
        var agents = Option(args, "--agents", 10_000);
        var events = Option(args, "--events", 1_000_000);
        var tablesAgents = Option(args, "--tables-agents", 10_000);
        var command = string.Create(
            CultureInfo.InvariantCulture,
            $"dotnet run -c Release --project tests/ReflexiveIdentity.Benchmarks -- sweep --agents {agents} --events {events} --tables-agents {tablesAgents}");
        if (agents < 100)
        {
            await Console.Error.WriteLineAsync("--agents must be at least 100 (1% of them change for the incremental sweep).");
            return 2;
        }

        Console.WriteLine("# Integrity sweep at scale");
        Console.WriteLine();
        Console.WriteLine($"Command: `{command}`");
        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024:0.0} GiB, {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC."));
        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Directory: `CountingDirectory` counts identity-provider (Auth0 Management API) operations and does nothing else. A full recompute of {agents:N0} agents makes at least one Management API request per agent (one per operation for user principals); Auth0 sustains 2 requests/s on Free tenants and 16/s on paid production tenants, so the directory alone would take {agents / 16.0 / 60:0} to {agents / 2.0 / 60:0} minutes. That is the rate limit's cost, not the sweep's, and neither a real tenant nor the emulator can take it inside a benchmark; the sweep tables give the estimated time next to each count."));
        Console.WriteLine();
        Console.WriteLine("Activity: jobs through the policy's stage graph (read.dataset, then generate.report and often share.output, each elevated stage after the webhook's allow for it), API calls, failed calls and their retries, now and then a stage out of order, a failed token verification or an outside signal; 3% of agents compromised in their last hour. Entries per agent are skewed (exponential, 0.1 to 5 times the mean) on SQLite and even on Tables.");

        var ok = true;
        var directory = Directory.CreateTempSubdirectory("reflexive-sweep-");
        try
        {
            var now = DateTimeOffset.UtcNow;
            var sqlite = await RunSqliteAsync(Path.Combine(directory.FullName, "ledger.db"), new AgentWorkload(agents, events, now, Seed, skewed: true));
            ok &= sqlite.Checks.All(check => check.Passed);
            SweepTables.Print(sqlite);

            if (tablesAgents > 0)
            {
                var tables = await RunTablesAsync(new AgentWorkload(Math.Max(100, tablesAgents), (long)Math.Max(100, tablesAgents) * TablesEventsPerAgent, DateTimeOffset.UtcNow, Seed, skewed: false));
                ok &= tables.Checks.All(check => check.Passed);
                SweepTables.Print(tables);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Refresh();
            if (directory.Exists)
            {
                directory.Delete(recursive: true);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Command: `{command}`");
        return ok ? 0 : 1;
    }

    private static async Task<StoreFigures> RunSqliteAsync(string path, AgentWorkload workload)
    {
        using var ledger = SqliteLedger.Open(path);
        Func<long> size = () => new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists).Sum(file => new FileInfo(file).Length);
        return await RunStoreAsync(
            $"SQLite (temp file, WAL): {workload.Agents:N0} agents, {workload.Entries:N0} activity entries",
            "SQLite",
            ledger,
            workload,
            SqliteAppenders,
            size);
    }

    private static async Task<StoreFigures> RunTablesAsync(AgentWorkload workload)
    {
        using var azurite = new Azurite();
        var prefix = "sweep" + Guid.NewGuid().ToString("N")[..12];
        using var ledger = TablesLedger.Open(TablesConnection.Parse(azurite.ConnectionString), prefix);
        try
        {
            return await RunStoreAsync(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Azure Table storage (Azurite, in-memory, 127.0.0.1:{azurite.TablePort}{(azurite.StartedHere ? ", started for this run" : string.Empty)}): {workload.Agents:N0} agents, registration + {TablesEventsPerAgent} entries each"),
                "Tables",
                ledger,
                workload,
                TablesAppenders,
                size: null);
        }
        finally
        {
            await ledger.DeleteTablesAsync(CancellationToken.None);
        }
    }

    /// <summary>Loads the population, verifies once, then the three sweeps.</summary>
    private static async Task<StoreFigures> RunStoreAsync(string title, string store, ILedger raw, AgentWorkload workload, int appenders, Func<long>? size)
    {
        var time = new ShiftedClock();
        var policy = PolicyDocument.Default;
        var ledger = new MeteredLedger(raw);
        var directory = new CountingDirectory();
        var scorer = new TrustScorer(policy.Trust, policy.Scopes.Values.Where(rule => rule.Baseline).Select(rule => rule.Name));
        var grants = new GrantRevocation(ledger, time);
        var immune = new ImmuneResponse(ledger, scorer, policy, grants, [directory], time);
        var sweep = new IntegritySweep(ledger, new LedgerVerifier(ledger), immune, time);

        Console.Error.WriteLine($"[sweep] {store}: generating and loading {workload.Agents:N0} agents with {appenders} concurrent appenders");
        var generation = Generation(workload);
        var load = await LoadAsync($"{store} load", raw, workload.Agents, workload.HistoryOf, appenders);
        var loadedSize = size?.Invoke();

        Console.Error.WriteLine($"[sweep] {store}: verifying every chain once");
        var verification = await VerifyOnceAsync(raw);

        var sweeps = new List<SweepFigures>();
        foreach (var name in new[] { "full recompute", "nothing new" })
        {
            Console.Error.WriteLine($"[sweep] {store}: sweep, {name}");
            await using (Heartbeat.Start($"{store} sweep ({name})", () => Progress(ledger)))
            {
                sweeps.Add(await SweepMeasurement.MeasureAsync(name, sweep, ledger, directory, CancellationToken.None));
            }
        }

        var changed = Changed(workload.Agents);
        var reportedAt = DateTimeOffset.UtcNow;
        var followUp = await LoadAsync($"{store} 1% new activity", raw, changed.Count, i => workload.FollowUpOf(changed[i], reportedAt), appenders);
        Console.Error.WriteLine($"[sweep] {store}: sweep, 1% of agents changed");
        await using (Heartbeat.Start($"{store} sweep (incremental)", () => Progress(ledger)))
        {
            sweeps.Add(await SweepMeasurement.MeasureAsync($"{changed.Count:N0} agents changed (1%)", sweep, ledger, directory, CancellationToken.None));
        }

        var changedPrincipals = changed.Select(index => AgentWorkload.PrincipalOf(AgentWorkload.AgentId(index)).Id).ToHashSet(StringComparer.Ordinal);
        // A day later with nothing new: decay alone moves the scores of agents with penalties; those whose published
        // score moved by a point are recomputed, recorded and published, and only they.
        time.Shift(TimeSpan.FromDays(1));
        Console.Error.WriteLine($"[sweep] {store}: sweep, a day later with nothing new");
        await using (Heartbeat.Start($"{store} sweep (a day later)", () => Progress(ledger)))
        {
            sweeps.Add(await SweepMeasurement.MeasureAsync("a day later, nothing new", sweep, ledger, directory, CancellationToken.None));
        }

        var (full, idle, incremental, dayLater) = (sweeps[0], sweeps[1], sweeps[2], sweeps[3]);

        // The clock is real: an agent whose score decay moved by a published point since the previous sweep is
        // recomputed with nothing new in its chain, and only it may reach the directory besides the changed ones.
        static HashSet<string> DecayedPrincipals(SweepFigures sweep) =>
            sweep.Report.Responses.Where(r => r.ByDecay).Select(r => AgentWorkload.PrincipalOf(r.AgentId).Id).ToHashSet(StringComparer.Ordinal);
        return new StoreFigures
        {
            Title = title,
            Store = store,
            Agents = workload.Agents,
            Profiles = Enum.GetValues<AgentProfile>().ToDictionary(profile => profile, profile => Enumerable.Range(0, workload.Agents).Count(i => workload.ProfileOf(i) == profile)),
            Generation = generation,
            Load = load,
            LedgerBytes = loadedSize,
            Changed = changed.Count,
            Verification = verification,
            FollowUp = followUp,
            Sweeps = sweeps,
            Checks =
            [
                new Check("full recompute assessed every agent, no broken chain", full.Report.AssessedAgents == workload.Agents && full.Report.BrokenChains.Count == 0),
                new Check("nothing new: no agent assessed but those decay moved, directory operations only for them", idle.Report.AssessedAgents == idle.Report.DecayedAgents && idle.Calls.Principals.IsSubsetOf(DecayedPrincipals(idle))),
                new Check("incremental: exactly the changed agents assessed (besides those decay moved)", incremental.Report.AssessedAgents - incremental.Report.DecayedAgents == changed.Count),
                new Check("a day later: only agents decay moved assessed, directory operations only for them", dayLater.Report.AssessedAgents == dayLater.Report.DecayedAgents && dayLater.Calls.Principals.IsSubsetOf(DecayedPrincipals(dayLater))),
                new Check("incremental: directory operations only for changed agents (and those decay moved)", incremental.Calls.Principals.IsSubsetOf(changedPrincipals.Union(DecayedPrincipals(incremental)).ToHashSet(StringComparer.Ordinal))),
            ],
        };
    }

    private static string Progress(MeteredLedger ledger)
    {
        var times = ledger.Read();
        return string.Create(CultureInfo.InvariantCulture, $"{times.VerifyReads.Calls:N0} chains verified, {times.GetAgent.Calls:N0} agents read, {times.Appends.Calls:N0} appends");
    }

    /// <summary>Generates every agent's history without writing it: the part of the load rate that is the benchmark's own.</summary>
    private static TimeSpan Generation(AgentWorkload workload)
    {
        var stopwatch = Stopwatch.StartNew();
        Parallel.For(0, workload.Agents, index => workload.HistoryOf(index));
        return stopwatch.Elapsed;
    }

    /// <summary>Appends each agent's entries in order, <paramref name="appenders"/> agents at a time.</summary>
    private static async Task<LoadFigures> LoadAsync(string step, ILedger ledger, int agents, Func<int, List<LedgerAppend>> entriesOf, int appenders)
    {
        var next = -1;
        var byKind = new long[Enum.GetValues<LedgerEntryKind>().Length];
        long appended = 0;
        var stopwatch = Stopwatch.StartNew();
        await using (Heartbeat.Start(step, () => string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Read(ref appended):N0} entries, {Volatile.Read(ref next):N0} agents")))
        {
            await Task.WhenAll(Enumerable.Range(0, appenders).Select(_ => Task.Run(async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < agents)
                {
                    foreach (var append in entriesOf(index))
                    {
                        await ledger.AppendAsync(append, CancellationToken.None);
                        Interlocked.Increment(ref byKind[(int)append.Kind]);
                        Interlocked.Increment(ref appended);
                    }
                }
            })));
        }

        return new LoadFigures(
            Enum.GetValues<LedgerEntryKind>().Where(kind => byKind[(int)kind] > 0).ToDictionary(kind => kind.ToWire(), kind => byKind[(int)kind], StringComparer.Ordinal),
            appenders,
            stopwatch.Elapsed);
    }

    private static async Task<VerificationFigures> VerifyOnceAsync(ILedger ledger)
    {
        var stopwatch = Stopwatch.StartNew();
        var chains = await new LedgerVerifier(ledger).VerifyAsync(null, CancellationToken.None);
        return new VerificationFigures(chains.Count, chains.Sum(chain => chain.VerifiedEntries), chains.All(chain => chain.IsIntact), stopwatch.Elapsed);
    }

    /// <summary>1% of the agents, spread over the population, the same in every run.</summary>
    private static List<int> Changed(int agents)
    {
        var random = new Random(Seed);
        return [.. Enumerable.Range(0, agents).OrderBy(_ => random.Next()).Take(agents / 100).Order()];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}

/// <summary>Entries appended by kind, by how many concurrent appenders, in how long.</summary>
internal sealed record LoadFigures(IReadOnlyDictionary<string, long> ByKind, int Appenders, TimeSpan Elapsed)
{
    public long Entries => ByKind.Values.Sum();

    public double PerSecond => Entries / Elapsed.TotalSeconds;
}

/// <summary>One <c>LedgerVerifier.VerifyAsync(null)</c> over the loaded ledger.</summary>
internal sealed record VerificationFigures(int Chains, long Entries, bool Intact, TimeSpan Elapsed);

/// <summary>An outcome the run must show whatever the timings (the exit code is 1 when one fails).</summary>
internal sealed record Check(string What, bool Passed);

/// <summary>Everything measured on one ledger.</summary>
internal sealed record StoreFigures
{
    public required string Title { get; init; }

    public required string Store { get; init; }

    public required int Agents { get; init; }

    public required IReadOnlyDictionary<AgentProfile, int> Profiles { get; init; }

    /// <summary>Generating the histories alone, without writing them.</summary>
    public required TimeSpan Generation { get; init; }

    public required LoadFigures Load { get; init; }

    public required long? LedgerBytes { get; init; }

    /// <summary>Agents given new activity before the incremental sweep.</summary>
    public required int Changed { get; init; }

    public required VerificationFigures Verification { get; init; }

    public required LoadFigures FollowUp { get; init; }

    public required IReadOnlyList<SweepFigures> Sweeps { get; init; }

    public required IReadOnlyList<Check> Checks { get; init; }
}
