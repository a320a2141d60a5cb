using Microsoft.Data.Sqlite;

namespace ReflexiveIdentity.Adapters.Tests;

/// <summary>A fresh ledger file in a temp folder, deleted afterwards.</summary>
internal sealed class TempLedgerFile : IDisposable
{
    private readonly string directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "reflexive-tests", Guid.NewGuid().ToString("N"));

    public TempLedgerFile() => Directory.CreateDirectory(directory);

    public string Path => System.IO.Path.Combine(directory, "ledger.db");

    /// <summary>Edits the file behind the ledger's back, as an attacker with file access would.</summary>
    public void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER IF EXISTS ledger_entries_no_update; DROP TRIGGER IF EXISTS ledger_entries_no_delete; " + sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves garbage in the temp folder.
        }
    }
}
