using Azure;
using Azure.Data.Tables;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>
/// Idempotency for request ids in table <c>{prefix}requests</c>, PartitionKey = request id. Two kinds of row:
/// <list type="bullet">
/// <item>the claim (RowKey <c>claim</c>): who is appending for this request id now. Inserting it when absent,
/// or replacing it <c>If-Match</c> the ETag read, decides which of several racing appends writes; the others
/// wait for it to settle and replay its entry.</item>
/// <item>one index row per entry recorded with the id (RowKey <c>at|&lt;recorded_at&gt;|&lt;chain&gt;|&lt;seq&gt;</c>),
/// so "the first entry with this id at or after a time" is one range query, as in the SQLite ledger.</item>
/// </list>
/// A claim left <c>appending</c> by a writer that died is taken over after <see cref="Lease"/>; the taker
/// first looks for the dead writer's entry in its chain (it may have committed before dying) and, while it
/// appends, re-checks its own chain after every head read, so a late commit of the old writer makes the
/// taker's conditional write fail and then replay instead of writing a second entry.
/// </summary>
internal sealed class TablesRequests(TableClient requests, TablesChains chains, TimeProvider time)
{
    /// <summary>How long a claim may stay <c>appending</c> before another writer takes it over.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private const string ClaimKey = "claim";
    private const string IndexPrefix = "at|";
    private const string IndexEnd = "at}";
    private const string Appending = "appending";
    private const string Settled = "settled";

    /// <summary>This writer's claim on a request id.</summary>
    /// <param name="RequestId">The request id.</param>
    /// <param name="ETag">The claim's ETag after this writer wrote it.</param>
    /// <param name="PriorChainId">When the claim was taken over from a writer that died, the chain it was appending to.</param>
    public sealed record Claim(string RequestId, ETag ETag, string? PriorChainId)
    {
        /// <summary>True when an earlier writer may still commit an entry with this id.</summary>
        public bool TakenOver => PriorChainId is not null;
    }

    /// <summary>Either the earlier entry to replay, or the claim that lets this writer append.</summary>
    public sealed record Outcome(LedgerEntry? Earlier, Claim? Claim);

