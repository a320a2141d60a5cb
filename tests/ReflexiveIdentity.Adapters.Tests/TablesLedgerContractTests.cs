using Azure;
using Azure.Data.Tables;
using ReflexiveIdentity.Adapters.Ledger;

namespace ReflexiveIdentity.Adapters.Tests;

/// <summary>The ledger contract on Azure Table storage (Azurite); each test has its own tables.</summary>
[Collection(UsesAzurite.Name)]
public sealed class TablesLedgerContractTests(AzuriteFixture azurite) : LedgerContractTests<TablesLedger>
{
    private readonly string prefix = AzuriteFixture.NewPrefix();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await azurite.DeleteTablesAsync(prefix);
    }

    protected override TablesLedger Open() => azurite.Open(prefix);

    protected override TablesLedger OpenAnotherInstance() => azurite.Open(prefix);

    protected override async Task TamperPayloadAsync(string chainId, long seq, string payload)
    {
        var entries = azurite.Table(prefix, "entries");
        var entity = (await entries.GetEntityAsync<TableEntity>(chainId, seq.ToString("D19", System.Globalization.CultureInfo.InvariantCulture))).Value;
        entity["Payload"] = payload;
        await entries.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Replace);
    }

    protected override async Task DeleteEntryAsync(string chainId, long seq) =>
        await azurite.Table(prefix, "entries").DeleteEntityAsync(chainId, seq.ToString("D19", System.Globalization.CultureInfo.InvariantCulture));
}
