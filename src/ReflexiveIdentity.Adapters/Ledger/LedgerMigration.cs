using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>
/// Verbatim access to a ledger store, for moving a ledger between stores: entries are written exactly as
/// they were recorded (seq, timestamps, request id, prev_hash, hash), never re-chained.
/// </summary>
public interface ILedgerTransfer
{
    /// <summary>The chain's last entry, or null when the chain is empty.</summary>
    Task<LedgerEntry?> ReadHeadAsync(string chainId, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="entries"/> (one chain, contiguous seqs) as they are. Entries the chain already
    /// holds with the same hash are skipped; an entry that would fork the chain, leave a gap or not link to
    /// the head is refused with <see cref="InvalidOperationException"/>. Returns how many were written.
    /// </summary>
    Task<int> ImportAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken);

    /// <summary>Writes the agent as it is; false when an identical record is already there.</summary>
    Task<bool> ImportAgentAsync(Agent agent, CancellationToken cancellationToken);

    /// <summary>Writes the grant as it is; false when an identical record is already there.</summary>
    Task<bool> ImportGrantAsync(Grant grant, CancellationToken cancellationToken);

    /// <summary>Every grant, active or not.</summary>
    IAsyncEnumerable<Grant> ReadGrantsAsync(CancellationToken cancellationToken);
}

/// <summary>How far a migration has got.</summary>
/// <param name="ChainId">The chain being copied, or null once the entries are done.</param>
/// <param name="ChainsDone">Chains copied so far.</param>
/// <param name="ChainsTotal">Chains in the source.</param>
/// <param name="EntriesCopied">Entries written to the target so far.</param>
/// <param name="EntriesSkipped">Entries the target already held.</param>
public sealed record LedgerMigrationProgress(string? ChainId, int ChainsDone, int ChainsTotal, long EntriesCopied, long EntriesSkipped);

/// <summary>What a migration copied, and the verification of every chain on the target afterwards.</summary>
public sealed record LedgerMigrationResult
{
    /// <summary>Chains in the source.</summary>
    public required int Chains { get; init; }

    /// <summary>Entries written to the target.</summary>
    public required long EntriesCopied { get; init; }

    /// <summary>Entries the target already held (a resumed migration).</summary>
    public required long EntriesSkipped { get; init; }

    /// <summary>Agents written.</summary>
    public required int AgentsCopied { get; init; }

    /// <summary>Agents the target already held unchanged.</summary>
    public required int AgentsUnchanged { get; init; }

    /// <summary>Grants written.</summary>
    public required int GrantsCopied { get; init; }

    /// <summary>Grants the target already held unchanged.</summary>
    public required int GrantsUnchanged { get; init; }

    /// <summary>Every chain of the target, verified after the copy.</summary>
    public required IReadOnlyList<ChainVerification> Verification { get; init; }

    /// <summary>True when every chain of the target verified.</summary>
    public bool IsIntact => Verification.All(chain => chain.IsIntact);
}

/// <summary>
/// Copies a ledger from one store to another (SQLite to Tables and back): every chain entry by entry,
/// verbatim, then agents and grants, then verifies every chain on the target. Resumable: what the target
/// already holds is skipped, after checking that it is the same chain (equal hash at the target's head).
/// Run it with the service stopped, or at least not writing to the target.
/// </summary>
public static class LedgerMigration
{
    private const int BatchSize = 500;

