using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>
/// The chains of the Tables ledger. Table <c>{prefix}entries</c>: PartitionKey = chain id, RowKey = the
/// entry's seq as 19 digits (rows sort by seq), plus one head entity per chain (RowKey <c>head</c>) that
/// copies the last entry and carries the ETag every append is conditioned on. Table <c>{prefix}chains</c>:
/// one row per chain id (PartitionKey <c>chain</c>), so listing chains reads one partition, not every entry.
/// Timestamps are stored as the exact strings of <see cref="LedgerChain.FormatTime"/>, which the hash covers.
/// </summary>
internal sealed class TablesChains(TableClient entries, TableClient chains)
{
    /// <summary>Most entities one entity-group transaction may hold.</summary>
    public const int MaxTransactionActions = 100;

    /// <summary>The longest payload an entry can hold: 15 properties of 30,000 UTF-16 chars stay under the 1 MiB entity limit.</summary>
    public const int MaxPayloadChars = PayloadChunkChars * 15;

    private const int PayloadChunkChars = 30_000;
    private const int PageSize = 1000;
    private const string ChainsPartition = "chain";
    private const string PayloadProperty = "Payload";
    private const string AppendIdProperty = "AppendId";

    /// <summary>A chain's head: its last entry and the ETag that conditions the next append.</summary>
    public sealed record Head(LedgerEntry Entry, ETag ETag);

