using ReflexiveIdentity.Adapters.Ledger;

namespace ReflexiveIdentity.Adapters.Tests;

/// <summary>The ledger contract on a SQLite file.</summary>
public sealed class SqliteLedgerContractTests : LedgerContractTests<SqliteLedger>, IDisposable
{
    private readonly TempLedgerFile file = new();

    /// <summary>Runs after <see cref="LedgerContractTests{TLedger}.DisposeAsync"/> has closed the ledger.</summary>
    public void Dispose() => file.Dispose();

    protected override SqliteLedger Open() => SqliteLedger.Open(file.Path);

    protected override SqliteLedger OpenAnotherInstance() => SqliteLedger.Open(file.Path);

    protected override Task TamperPayloadAsync(string chainId, long seq, string payload)
    {
        file.Tamper($"UPDATE ledger_entries SET payload = '{payload.Replace("'", "''", StringComparison.Ordinal)}' WHERE chain_id = '{chainId}' AND seq = {seq};");
        return Task.CompletedTask;
    }

    protected override Task DeleteEntryAsync(string chainId, long seq)
    {
        file.Tamper($"DELETE FROM ledger_entries WHERE chain_id = '{chainId}' AND seq = {seq};");
        return Task.CompletedTask;
    }
}
