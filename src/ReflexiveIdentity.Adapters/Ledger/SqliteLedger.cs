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
    private readonly SqliteWriter writer;

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
        using (var setup = new SqliteConnection(connectionString))
        {
            setup.Open();
            Execute(setup, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA journal_mode=WAL;");
            SqliteSchema.Migrate(setup);
        }

        writer = new SqliteWriter(connectionString, BusyTimeoutMilliseconds);
    }

    /// <summary>The full path of the ledger file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating and migrating when needed) the ledger at <paramref name="path"/>.</summary>
    public static SqliteLedger Open(string path) => new(path);

    /// <inheritdoc />
    /// <remarks>
    /// Appends go through one writer thread that commits whatever is queued in one transaction (group
    /// commit), so concurrent requests share a commit instead of queueing for one each. Cancelling stops
    /// the wait; an append already queued still lands, which is what a ledger should do.
    /// </remarks>
    public Task<LedgerAppendResult> AppendAsync(LedgerAppend append, CancellationToken cancellationToken) =>
        AppendTracing.TraceAsync("sqlite", append, writer.AppendAsync, cancellationToken);

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
    public async Task<AgentActivity> GetAgentActivityAsync(string agentId, LedgerEntryKind kind, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(
            connection,
            null,
            $"""
            SELECT {AgentColumns} FROM agents WHERE agent_id = $agent;
            SELECT COUNT(*) FROM ledger_entries WHERE chain_id = $agent AND kind = $kind AND recorded_at >= $since;
            SELECT COUNT(*) FROM grants WHERE agent_id = $agent AND revoked_at IS NULL AND expires_at > $now;
            """);
        command.Parameters.AddWithValue("$agent", agentId);
        command.Parameters.AddWithValue("$kind", kind.ToWire());
        command.Parameters.AddWithValue("$since", LedgerChain.FormatTime(since));
        command.Parameters.AddWithValue("$now", LedgerChain.FormatTime(now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var agent = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAgent(reader) : null;
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var recent = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new AgentActivity(agent, recent, reader.GetInt32(0));
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
    public async Task<IReadOnlyList<LedgerEntry>> ReadRecentAsync(string chainId, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, $"SELECT {EntryColumns} FROM ledger_entries WHERE chain_id = $chain ORDER BY seq DESC LIMIT $count;");
        command.Parameters.AddWithValue("$chain", chainId);
        command.Parameters.AddWithValue("$count", count);
        var entries = new List<LedgerEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(ReadEntry(reader));
        }

        entries.Reverse();
        return entries;
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
    public void Dispose() => writer.Dispose();

    internal const string EntryColumns = "chain_id, seq, kind, occurred_at, recorded_at, request_id, payload, prev_hash, hash";
    internal const string AgentColumns = "agent_id, principal_type, principal_id, trust_score, status, revoked_scopes, registered_at, updated_at, integrity";
    internal const string GrantColumns = "grant_id, agent_id, scopes, issued_at, expires_at, revoked_at, revocation_reason";

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
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

    internal static LedgerEntry ReadEntry(SqliteDataReader reader) => new()
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

    private static Agent ReadAgent(SqliteDataReader reader)
    {
        var agent = ReadAgentColumns(reader);
        return reader.IsDBNull(8) ? agent : (JsonSerializer.Deserialize(reader.GetString(8), StorageJsonContext.Default.AgentIntegrityState)?.ApplyTo(agent) ?? agent);
    }

    /// <summary>The integrity state column's value for <paramref name="agent"/>.</summary>
    internal static string IntegrityColumn(Agent agent) => JsonSerializer.Serialize(AgentIntegrityState.Of(agent), StorageJsonContext.Default.AgentIntegrityState);

    private static Agent ReadAgentColumns(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Principal = new Principal(Enum.Parse<PrincipalType>(reader.GetString(1), ignoreCase: true), reader.GetString(2)),
        TrustScore = reader.GetDouble(3),
        Status = Enum.Parse<AgentStatus>(reader.GetString(4), ignoreCase: true),
        RevokedScopes = JsonSerializer.Deserialize(reader.GetString(5), StorageJsonContext.Default.IReadOnlyListString) ?? [],
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
