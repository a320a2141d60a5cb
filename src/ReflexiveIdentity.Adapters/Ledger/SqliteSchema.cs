using Microsoft.Data.Sqlite;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>
/// The ledger schema, versioned with <c>PRAGMA user_version</c>. Each migration runs once, in order,
/// inside a transaction; a file written by a newer version is refused rather than misread.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE ledger_entries (
            chain_id    TEXT    NOT NULL,
            seq         INTEGER NOT NULL,
            kind        TEXT    NOT NULL,
            occurred_at TEXT    NOT NULL,
            recorded_at TEXT    NOT NULL,
            request_id  TEXT    NULL,
            payload     TEXT    NOT NULL,
            prev_hash   TEXT    NOT NULL,
            hash        TEXT    NOT NULL,
            PRIMARY KEY (chain_id, seq)
        ) WITHOUT ROWID;
        CREATE INDEX ix_ledger_entries_request ON ledger_entries (request_id, recorded_at) WHERE request_id IS NOT NULL;
        CREATE INDEX ix_ledger_entries_kind ON ledger_entries (chain_id, kind, recorded_at);
        CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
            BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
        CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
            BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

        CREATE TABLE agents (
            agent_id       TEXT PRIMARY KEY,
            principal_type TEXT NOT NULL,
            principal_id   TEXT NOT NULL,
            trust_score    REAL NOT NULL,
            status         TEXT NOT NULL,
            revoked_scopes TEXT NOT NULL,
            registered_at  TEXT NOT NULL,
            updated_at     TEXT NOT NULL
        );

        CREATE TABLE grants (
            grant_id          TEXT PRIMARY KEY,
            agent_id          TEXT NOT NULL,
            scopes            TEXT NOT NULL,
            issued_at         TEXT NOT NULL,
            expires_at        TEXT NOT NULL,
            revoked_at        TEXT NULL,
            revocation_reason TEXT NULL
        );
        CREATE INDEX ix_grants_agent ON grants (agent_id, expires_at);
        """,
        """
        ALTER TABLE agents ADD COLUMN integrity TEXT NULL;
        """,
    ];

    public static void Migrate(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = UserVersion(connection, transaction);
        if (version > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The ledger file {connection.DataSource} has schema version {version}, newer than this build knows ({Migrations.Length}). Upgrade reflexive before opening it.");
        }

        for (var next = version; next < Migrations.Length; next++)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"{Migrations[next]}\nPRAGMA user_version = {next + 1};";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static long UserVersion(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }
}
