using Microsoft.Data.Sqlite;
using ReflexiveIdentity.Adapters.Ledger;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Adapters.Tests;

/// <summary>What only the SQLite ledger does: its schema guards and versioning. The shared behaviour is in <see cref="SqliteLedgerContractTests"/>.</summary>
public sealed class SqliteLedgerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);
    private readonly TempLedgerFile file = new();
    private readonly SqliteLedger ledger;

    public SqliteLedgerTests() => ledger = SqliteLedger.Open(file.Path);

    public void Dispose()
    {
        ledger.Dispose();
        file.Dispose();
    }

    [Fact]
    public async Task Entries_AreAppendOnly_UpdateIsRefusedByTheSchema()
    {
        await ledger.AppendAsync(
            new LedgerAppend { ChainId = "agent_omega", Kind = LedgerEntryKind.ElevationDecided, OccurredAt = Now, RecordedAt = Now, Payload = """{"decision":"deny"}""" },
            CancellationToken.None);
        using var connection = new SqliteConnection($"Data Source={file.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE ledger_entries SET payload = '{}';";

        var error = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());

        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAgentAsync_IntegrityStateFromBeforeRescoreAt_ReadsItAsNull()
    {
        var agent = Agent.Register("agent_omega", new Principal(PrincipalType.User, "auth0|agent_omega"), Now) with { TrustScore = 80.05, AssessedHeadSeq = 2 };
        await ledger.AppendAsync(
            new LedgerAppend { ChainId = "agent_omega", Kind = LedgerEntryKind.ElevationDecided, OccurredAt = Now, RecordedAt = Now, Payload = """{"decision":"deny"}""", Agent = agent },
            CancellationToken.None);
        file.Tamper("""UPDATE agents SET integrity = '{"assessed_head_seq":2,"breakdown":[],"published":null}';""");

        var stored = await ledger.GetAgentAsync("agent_omega", CancellationToken.None);

        Assert.Equal((80.05, 2L, null), (stored!.TrustScore, stored.AssessedHeadSeq, stored.RescoreAt));
    }

    [Fact]
    public void Open_FileFromANewerVersion_IsRefusedWithAClearMessage()
    {
        file.Tamper("PRAGMA user_version = 99;");

        var error = Assert.Throws<InvalidOperationException>(() => SqliteLedger.Open(file.Path));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }
}
