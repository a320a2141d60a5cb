using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>
/// The SQLite ledger's single writer: one connection, prepared statements, and a queue drained by one
/// thread that commits every queued append in one <c>BEGIN IMMEDIATE</c> transaction. Heads are read
/// inside the transaction, so another process writing the same file cannot fork a chain either.
/// A batch that fails is retried one append at a time, so one bad append fails alone. Chain heads are
/// cached between batches for as long as <c>PRAGMA data_version</c> shows no other connection committed.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    private const int MaxBatch = 256;
    private const int MaxCachedHeads = 100_000;

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection connection;
    private readonly SqliteCommand selectHead;
    private readonly SqliteCommand selectRequest;
    private readonly SqliteCommand insertEntry;
    private readonly SqliteCommand upsertAgent;
    private readonly SqliteCommand upsertGrant;
    private readonly SqliteCommand dataVersion;
    private readonly Dictionary<string, ChainHead> heads = new(StringComparer.Ordinal);
    private readonly Task running;
    private long headsVersion = -1;

    public SqliteWriter(string connectionString, int busyTimeoutMilliseconds)
    {
        connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = $"PRAGMA busy_timeout={busyTimeoutMilliseconds}; PRAGMA synchronous=NORMAL;";
            pragmas.ExecuteNonQuery();
        }

        selectHead = Prepare("SELECT seq, hash FROM ledger_entries WHERE chain_id = $chain ORDER BY seq DESC LIMIT 1;", "$chain");
        dataVersion = Prepare("PRAGMA data_version;");
        selectRequest = Prepare(
            $"SELECT {SqliteLedger.EntryColumns} FROM ledger_entries WHERE request_id = $request AND recorded_at >= $since ORDER BY recorded_at LIMIT 1;",
            "$request",
            "$since");
        insertEntry = Prepare(
            $"INSERT INTO ledger_entries ({SqliteLedger.EntryColumns}) VALUES ($chain, $seq, $kind, $occurred, $recorded, $request, $payload, $prev, $hash);",
            "$chain", "$seq", "$kind", "$occurred", "$recorded", "$request", "$payload", "$prev", "$hash");
        upsertAgent = Prepare(
            $"""
            INSERT INTO agents ({SqliteLedger.AgentColumns}) VALUES ($agent, $ptype, $pid, $trust, $status, $revoked, $registered, $updated, $integrity)
            ON CONFLICT (agent_id) DO UPDATE SET principal_type = excluded.principal_type, principal_id = excluded.principal_id,
                trust_score = excluded.trust_score, status = excluded.status, revoked_scopes = excluded.revoked_scopes, updated_at = excluded.updated_at,
                integrity = excluded.integrity;
            """,
            "$agent", "$ptype", "$pid", "$trust", "$status", "$revoked", "$registered", "$updated", "$integrity");
        upsertGrant = Prepare(
            $"""
            INSERT INTO grants ({SqliteLedger.GrantColumns}) VALUES ($grant, $agent, $scopes, $issued, $expires, $revoked, $reason)
            ON CONFLICT (grant_id) DO UPDATE SET revoked_at = excluded.revoked_at, revocation_reason = excluded.revocation_reason;
            """,
            "$grant", "$agent", "$scopes", "$issued", "$expires", "$revoked", "$reason");

        // An async loop, not a thread blocked on the queue: a blocking wait spins first, and on a busy
        // machine that spinning cost more CPU than the writes (14 % of sampled time in a webhook profile).
        running = Task.Run(RunAsync);
    }

    public Task<LedgerAppendResult> AppendAsync(LedgerAppend append, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(append, new TaskCompletionSource<LedgerAppendResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteLedger), "The ledger is closed.");
        }

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        queue.Writer.TryComplete();
        running.GetAwaiter().GetResult();
        foreach (var command in new[] { selectHead, selectRequest, insertEntry, upsertAgent, upsertGrant, dataVersion })
        {
            command.Dispose();
        }

        connection.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                var results = Write(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception) when (batch.Count > 1)
            {
                foreach (var pending in batch)
                {
                    WriteAlone(pending);
                }
            }
            catch (Exception ex)
            {
                batch[0].Completion.TrySetException(ex);
            }
        }
    }

    private void WriteAlone(Pending pending)
    {
        try
        {
            pending.Completion.TrySetResult(Write([pending])[0]);
        }
        catch (Exception ex)
        {
            pending.Completion.TrySetException(ex);
        }
    }

    private LedgerAppendResult[] Write(List<Pending> batch)
    {
        try
        {
            return WriteBatch(batch);
        }
        catch
        {
            // The transaction rolled back: heads advanced in it are not on disk.
            heads.Clear();
            headsVersion = -1;
            throw;
        }
    }

    private LedgerAppendResult[] WriteBatch(List<Pending> batch)
    {
        var results = new LedgerAppendResult[batch.Count];
        var requests = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        using var transaction = connection.BeginTransaction(deferred: false);
        dataVersion.Transaction = transaction;
        var version = (long)dataVersion.ExecuteScalar()!;
        if (version != headsVersion || heads.Count > MaxCachedHeads)
        {
            // Another connection (another process, or a reader that repaired nothing) committed: re-read heads.
            heads.Clear();
            headsVersion = version;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var append = batch[i].Append;
            var earlier = append.RequestId is null ? null : FindRequest(transaction, requests, append.RequestId, append.ReplayWindowStart ?? DateTimeOffset.MinValue);
            if (earlier is not null)
            {
                results[i] = new LedgerAppendResult(earlier, Replayed: true);
                continue;
            }

            if (!heads.TryGetValue(append.ChainId, out var head))
            {
                head = ReadHead(transaction, append.ChainId);
            }

            var entry = LedgerChain.NextAfter(head, append);
            Insert(transaction, entry);
            if (append.Agent is not null)
            {
                Upsert(transaction, append.Agent);
            }

            if (append.Grant is not null)
            {
                Upsert(transaction, append.Grant);
            }

            heads[entry.ChainId] = new ChainHead(entry.Seq, entry.Hash);
            if (entry.RequestId is not null)
            {
                requests[entry.RequestId] = entry;
            }

            results[i] = new LedgerAppendResult(entry, Replayed: false);
        }

        transaction.Commit();
        return results;
    }

    private LedgerEntry? FindRequest(SqliteTransaction transaction, Dictionary<string, LedgerEntry> inBatch, string requestId, DateTimeOffset since)
    {
        if (inBatch.TryGetValue(requestId, out var entry) && entry.RecordedAt >= since)
        {
            return entry;
        }

        selectRequest.Transaction = transaction;
        selectRequest.Parameters["$request"].Value = requestId;
        selectRequest.Parameters["$since"].Value = LedgerChain.FormatTime(since);
        return ReadOne(selectRequest);
    }

    private ChainHead? ReadHead(SqliteTransaction transaction, string chainId)
    {
        selectHead.Transaction = transaction;
        selectHead.Parameters["$chain"].Value = chainId;
        using var reader = selectHead.ExecuteReader();
        return reader.Read() ? new ChainHead(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private static LedgerEntry? ReadOne(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? SqliteLedger.ReadEntry(reader) : null;
    }

    private void Insert(SqliteTransaction transaction, LedgerEntry entry)
    {
        var p = insertEntry.Parameters;
        insertEntry.Transaction = transaction;
        p["$chain"].Value = entry.ChainId;
        p["$seq"].Value = entry.Seq;
        p["$kind"].Value = entry.Kind;
        p["$occurred"].Value = LedgerChain.FormatTime(entry.OccurredAt);
        p["$recorded"].Value = LedgerChain.FormatTime(entry.RecordedAt);
        p["$request"].Value = (object?)entry.RequestId ?? DBNull.Value;
        p["$payload"].Value = entry.Payload;
        p["$prev"].Value = entry.PrevHash;
        p["$hash"].Value = entry.Hash;
        insertEntry.ExecuteNonQuery();
    }

    private void Upsert(SqliteTransaction transaction, Agent agent)
    {
        var p = upsertAgent.Parameters;
        upsertAgent.Transaction = transaction;
        p["$agent"].Value = agent.Id;
        p["$ptype"].Value = agent.Principal.Type.ToString().ToLowerInvariant();
        p["$pid"].Value = agent.Principal.Id;
        p["$trust"].Value = agent.TrustScore;
        p["$status"].Value = agent.Status.ToString().ToLowerInvariant();
        p["$revoked"].Value = JsonSerializer.Serialize(agent.RevokedScopes, StorageJsonContext.Default.IReadOnlyListString);
        p["$registered"].Value = LedgerChain.FormatTime(agent.RegisteredAt);
        p["$updated"].Value = LedgerChain.FormatTime(agent.UpdatedAt);
        p["$integrity"].Value = SqliteLedger.IntegrityColumn(agent);
        upsertAgent.ExecuteNonQuery();
    }

    private void Upsert(SqliteTransaction transaction, Grant grant)
    {
        var p = upsertGrant.Parameters;
        upsertGrant.Transaction = transaction;
        p["$grant"].Value = grant.Id;
        p["$agent"].Value = grant.AgentId;
        p["$scopes"].Value = string.Join(' ', grant.Scopes);
        p["$issued"].Value = LedgerChain.FormatTime(grant.IssuedAt);
        p["$expires"].Value = LedgerChain.FormatTime(grant.ExpiresAt);
        p["$revoked"].Value = grant.RevokedAt is { } revokedAt ? LedgerChain.FormatTime(revokedAt) : DBNull.Value;
        p["$reason"].Value = (object?)grant.RevocationReason ?? DBNull.Value;
        upsertGrant.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private sealed record Pending(LedgerAppend Append, TaskCompletionSource<LedgerAppendResult> Completion);
}