    /// <summary>Claims <paramref name="requestId"/> for an append to <paramref name="chainId"/>, or returns the entry to replay.</summary>
    public async Task<Outcome> ClaimAsync(string requestId, string chainId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var partition = TablesKeys.Key(requestId);
        for (var attempt = 1; ; attempt++)
        {
            // The claim is read before the index: settling writes both in one transaction, so an unchanged
            // claim ETag at our conditional write proves the index we read is still current.
            var read = await requests.GetEntityIfExistsAsync<TableEntity>(partition, ClaimKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            var earlier = await FindIndexedAsync(partition, since, cancellationToken).ConfigureAwait(false);
            if (earlier is not null)
            {
                return new Outcome(earlier, null);
            }

            var mine = ClaimEntity(partition, chainId, Appending);
            try
            {
                if (!read.HasValue)
                {
                    var added = await requests.AddEntityAsync(mine, cancellationToken).ConfigureAwait(false);
                    return new Outcome(null, new Claim(requestId, added.Headers.ETag ?? ETag.All, null));
                }

                var current = read.Value!;
                if (current.GetString("State") == Settled)
                {
                    var replaced = await requests.UpdateEntityAsync(mine, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                    return new Outcome(null, new Claim(requestId, replaced.Headers.ETag ?? ETag.All, null));
                }

                if (time.GetUtcNow() - (current.Timestamp ?? DateTimeOffset.MinValue) > Lease)
                {
                    var priorChain = current.GetString("ChainId") ?? chainId;
                    var committed = await chains.FindRequestAsync(priorChain, requestId, since, cancellationToken).ConfigureAwait(false);
                    if (committed is not null)
                    {
                        await SettleAsync(new Claim(requestId, current.ETag, null), committed, cancellationToken).ConfigureAwait(false);
                        return new Outcome(committed, null);
                    }

                    var takenOver = await requests.UpdateEntityAsync(mine, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                    return new Outcome(null, new Claim(requestId, takenOver.Headers.ETag ?? ETag.All, priorChain));
                }
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another writer claimed or settled first: read again.
                continue;
            }

            await TablesBackoff.DelayAsync(attempt, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records <paramref name="entry"/> under the claim's request id and frees the claim, in one transaction.</summary>
    public async Task SettleAsync(Claim claim, LedgerEntry entry, CancellationToken cancellationToken)
    {
        var partition = TablesKeys.Key(claim.RequestId);
        var index = IndexEntity(partition, entry);
        try
        {
            await requests.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, index),
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, ClaimEntity(partition, entry.ChainId, Settled), claim.ETag),
                ],
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            // The claim was taken over after our lease ran out; the entry is committed all the same, so index it.
            await requests.UpsertEntityAsync(index, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Frees a claim whose append failed. The append's outcome may be unknown (a lost answer), so the chain
    /// is checked first: an entry that did land is settled, not forgotten.
    /// </summary>
    public async Task ReleaseAsync(Claim claim, string chainId, DateTimeOffset since)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var landed = await chains.FindRequestAsync(chainId, claim.RequestId, since, timeout.Token).ConfigureAwait(false);
            if (landed is not null)
            {
                await SettleAsync(claim, landed, timeout.Token).ConfigureAwait(false);
                return;
            }

            var partition = TablesKeys.Key(claim.RequestId);
            await requests.UpdateEntityAsync(ClaimEntity(partition, chainId, Settled), claim.ETag, TableUpdateMode.Replace, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException)
        {
            // Best effort: a claim left appending is taken over after the lease, after the same check.
        }
    }

    /// <summary>The first entry recorded with <paramref name="requestId"/> at or after <paramref name="since"/>, including one whose append is still settling.</summary>
    public async Task<LedgerEntry?> FindAsync(string requestId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var partition = TablesKeys.Key(requestId);
        var earlier = await FindIndexedAsync(partition, since, cancellationToken).ConfigureAwait(false);
        if (earlier is not null)
        {
            return earlier;
        }

        var claim = await requests.GetEntityIfExistsAsync<TableEntity>(partition, ClaimKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return claim.HasValue && claim.Value!.GetString("State") == Appending && claim.Value.GetString("ChainId") is { } chainId
            ? await chains.FindRequestAsync(chainId, requestId, since, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>Indexes an entry copied in verbatim, leaving any claim as it is.</summary>
    public async Task RecordImportedAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        var partition = TablesKeys.Key(entry.RequestId!);
        await requests.UpsertEntityAsync(IndexEntity(partition, entry), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        try
        {
            await requests.AddEntityAsync(ClaimEntity(partition, entry.ChainId, Settled), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Already claimed or settled.
        }
    }

    private async Task<LedgerEntry?> FindIndexedAsync(string partition, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {IndexPrefix + LedgerChain.FormatTime(since)} and RowKey lt {IndexEnd}");
        await foreach (var row in requests.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetString("ChainId") is { } chainId && row.GetInt64("Seq") is { } seq
                && await chains.ReadEntryAsync(chainId, seq, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                return entry;
            }
        }

        return null;
    }

    private static TableEntity ClaimEntity(string partition, string chainId, string state) => new(partition, ClaimKey)
    {
        ["State"] = state,
        ["ChainId"] = chainId,
    };

    private static TableEntity IndexEntity(string partition, LedgerEntry entry) =>
        new(partition, $"{IndexPrefix}{LedgerChain.FormatTime(entry.RecordedAt)}|{TablesKeys.Key(entry.ChainId)}|{TablesKeys.Seq(entry.Seq)}")
        {
            ["ChainId"] = entry.ChainId,
            ["Seq"] = entry.Seq,
            ["RecordedAt"] = LedgerChain.FormatTime(entry.RecordedAt),
        };
}
