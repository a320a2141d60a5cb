using System.Text.RegularExpressions;
using Azure.Data.Tables;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>
/// The ledger in Azure Table storage (or Azurite), for hosts that scale out: any number of instances may
/// append to the same chains. Tables, all named <c>{prefix}...</c> and created on first use:
/// <list type="bullet">
/// <item><c>entries</c>: PartitionKey = chain id, RowKey = 19-digit seq, plus the chain head (RowKey <c>head</c>); see <see cref="TablesChains"/>.</item>
/// <item><c>chains</c>: the chain ids, for listing.</item>
/// <item><c>requests</c>: request-id claims and index; see <see cref="TablesRequests"/>.</item>
/// <item><c>agents</c>, <c>grants</c>, <c>agentgrants</c>: the projections; see <see cref="TablesProjections"/>.</item>
/// </list>
/// An append reads the head, builds the entry with <see cref="LedgerChain.Next"/>, and commits the entry
/// and the new head in one entity-group transaction conditioned on the head's ETag (or on the head not
/// existing yet). A writer that loses the race (409/412) re-reads and tries again after a short jittered
/// wait, so chains never fork whatever the number of instances; within one instance appends to a chain
/// queue behind each other instead of racing. The entry is the source of truth and is committed first;
/// then the request id is settled, then the agent, then the grant are written. Unlike SQLite, where all of
/// it commits at once, a failure after the entry's commit surfaces as an exception although the entry is
/// recorded: the caller fails closed, a retry with the same request id replays the entry, and the
/// projections lag until the next entry that carries them.
/// </summary>
public sealed partial class TablesLedger : ILedger, ILedgerTransfer, IDisposable
{
    /// <summary>The table-name prefix used when none is configured.</summary>
    public const string DefaultPrefix = "reflexive";

    /// <summary>The longest payload an entry may have here (an entity holds at most 1 MiB).</summary>
    public const int MaxPayloadChars = TablesChains.MaxPayloadChars;

    private const int MaxAppendAttempts = 20;
    private const int ChainGateCount = 256;
    private const long MaxTransactionBytes = 3_500_000;

    private readonly TableClient[] tables;
    private readonly TablesChains chains;
    private readonly TablesRequests requests;
    private readonly TablesProjections projections;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim[] chainGates = [.. Enumerable.Range(0, ChainGateCount).Select(_ => new SemaphoreSlim(1, 1))];
    private Task? tablesReady;

    private TablesLedger(TableServiceClient service, string prefix, TimeProvider time)
    {
        if (!IsValidPrefix(prefix))
        {
            throw new ArgumentException($"'{prefix}' is not a usable table-name prefix: 1 to 40 letters and digits, starting with a letter.", nameof(prefix));
        }

        Prefix = prefix;
        this.time = time;
        var entries = service.GetTableClient(prefix + "entries");
        var chainIds = service.GetTableClient(prefix + "chains");
        var requestIds = service.GetTableClient(prefix + "requests");
        var agents = service.GetTableClient(prefix + "agents");
        var grants = service.GetTableClient(prefix + "grants");
        var agentGrants = service.GetTableClient(prefix + "agentgrants");
        tables = [entries, chainIds, requestIds, agents, grants, agentGrants];
        chains = new TablesChains(entries, chainIds);
        requests = new TablesRequests(requestIds, chains, time);
        projections = new TablesProjections(agents, grants, agentGrants, time);
        Endpoint = service.Uri.GetLeftPart(UriPartial.Path);
    }

    /// <summary>How long a request id stays claimed by a writer that neither committed nor released it before another may take over.</summary>
    public static TimeSpan RequestClaimLease => TablesRequests.Lease;

    /// <summary>The table-name prefix.</summary>
    public string Prefix { get; }

    /// <summary>The table service endpoint, without credentials.</summary>
    public string Endpoint { get; }

    /// <summary>Opens the ledger on <paramref name="connection"/>; tables are created on first use.</summary>
    public static TablesLedger Open(TablesConnection connection, string prefix = DefaultPrefix, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new TablesLedger(connection.CreateClient(), prefix, time ?? TimeProvider.System);
    }

