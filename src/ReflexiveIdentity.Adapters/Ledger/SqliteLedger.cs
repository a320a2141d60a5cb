using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>
/// The ledger in one SQLite file: WAL, a busy timeout, schema created and migrated by the code, entries
/// append-only (triggers refuse UPDATE and DELETE). Appends are serialized in-process by one writer
/// connection and across processes by <c>BEGIN IMMEDIATE</c>, so concurrent writers never fork a chain.
/// </summary>
public sealed class SqliteLedger : ILedger, IDisposable
{
    private const int BusyTimeoutMilliseconds = 10_000;

    private readonly string connectionString;
    private readonly SqliteConnection writer;
    private readonly SemaphoreSlim writeLock = new(1, 1);

    private SqliteLedger(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
        writer = Connect();
        Execute(writer, "PRAGMA journal_mode=WAL;");
        SqliteSchema.Migrate(writer);
    }

    /// <summary>The full path of the ledger file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating and migrating when needed) the ledger at <paramref name="path"/>.</summary>
    public static SqliteLedger Open(string path) => new(path);

    /// <inheritdoc />
    public async Task<LedgerAppendResult> AppendAsync(LedgerAppend append, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = writer.BeginTransaction(deferred: false);
            if (append.RequestId is not null)
            {
                var earlier = await FindByRequestIdAsync(writer, transaction, append.RequestId, append.ReplayWindowStart ?? DateTimeOffset.MinValue, cancellationToken).ConfigureAwait(false);
                if (earlier is not null)
                {
                    return new LedgerAppendResult(earlier, Replayed: true);
                }
            }

            var head = await ReadHeadAsync(transaction, append.ChainId, cancellationToken).ConfigureAwait(false);
            var entry = LedgerChain.Next(head, append);
            await InsertEntryAsync(transaction, entry, cancellationToken).ConfigureAwait(false);
            if (append.Agent is not null)
            {
                await UpsertAgentAsync(transaction, append.Agent, cancellationToken).ConfigureAwait(false);
            }

            if (append.Grant is not null)
            {
                await UpsertGrantAsync(transaction, append.Grant, cancellationToken).ConfigureAwait(false);
            }

            transaction.Commit();
            return new LedgerAppendResult(entry, Replayed: false);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<LedgerEntry?> FindByRequestIdAsync(string requestId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        return await FindByRequestIdAsync(connection, null, requestId, since, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> CountSinceAsync(string chainId, LedgerEntryKind kind, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, "SELECT COUNT(*) FROM ledger_entries WHERE chain_id = $chain AND kind = $kind AND recorded_at >= $since;");
        command.Parameters.AddWithValue("$chain", chainId);
        command.Parameters.AddWithValue("$kind", kind.ToWire());
        command.Parameters.AddWithValue("$since", LedgerChain.FormatTime(since));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, "SELECT DISTINCT chain_id FROM ledger_entries ORDER BY chain_id;");
        var chains = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            chains.Add(reader.GetString(0));
        }

        return chains;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerEntry> ReadChainAsync(string chainId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, $"SELECT {EntryColumns} FROM ledger_entries WHERE chain_id = $chain ORDER BY seq;");
        command.Parameters.AddWithValue("$chain", chainId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadEntry(reader);
        }
    }