    public async Task<Head?> ReadHeadAsync(string chainId, CancellationToken cancellationToken)
    {
        var response = await entries.GetEntityIfExistsAsync<TableEntity>(TablesKeys.Key(chainId), TablesKeys.Head, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? new Head(ToEntry(response.Value!), response.Value!.ETag) : null;
    }

    public async Task<LedgerEntry?> ReadEntryAsync(string chainId, long seq, CancellationToken cancellationToken)
    {
        var response = await entries.GetEntityIfExistsAsync<TableEntity>(TablesKeys.Key(chainId), TablesKeys.Seq(seq), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? ToEntry(response.Value!) : null;
    }

    /// <summary>The append id stored with the entry at <paramref name="seq"/>, to tell whether an append whose answer was lost landed.</summary>
    public async Task<string?> ReadAppendIdAsync(string chainId, long seq, CancellationToken cancellationToken)
    {
        var response = await entries.GetEntityIfExistsAsync<TableEntity>(TablesKeys.Key(chainId), TablesKeys.Seq(seq), [AppendIdProperty], cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value!.GetString(AppendIdProperty) : null;
    }

    /// <summary>The chain's entries in seq order, a page at a time.</summary>
    public async IAsyncEnumerable<LedgerEntry> ReadAsync(string chainId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TablesKeys.Key(chainId)} and RowKey ge {TablesKeys.FirstSeq} and RowKey le {TablesKeys.LastSeq}");
        await foreach (var entity in entries.QueryAsync<TableEntity>(filter, PageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return ToEntry(entity);
        }
    }

    /// <summary>The chain's first entry with <paramref name="requestId"/> recorded at or after <paramref name="since"/>.</summary>
    public async Task<LedgerEntry?> FindRequestAsync(string chainId, string requestId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {TablesKeys.Key(chainId)} and RowKey ge {TablesKeys.FirstSeq} and RowKey le {TablesKeys.LastSeq} and RequestId eq {requestId} and RecordedAt ge {LedgerChain.FormatTime(since)}");
        await foreach (var entity in entries.QueryAsync<TableEntity>(filter, PageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return ToEntry(entity);
        }

        return null;
    }

    public async Task<int> CountAsync(string chainId, LedgerEntryKind kind, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {TablesKeys.Key(chainId)} and RowKey ge {TablesKeys.FirstSeq} and RowKey le {TablesKeys.LastSeq} and Kind eq {kind.ToWire()} and RecordedAt ge {LedgerChain.FormatTime(since)}");
        var count = 0;
        await foreach (var _ in entries.QueryAsync<TableEntity>(filter, PageSize, ["RowKey"], cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    /// <summary>Every chain id, in ordinal order.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ChainsPartition}");
        var ids = new List<string>();
        await foreach (var entity in chains.QueryAsync<TableEntity>(filter, PageSize, ["RowKey"], cancellationToken).ConfigureAwait(false))
        {
            ids.Add(TablesKeys.Id(entity.RowKey));
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>A point read that finds nothing: proves the service answers and the credentials work.</summary>
    public async Task PingAsync(CancellationToken cancellationToken) =>
        await chains.GetEntityIfExistsAsync<TableEntity>(ChainsPartition, "$ping", ["RowKey"], cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Lists the chain before its first entry is written, so a chain can never hold entries that
    /// <see cref="ListAsync"/> (and so a full verification) does not see.
    /// </summary>
    public async Task EnsureListedAsync(string chainId, CancellationToken cancellationToken) =>
        await chains.UpsertEntityAsync(new TableEntity(ChainsPartition, TablesKeys.Key(chainId)), TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// One entity-group transaction in the chain's partition: insert <paramref name="batch"/> (contiguous,
    /// after <paramref name="head"/>) and move the head to its last entry, inserting the head of a new chain
    /// or replacing the old one only if its ETag is unchanged. Throws <see cref="TableTransactionFailedException"/>
    /// with status 409 or 412 when another writer moved the head first.
    /// </summary>
    public async Task CommitAsync(Head? head, IReadOnlyList<LedgerEntry> batch, string appendId, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>(batch.Count + 1);
        actions.AddRange(batch.Select(entry => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(entry, TablesKeys.Seq(entry.Seq), appendId))));
        var newHead = ToEntity(batch[^1], TablesKeys.Head, appendId);
        actions.Add(head is null
            ? new TableTransactionAction(TableTransactionActionType.Add, newHead)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, newHead, head.ETag));
        await entries.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rough size of an entry entity on the wire, to keep a transaction under its 4 MiB limit.</summary>
    public static long EstimatedBytes(LedgerEntry entry) => 1024 + (2L * entry.Payload.Length);

    private static TableEntity ToEntity(LedgerEntry entry, string rowKey, string appendId)
    {
        if (entry.Payload.Length > MaxPayloadChars)
        {
            throw new ArgumentException($"The payload of {entry.Id} has {entry.Payload.Length} characters; the Tables ledger stores at most {MaxPayloadChars}.", nameof(entry));
        }

        var entity = new TableEntity(TablesKeys.Key(entry.ChainId), rowKey)
        {
            ["Seq"] = entry.Seq,
            ["Kind"] = entry.Kind,
            ["OccurredAt"] = LedgerChain.FormatTime(entry.OccurredAt),
            ["RecordedAt"] = LedgerChain.FormatTime(entry.RecordedAt),
            ["PrevHash"] = entry.PrevHash,
            ["Hash"] = entry.Hash,
            [AppendIdProperty] = appendId,
        };
        if (entry.RequestId is not null)
        {
            entity["RequestId"] = entry.RequestId;
        }

        var start = 0;
        var index = 0;
        do
        {
            var length = Math.Min(PayloadChunkChars, entry.Payload.Length - start);
            if (start + length < entry.Payload.Length && char.IsHighSurrogate(entry.Payload[start + length - 1]))
            {
                length--;
            }

            entity[PayloadName(index++)] = entry.Payload.Substring(start, length);
            start += length;
        }
        while (start < entry.Payload.Length);

        return entity;
    }

    private static LedgerEntry ToEntry(TableEntity entity)
    {
        var payload = entity.GetString(PayloadProperty) ?? string.Empty;
        for (var index = 1; entity.GetString(PayloadName(index)) is { } chunk; index++)
        {
            payload += chunk;
        }

        return new LedgerEntry
        {
            ChainId = TablesKeys.Id(entity.PartitionKey),
            Seq = entity.RowKey == TablesKeys.Head ? entity.GetInt64("Seq") ?? 0 : TablesKeys.ParseSeq(entity.RowKey),
            Kind = entity.GetString("Kind") ?? string.Empty,
            OccurredAt = LedgerChain.ParseTime(entity.GetString("OccurredAt") ?? string.Empty),
            RecordedAt = LedgerChain.ParseTime(entity.GetString("RecordedAt") ?? string.Empty),
            RequestId = entity.GetString("RequestId"),
            Payload = payload,
            PrevHash = entity.GetString("PrevHash") ?? string.Empty,
            Hash = entity.GetString("Hash") ?? string.Empty,
        };
    }

    private static string PayloadName(int index) =>
        index == 0 ? PayloadProperty : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{PayloadProperty}{index}");
}