    /// <summary>Opens the ledger through an existing client.</summary>
    public static TablesLedger Open(TableServiceClient service, string prefix = DefaultPrefix, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        return new TablesLedger(service, prefix, time ?? TimeProvider.System);
    }

    /// <summary>Whether <paramref name="prefix"/> can prefix this ledger's table names.</summary>
    public static bool IsValidPrefix(string? prefix) => prefix is not null && PrefixPattern().IsMatch(prefix);

    /// <inheritdoc />
    public Task<LedgerAppendResult> AppendAsync(LedgerAppend append, CancellationToken cancellationToken) =>
        AppendTracing.TraceAsync("tables", append, AppendUntracedAsync, cancellationToken);

    private async Task<LedgerAppendResult> AppendUntracedAsync(LedgerAppend append, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(append);
        if (append.Payload.Length > MaxPayloadChars)
        {
            throw new ArgumentException($"The payload has {append.Payload.Length} characters; the Tables ledger stores at most {MaxPayloadChars}.", nameof(append));
        }

        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var since = append.ReplayWindowStart ?? DateTimeOffset.MinValue;
        TablesRequests.Claim? claim = null;
        if (append.RequestId is not null)
        {
            var outcome = await requests.ClaimAsync(append.RequestId, append.ChainId, since, cancellationToken).ConfigureAwait(false);
            if (outcome.Earlier is not null)
            {
                return new LedgerAppendResult(outcome.Earlier, Replayed: true);
            }

            claim = outcome.Claim!;
        }

        LedgerAppendResult result;
        try
        {
            result = await CommitAsync(append, claim, since, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (claim is not null)
        {
            await requests.ReleaseAsync(claim, append.ChainId, since).ConfigureAwait(false);
            throw;
        }

        if (claim is not null)
        {
            await requests.SettleAsync(claim, result.Entry, cancellationToken).ConfigureAwait(false);
        }

        if (result.Replayed)
        {
            return result;
        }

        if (append.Agent is not null)
        {
            await projections.WriteAsync(append.Agent, result.Entry, cancellationToken).ConfigureAwait(false);
        }

        if (append.Grant is not null)
        {
            await projections.WriteAsync(append.Grant, result.Entry, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<LedgerEntry?> FindByRequestIdAsync(string requestId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await requests.FindAsync(requestId, since, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> CountSinceAsync(string chainId, LedgerEntryKind kind, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await chains.CountAsync(chainId, kind, since, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await chains.ListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerEntry> ReadChainAsync(string chainId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var entry in chains.ReadAsync(chainId, cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    /// <inheritdoc />
    public async Task<Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await projections.GetAgentAsync(agentId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Agent>> ListAgentsAsync(CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await projections.ListAgentsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Grant?> GetGrantAsync(string grantId, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await projections.GetGrantAsync(grantId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Grant>> ListActiveGrantsAsync(string agentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await projections.ListActiveGrantsAsync(agentId, now, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        await chains.PingAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<LedgerEntry?> ReadHeadAsync(string chainId, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return (await chains.ReadHeadAsync(chainId, cancellationToken).ConfigureAwait(false))?.Entry;
    }

    /// <inheritdoc />
    public async Task<int> ImportAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return 0;
        }

        LedgerMigration.CheckContiguous(entries);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var chainId = entries[0].ChainId;
        var gate = GateOf(chainId);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var written = new List<LedgerEntry>();
        try
        {
            for (var attempt = 1; ;)
            {
                var head = await chains.ReadHeadAsync(chainId, cancellationToken).ConfigureAwait(false);
                var pending = await LedgerMigration.PendingAsync(head?.Entry, entries, (seq, ct) => chains.ReadEntryAsync(chainId, seq, ct), cancellationToken).ConfigureAwait(false);
                if (pending.Count == 0)
                {
                    break;
                }

                if (head is null)
                {
                    await chains.EnsureListedAsync(chainId, cancellationToken).ConfigureAwait(false);
                }

                var batch = TakeTransaction(pending);
                try
                {
                    await chains.CommitAsync(head, batch, Guid.NewGuid().ToString("N"), cancellationToken).ConfigureAwait(false);
                    written.AddRange(batch);
                }
                catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxAppendAttempts)
                {
                    await TablesBackoff.DelayAsync(attempt++, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            gate.Release();
        }

        foreach (var entry in written.Where(entry => entry.RequestId is not null))
        {
            await requests.RecordImportedAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        return written.Count;
    }

    /// <inheritdoc />
    public async Task<bool> ImportAgentAsync(Agent agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await projections.ImportAsync(agent, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> ImportGrantAsync(Grant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await projections.ImportAsync(grant, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Grant> ReadGrantsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var grant in projections.ReadGrantsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return grant;
        }
    }

    /// <summary>Deletes every table of this ledger (for tests and tear-down of throwaway ledgers).</summary>
    public async Task DeleteTablesAsync(CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            await table.DeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref tablesReady, null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var gate in chainGates)
        {
            gate.Dispose();
        }
    }

    private async Task<LedgerAppendResult> CommitAsync(LedgerAppend append, TablesRequests.Claim? claim, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var gate = GateOf(append.ChainId);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var head = await chains.ReadHeadAsync(append.ChainId, cancellationToken).ConfigureAwait(false);

                // After taking over a dead writer's claim, its entry may still land in this chain; the head
                // ETag condition below turns such a late commit into a conflict, and this check into a replay.
                if (claim is { TakenOver: true }
                    && await chains.FindRequestAsync(append.ChainId, claim.RequestId, since, cancellationToken).ConfigureAwait(false) is { } earlier)
                {
                    return new LedgerAppendResult(earlier, Replayed: true);
                }

                if (head is null)
                {
                    await chains.EnsureListedAsync(append.ChainId, cancellationToken).ConfigureAwait(false);
                }

                var entry = LedgerChain.Next(head?.Entry, append);
                var appendId = Guid.NewGuid().ToString("N");
                try
                {
                    await chains.CommitAsync(head, [entry], appendId, cancellationToken).ConfigureAwait(false);
                    return new LedgerAppendResult(entry, Replayed: false);
                }
                catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
                {
                    // A retried request whose first answer was lost also reports a conflict: check whether it landed.
                    var landed = await chains.ReadAppendIdAsync(append.ChainId, entry.Seq, cancellationToken).ConfigureAwait(false);
                    if (string.Equals(landed, appendId, StringComparison.Ordinal))
                    {
                        return new LedgerAppendResult(entry, Replayed: false);
                    }

                    if (attempt >= MaxAppendAttempts)
                    {
                        throw new InvalidOperationException(
                            $"Could not append to chain '{append.ChainId}' after {MaxAppendAttempts} attempts: other writers kept moving its head.", ex);
                    }
                }

                await TablesBackoff.DelayAsync(attempt, time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private static List<LedgerEntry> TakeTransaction(IReadOnlyList<LedgerEntry> pending)
    {
        var batch = new List<LedgerEntry>();
        var bytes = 0L;
        foreach (var entry in pending)
        {
            // One action is kept for the head, which copies the batch's last entry.
            var size = TablesChains.EstimatedBytes(entry);
            if (batch.Count > 0 && (batch.Count == TablesChains.MaxTransactionActions - 1 || bytes + (2 * size) > MaxTransactionBytes))
            {
                break;
            }

            batch.Add(entry);
            bytes += size;
        }

        return batch;
    }

    private SemaphoreSlim GateOf(string chainId) =>
        chainGates[(StringComparer.Ordinal.GetHashCode(chainId) & int.MaxValue) % ChainGateCount];

    private Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        var ready = Volatile.Read(ref tablesReady);
        if (ready is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        if (ready is null || ready.IsFaulted || ready.IsCanceled)
        {
            var created = CreateTablesAsync();
            ready = Interlocked.CompareExchange(ref tablesReady, created, ready) == ready ? created : Volatile.Read(ref tablesReady)!;
        }

        return ready.WaitAsync(cancellationToken);
    }

    private async Task CreateTablesAsync()
    {
        // Shared by every caller that arrives meanwhile, so no single caller's token may cancel it.
        await Task.WhenAll(tables.Select(table => table.CreateIfNotExistsAsync(CancellationToken.None))).ConfigureAwait(false);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();
}
