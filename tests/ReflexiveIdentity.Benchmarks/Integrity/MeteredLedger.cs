using System.Diagnostics;
using System.Runtime.CompilerServices;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Benchmarks;

/// <summary>
/// A ledger that passes every call through and times it, so a sweep's wall time can be split into
/// verification, ledger reads, ledger writes and what is left (scoring). The sweep calls the ledger one
/// call at a time, so the times add up to wall time. It verifies every chain before it lists the agents:
/// the first <see cref="ListAgentsAsync"/> after <see cref="Begin"/> ends the verification phase, and chain
/// reads are counted as verification before it and as assessment after.
/// </summary>
internal sealed class MeteredLedger(ILedger inner) : ILedger
{
    private readonly Meter verifyReads = new();
    private readonly Meter listChains = new();
    private readonly Meter listAgents = new();
    private readonly Meter getAgent = new();
    private readonly Meter assessReads = new();
    private readonly Meter otherReads = new();
    private readonly Meter appends = new();
    private readonly Dictionary<string, long> appendsByKind = new(StringComparer.Ordinal);
    private long begun;
    private long verified;

    /// <summary>Starts metering a sweep afresh.</summary>
    public void Begin()
    {
        foreach (var meter in new[] { verifyReads, listChains, listAgents, getAgent, assessReads, otherReads, appends })
        {
            meter.Reset();
        }

        lock (appendsByKind)
        {
            appendsByKind.Clear();
        }

        verified = 0;
        begun = Stopwatch.GetTimestamp();
    }

    /// <summary>What was metered since <see cref="Begin"/>.</summary>
    public LedgerTimes Read()
    {
        Dictionary<string, long> byKind;
        lock (appendsByKind)
        {
            byKind = new Dictionary<string, long>(appendsByKind, StringComparer.Ordinal);
        }

        return new LedgerTimes
        {
            Verification = verified == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(begun, verified),
            VerifyReads = verifyReads.Snapshot(),
            ListChains = listChains.Snapshot(),
            ListAgents = listAgents.Snapshot(),
            GetAgent = getAgent.Snapshot(),
            AssessReads = assessReads.Snapshot(),
            OtherReads = otherReads.Snapshot(),
            Appends = appends.Snapshot(),
            AppendsByKind = byKind,
        };
    }

    public async Task<LedgerAppendResult> AppendAsync(LedgerAppend append, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await inner.AppendAsync(append, cancellationToken);
        appends.Add(started, 1);
        var kind = append.Kind.ToWire();
        lock (appendsByKind)
        {
            appendsByKind[kind] = appendsByKind.GetValueOrDefault(kind) + 1;
        }

        return result;
    }

    public Task<LedgerEntry?> FindByRequestIdAsync(string requestId, DateTimeOffset since, CancellationToken cancellationToken) =>
        Timed(otherReads, () => inner.FindByRequestIdAsync(requestId, since, cancellationToken));

    public Task<int> CountSinceAsync(string chainId, LedgerEntryKind kind, DateTimeOffset since, CancellationToken cancellationToken) =>
        Timed(otherReads, () => inner.CountSinceAsync(chainId, kind, since, cancellationToken));

    public Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken cancellationToken) =>
        Timed(listChains, () => inner.ListChainsAsync(cancellationToken));

    public async IAsyncEnumerable<LedgerEntry> ReadChainAsync(string chainId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var meter = verified == 0 ? verifyReads : assessReads;
        long spent = 0;
        long entries = 0;
        var started = Stopwatch.GetTimestamp();
        var enumerator = inner.ReadChainAsync(chainId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                var more = await enumerator.MoveNextAsync();
                spent += Stopwatch.GetTimestamp() - started;
                if (!more)
                {
                    break;
                }

                entries++;
                yield return enumerator.Current;
                started = Stopwatch.GetTimestamp();
            }
        }
        finally
        {
            started = Stopwatch.GetTimestamp();
            await enumerator.DisposeAsync();
            spent += Stopwatch.GetTimestamp() - started;
            meter.AddTicks(spent, entries);
        }
    }

    public Task<Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken) =>
        Timed(getAgent, () => inner.GetAgentAsync(agentId, cancellationToken));

    public async Task<IReadOnlyList<Agent>> ListAgentsAsync(CancellationToken cancellationToken)
    {
        if (verified == 0)
        {
            verified = Stopwatch.GetTimestamp();
        }

        return await Timed(listAgents, () => inner.ListAgentsAsync(cancellationToken));
    }

    public Task<Grant?> GetGrantAsync(string grantId, CancellationToken cancellationToken) =>
        Timed(otherReads, () => inner.GetGrantAsync(grantId, cancellationToken));

    public Task<IReadOnlyList<Grant>> ListActiveGrantsAsync(string agentId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Timed(otherReads, () => inner.ListActiveGrantsAsync(agentId, now, cancellationToken));

    public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

    /// <summary>Times <paramref name="call"/> from its start: SQLite does its work synchronously inside the "async" call.</summary>
    private static async Task<T> Timed<T>(Meter meter, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await call();
        meter.Add(started, 1);
        return result;
    }

    /// <summary>Calls, items (entries read, appends) and time of one kind of ledger call.</summary>
    private sealed class Meter
    {
        private long calls;
        private long items;
        private long ticks;

        public void Add(long startedAt, long count) => AddTicks(Stopwatch.GetTimestamp() - startedAt, count);

        public void AddTicks(long elapsed, long count)
        {
            Interlocked.Increment(ref calls);
            Interlocked.Add(ref items, count);
            Interlocked.Add(ref ticks, elapsed);
        }

        public void Reset()
        {
            Interlocked.Exchange(ref calls, 0);
            Interlocked.Exchange(ref items, 0);
            Interlocked.Exchange(ref ticks, 0);
        }

        public Metered Snapshot() => new(
            Interlocked.Read(ref calls),
            Interlocked.Read(ref items),
            TimeSpan.FromSeconds((double)Interlocked.Read(ref ticks) / Stopwatch.Frequency));
    }
}

/// <summary>One kind of ledger call during a sweep: how many, how many entries they carried, and the time spent in them.</summary>
internal sealed record Metered(long Calls, long Items, TimeSpan Time);

/// <summary>Where a sweep's ledger time went.</summary>
internal sealed record LedgerTimes
{
    /// <summary>From the start of the sweep until it listed the agents: listing and verifying every chain.</summary>
    public required TimeSpan Verification { get; init; }

    public required Metered VerifyReads { get; init; }

    public required Metered ListChains { get; init; }

    public required Metered ListAgents { get; init; }

    public required Metered GetAgent { get; init; }

    /// <summary>Chains read to score them, after verification.</summary>
    public required Metered AssessReads { get; init; }

    /// <summary>Grant look-ups of quarantines and anything else.</summary>
    public required Metered OtherReads { get; init; }

    public required Metered Appends { get; init; }

    public required IReadOnlyDictionary<string, long> AppendsByKind { get; init; }
}