    /// <summary>Migrates <paramref name="source"/> into <paramref name="target"/>.</summary>
    public static async Task<LedgerMigrationResult> MigrateAsync(ILedger source, ILedger target, IProgress<LedgerMigrationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var from = Transfer(source);
        var into = Transfer(target);

        var chains = await source.ListChainsAsync(cancellationToken).ConfigureAwait(false);
        long copied = 0, skipped = 0;
        for (var i = 0; i < chains.Count; i++)
        {
            var chainId = chains[i];
            progress?.Report(new LedgerMigrationProgress(chainId, i, chains.Count, copied, skipped));
            var head = await into.ReadHeadAsync(chainId, cancellationToken).ConfigureAwait(false);
            var batch = new List<LedgerEntry>(BatchSize);
            var lastSeq = 0L;
            await foreach (var entry in source.ReadChainAsync(chainId, cancellationToken).ConfigureAwait(false))
            {
                lastSeq = entry.Seq;
                if (head is not null && entry.Seq <= head.Seq)
                {
                    // Equal hashes at the target's head mean equal chains up to it: the hash covers prev_hash.
                    if (entry.Seq == head.Seq && !string.Equals(entry.Hash, head.Hash, StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"The target's chain '{chainId}' differs from the source at {head.Id}; refusing to fork it. Migrate into an empty ledger.");
                    }

                    skipped++;
                    continue;
                }

                batch.Add(entry);
                if (batch.Count == BatchSize)
                {
                    copied += await into.ImportAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                    progress?.Report(new LedgerMigrationProgress(chainId, i, chains.Count, copied, skipped));
                }
            }

            copied += await into.ImportAsync(batch, cancellationToken).ConfigureAwait(false);
            if (head is not null && head.Seq > lastSeq)
            {
                throw new InvalidOperationException($"The target's chain '{chainId}' has {head.Seq} entries, the source only {lastSeq}; refusing to treat it as the same chain.");
            }
        }

        progress?.Report(new LedgerMigrationProgress(null, chains.Count, chains.Count, copied, skipped));

        int agentsCopied = 0, agentsUnchanged = 0;
        foreach (var agent in await source.ListAgentsAsync(cancellationToken).ConfigureAwait(false))
        {
            _ = await into.ImportAgentAsync(agent, cancellationToken).ConfigureAwait(false) ? agentsCopied++ : agentsUnchanged++;
        }

        int grantsCopied = 0, grantsUnchanged = 0;
        await foreach (var grant in from.ReadGrantsAsync(cancellationToken).ConfigureAwait(false))
        {
            _ = await into.ImportGrantAsync(grant, cancellationToken).ConfigureAwait(false) ? grantsCopied++ : grantsUnchanged++;
        }

        return new LedgerMigrationResult
        {
            Chains = chains.Count,
            EntriesCopied = copied,
            EntriesSkipped = skipped,
            AgentsCopied = agentsCopied,
            AgentsUnchanged = agentsUnchanged,
            GrantsCopied = grantsCopied,
            GrantsUnchanged = grantsUnchanged,
            Verification = await new LedgerVerifier(target).VerifyAsync(null, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// The verbatim access to <paramref name="ledger"/>. A <see cref="SqliteLedger"/> gets it through a
    /// second connection to its file, which takes the same write lock (<c>BEGIN IMMEDIATE</c>) as its writer.
    /// </summary>
    public static ILedgerTransfer Transfer(ILedger ledger) => ledger switch
    {
        ILedgerTransfer transfer => transfer,
        SqliteLedger sqlite => new SqliteTransfer(sqlite.Path),
        null => throw new ArgumentNullException(nameof(ledger)),
        _ => throw new NotSupportedException($"{ledger.GetType().Name} offers no verbatim import or export, so it cannot be migrated."),
    };

    /// <summary>Throws unless <paramref name="entries"/> are one chain with contiguous seqs.</summary>
    internal static void CheckContiguous(IReadOnlyList<LedgerEntry> entries)
    {
        for (var i = 1; i < entries.Count; i++)
        {
            if (!string.Equals(entries[i].ChainId, entries[0].ChainId, StringComparison.Ordinal) || entries[i].Seq != entries[i - 1].Seq + 1)
            {
                throw new ArgumentException("An import batch must hold one chain's entries with contiguous seqs.", nameof(entries));
            }
        }
    }

    /// <summary>
    /// The entries of <paramref name="entries"/> that a chain whose head is <paramref name="head"/> does not
    /// hold yet. Throws when the batch and the chain disagree (a fork, a gap, a broken link).
    /// </summary>
    internal static async Task<IReadOnlyList<LedgerEntry>> PendingAsync(
        LedgerEntry? head,
        IReadOnlyList<LedgerEntry> entries,
        Func<long, CancellationToken, Task<LedgerEntry?>> readAt,
        CancellationToken cancellationToken)
    {
        var headSeq = head?.Seq ?? 0;
        var present = entries.LastOrDefault(entry => entry.Seq <= headSeq);
        if (present is not null)
        {
            // One hash compare covers every earlier entry of the batch: each hash covers the prev_hash before it.
            var stored = present.Seq == headSeq ? head : await readAt(present.Seq, cancellationToken).ConfigureAwait(false);
            if (stored is null || !string.Equals(stored.Hash, present.Hash, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Entry {present.Id} differs from the one already stored at that seq; refusing to fork the chain.");
            }
        }

        var pending = entries.Where(entry => entry.Seq > headSeq).ToList();
        if (pending.Count == 0)
        {
            return pending;
        }

        if (pending[0].Seq != headSeq + 1)
        {
            throw new InvalidOperationException($"Entry {pending[0].Id} would leave a gap: the chain's last entry is seq {headSeq}.");
        }

        if (!string.Equals(pending[0].PrevHash, head?.Hash ?? LedgerChain.GenesisHash, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Entry {pending[0].Id} does not link to the chain's last entry (prev_hash differs); refusing to fork the chain.");
        }

        return pending;
    }

    /// <summary>Verbatim access to a SQLite ledger file, beside the <see cref="SqliteLedger"/> that owns it.</summary>
    private sealed class SqliteTransfer(string path) : ILedgerTransfer
    {
        // The column order SqliteLedger.ReadEntry reads.
        private const string EntryColumns = SqliteLedger.EntryColumns;

        private readonly string connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = 10,
        }.ToString();

        public async Task<LedgerEntry?> ReadHeadAsync(string chainId, CancellationToken cancellationToken)
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await ReadEntryAsync(connection, null, chainId, null, cancellationToken).ConfigureAwait(false);
        }

        public async Task<int> ImportAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(entries);
            if (entries.Count == 0)
            {
                return 0;
            }

            CheckContiguous(entries);
            var chainId = entries[0].ChainId;
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = connection.BeginTransaction(deferred: false);
            var head = await ReadEntryAsync(connection, transaction, chainId, null, cancellationToken).ConfigureAwait(false);
            var pending = await PendingAsync(head, entries, (seq, ct) => ReadEntryAsync(connection, transaction, chainId, seq, ct), cancellationToken).ConfigureAwait(false);
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO ledger_entries ({EntryColumns}) VALUES ($chain, $seq, $kind, $occurred, $recorded, $request, $payload, $prev, $hash);";
            foreach (var entry in pending)
            {
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$chain", entry.ChainId);
                insert.Parameters.AddWithValue("$seq", entry.Seq);
                insert.Parameters.AddWithValue("$kind", entry.Kind);
                insert.Parameters.AddWithValue("$occurred", LedgerChain.FormatTime(entry.OccurredAt));
                insert.Parameters.AddWithValue("$recorded", LedgerChain.FormatTime(entry.RecordedAt));
                insert.Parameters.AddWithValue("$request", (object?)entry.RequestId ?? DBNull.Value);
                insert.Parameters.AddWithValue("$payload", entry.Payload);
                insert.Parameters.AddWithValue("$prev", entry.PrevHash);
                insert.Parameters.AddWithValue("$hash", entry.Hash);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return pending.Count;
        }

        public async Task<bool> ImportAgentAsync(Agent agent, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(agent);
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO agents (agent_id, principal_type, principal_id, trust_score, status, revoked_scopes, registered_at, updated_at, integrity)
                VALUES ($agent, $ptype, $pid, $trust, $status, $revoked, $registered, $updated, $integrity)
                ON CONFLICT (agent_id) DO UPDATE SET principal_type = excluded.principal_type, principal_id = excluded.principal_id,
                    trust_score = excluded.trust_score, status = excluded.status, revoked_scopes = excluded.revoked_scopes,
                    registered_at = excluded.registered_at, updated_at = excluded.updated_at, integrity = excluded.integrity
                WHERE (principal_type, principal_id, trust_score, status, revoked_scopes, registered_at, updated_at, integrity)
                    IS NOT (excluded.principal_type, excluded.principal_id, excluded.trust_score, excluded.status, excluded.revoked_scopes, excluded.registered_at, excluded.updated_at, excluded.integrity);
                """;
            command.Parameters.AddWithValue("$agent", agent.Id);
            command.Parameters.AddWithValue("$ptype", agent.Principal.Type.ToString().ToLowerInvariant());
            command.Parameters.AddWithValue("$pid", agent.Principal.Id);
            command.Parameters.AddWithValue("$trust", agent.TrustScore);
            command.Parameters.AddWithValue("$status", agent.Status.ToString().ToLowerInvariant());
            command.Parameters.AddWithValue("$revoked", JsonSerializer.Serialize(agent.RevokedScopes, StorageJsonContext.Default.IReadOnlyListString));
            command.Parameters.AddWithValue("$registered", LedgerChain.FormatTime(agent.RegisteredAt));
            command.Parameters.AddWithValue("$updated", LedgerChain.FormatTime(agent.UpdatedAt));
            command.Parameters.AddWithValue("$integrity", SqliteLedger.IntegrityColumn(agent));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }

        public async Task<bool> ImportGrantAsync(Grant grant, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(grant);
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO grants (grant_id, agent_id, scopes, issued_at, expires_at, revoked_at, revocation_reason)
                VALUES ($grant, $agent, $scopes, $issued, $expires, $revoked, $reason)
                ON CONFLICT (grant_id) DO UPDATE SET agent_id = excluded.agent_id, scopes = excluded.scopes, issued_at = excluded.issued_at,
                    expires_at = excluded.expires_at, revoked_at = excluded.revoked_at, revocation_reason = excluded.revocation_reason
                WHERE (agent_id, scopes, issued_at, expires_at, revoked_at, revocation_reason)
                    IS NOT (excluded.agent_id, excluded.scopes, excluded.issued_at, excluded.expires_at, excluded.revoked_at, excluded.revocation_reason);
                """;
            command.Parameters.AddWithValue("$grant", grant.Id);
            command.Parameters.AddWithValue("$agent", grant.AgentId);
            command.Parameters.AddWithValue("$scopes", string.Join(' ', grant.Scopes));
            command.Parameters.AddWithValue("$issued", LedgerChain.FormatTime(grant.IssuedAt));
            command.Parameters.AddWithValue("$expires", LedgerChain.FormatTime(grant.ExpiresAt));
            command.Parameters.AddWithValue("$revoked", grant.RevokedAt is { } revokedAt ? LedgerChain.FormatTime(revokedAt) : DBNull.Value);
            command.Parameters.AddWithValue("$reason", (object?)grant.RevocationReason ?? DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }

        public async IAsyncEnumerable<Grant> ReadGrantsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT grant_id, agent_id, scopes, issued_at, expires_at, revoked_at, revocation_reason FROM grants ORDER BY grant_id;";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return new Grant
                {
                    Id = reader.GetString(0),
                    AgentId = reader.GetString(1),
                    Scopes = reader.GetString(2).Split(' ', StringSplitOptions.RemoveEmptyEntries),
                    IssuedAt = LedgerChain.ParseTime(reader.GetString(3)),
                    ExpiresAt = LedgerChain.ParseTime(reader.GetString(4)),
                    RevokedAt = reader.IsDBNull(5) ? null : LedgerChain.ParseTime(reader.GetString(5)),
                    RevocationReason = reader.IsDBNull(6) ? null : reader.GetString(6),
                };
            }
        }

        private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout=10000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }

        /// <summary>The entry at <paramref name="seq"/>, or the chain's last entry when it is null.</summary>
        private static async Task<LedgerEntry?> ReadEntryAsync(SqliteConnection connection, SqliteTransaction? transaction, string chainId, long? seq, CancellationToken cancellationToken)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = seq is null
                ? $"SELECT {EntryColumns} FROM ledger_entries WHERE chain_id = $chain ORDER BY seq DESC LIMIT 1;"
                : $"SELECT {EntryColumns} FROM ledger_entries WHERE chain_id = $chain AND seq = $seq;";
            command.Parameters.AddWithValue("$chain", chainId);
            if (seq is not null)
            {
                command.Parameters.AddWithValue("$seq", seq.Value);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? SqliteLedger.ReadEntry(reader) : null;
        }
    }
}