    /// <inheritdoc />
    public async Task<Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, $"SELECT {AgentColumns} FROM agents WHERE agent_id = $agent;");
        command.Parameters.AddWithValue("$agent", agentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAgent(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Agent>> ListAgentsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, $"SELECT {AgentColumns} FROM agents ORDER BY agent_id;");
        var agents = new List<Agent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            agents.Add(ReadAgent(reader));
        }

        return agents;
    }

    /// <inheritdoc />
    public async Task<Grant?> GetGrantAsync(string grantId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, $"SELECT {GrantColumns} FROM grants WHERE grant_id = $grant;");
        command.Parameters.AddWithValue("$grant", grantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadGrant(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Grant>> ListActiveGrantsAsync(string agentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(
            connection,
            null,
            $"SELECT {GrantColumns} FROM grants WHERE agent_id = $agent AND revoked_at IS NULL AND expires_at > $now ORDER BY issued_at, grant_id;");
        command.Parameters.AddWithValue("$agent", agentId);
        command.Parameters.AddWithValue("$now", LedgerChain.FormatTime(now));
        var grants = new List<Grant>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            grants.Add(ReadGrant(reader));
        }

        return grants;
    }

    /// <inheritdoc />
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, "SELECT COUNT(*) FROM sqlite_master;");
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        writer.Dispose();
        writeLock.Dispose();
    }

    private const string EntryColumns = "chain_id, seq, kind, occurred_at, recorded_at, request_id, payload, prev_hash, hash";
    private const string AgentColumns = "agent_id, principal_type, principal_id, trust_score, status, revoked_scopes, registered_at, updated_at";
    private const string GrantColumns = "grant_id, agent_id, scopes, issued_at, expires_at, revoked_at, revocation_reason";

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
        return connection;
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds};");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static async Task<LedgerEntry?> FindByRequestIdAsync(SqliteConnection connection, SqliteTransaction? transaction, string requestId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        using var command = Command(
            connection,
            transaction,
            $"SELECT {EntryColumns} FROM ledger_entries WHERE request_id = $request AND recorded_at >= $since ORDER BY recorded_at LIMIT 1;");
        command.Parameters.AddWithValue("$request", requestId);
        command.Parameters.AddWithValue("$since", LedgerChain.FormatTime(since));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEntry(reader) : null;
    }

    private async Task<LedgerEntry?> ReadHeadAsync(SqliteTransaction transaction, string chainId, CancellationToken cancellationToken)
    {
        using var command = Command(writer, transaction, $"SELECT {EntryColumns} FROM ledger_entries WHERE chain_id = $chain ORDER BY seq DESC LIMIT 1;");
        command.Parameters.AddWithValue("$chain", chainId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEntry(reader) : null;
    }

    private async Task InsertEntryAsync(SqliteTransaction transaction, LedgerEntry entry, CancellationToken cancellationToken)
    {
        using var command = Command(
            writer,
            transaction,
            $"INSERT INTO ledger_entries ({EntryColumns}) VALUES ($chain, $seq, $kind, $occurred, $recorded, $request, $payload, $prev, $hash);");
        command.Parameters.AddWithValue("$chain", entry.ChainId);
        command.Parameters.AddWithValue("$seq", entry.Seq);
        command.Parameters.AddWithValue("$kind", entry.Kind);
        command.Parameters.AddWithValue("$occurred", LedgerChain.FormatTime(entry.OccurredAt));
        command.Parameters.AddWithValue("$recorded", LedgerChain.FormatTime(entry.RecordedAt));
        command.Parameters.AddWithValue("$request", (object?)entry.RequestId ?? DBNull.Value);
        command.Parameters.AddWithValue("$payload", entry.Payload);
        command.Parameters.AddWithValue("$prev", entry.PrevHash);
        command.Parameters.AddWithValue("$hash", entry.Hash);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task UpsertAgentAsync(SqliteTransaction transaction, Agent agent, CancellationToken cancellationToken)
    {
        using var command = Command(
            writer,
            transaction,
            $"""
            INSERT INTO agents ({AgentColumns}) VALUES ($agent, $ptype, $pid, $trust, $status, $revoked, $registered, $updated)
            ON CONFLICT (agent_id) DO UPDATE SET principal_type = excluded.principal_type, principal_id = excluded.principal_id,
                trust_score = excluded.trust_score, status = excluded.status, revoked_scopes = excluded.revoked_scopes, updated_at = excluded.updated_at;
            """);
        command.Parameters.AddWithValue("$agent", agent.Id);
        command.Parameters.AddWithValue("$ptype", agent.Principal.Type.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("$pid", agent.Principal.Id);
        command.Parameters.AddWithValue("$trust", agent.TrustScore);
        command.Parameters.AddWithValue("$status", agent.Status.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("$revoked", JsonSerializer.Serialize(agent.RevokedScopes, SqliteJsonContext.Default.IReadOnlyListString));
        command.Parameters.AddWithValue("$registered", LedgerChain.FormatTime(agent.RegisteredAt));
        command.Parameters.AddWithValue("$updated", LedgerChain.FormatTime(agent.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task UpsertGrantAsync(SqliteTransaction transaction, Grant grant, CancellationToken cancellationToken)
    {
        using var command = Command(
            writer,
            transaction,
            $"""
            INSERT INTO grants ({GrantColumns}) VALUES ($grant, $agent, $scopes, $issued, $expires, $revoked, $reason)
            ON CONFLICT (grant_id) DO UPDATE SET revoked_at = excluded.revoked_at, revocation_reason = excluded.revocation_reason;
            """);
        command.Parameters.AddWithValue("$grant", grant.Id);
        command.Parameters.AddWithValue("$agent", grant.AgentId);
        command.Parameters.AddWithValue("$scopes", string.Join(' ', grant.Scopes));
        command.Parameters.AddWithValue("$issued", LedgerChain.FormatTime(grant.IssuedAt));
        command.Parameters.AddWithValue("$expires", LedgerChain.FormatTime(grant.ExpiresAt));
        command.Parameters.AddWithValue("$revoked", grant.RevokedAt is { } revokedAt ? LedgerChain.FormatTime(revokedAt) : DBNull.Value);
        command.Parameters.AddWithValue("$reason", (object?)grant.RevocationReason ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static LedgerEntry ReadEntry(SqliteDataReader reader) => new()
    {
        ChainId = reader.GetString(0),
        Seq = reader.GetInt64(1),
        Kind = reader.GetString(2),
        OccurredAt = LedgerChain.ParseTime(reader.GetString(3)),
        RecordedAt = LedgerChain.ParseTime(reader.GetString(4)),
        RequestId = reader.IsDBNull(5) ? null : reader.GetString(5),
        Payload = reader.GetString(6),
        PrevHash = reader.GetString(7),
        Hash = reader.GetString(8),
    };

    private static Agent ReadAgent(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Principal = new Principal(Enum.Parse<PrincipalType>(reader.GetString(1), ignoreCase: true), reader.GetString(2)),
        TrustScore = reader.GetDouble(3),
        Status = Enum.Parse<AgentStatus>(reader.GetString(4), ignoreCase: true),
        RevokedScopes = JsonSerializer.Deserialize(reader.GetString(5), SqliteJsonContext.Default.IReadOnlyListString) ?? [],
        RegisteredAt = LedgerChain.ParseTime(reader.GetString(6)),
        UpdatedAt = LedgerChain.ParseTime(reader.GetString(7)),
    };

    private static Grant ReadGrant(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        AgentId = reader.GetString(1),
        Scopes = reader.GetString(2).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        IssuedAt = LedgerChain.ParseTime(reader.GetString(3)),
        ExpiresAt = LedgerChain.ParseTime(reader.GetString(4)),
        RevokedAt = reader.IsDBNull(5) ? null : LedgerChain.ParseTime(reader.GetString(5)),
        RevocationReason = reader.IsDBNull(6) ? null : reader.GetString(6),
    };

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, null, sql);
        command.ExecuteNonQuery();
    }
}
