using Azure.Data.Tables;
using ReflexiveIdentity.Adapters.Ledger;
using ReflexiveIdentity.Testing;

namespace ReflexiveIdentity.Adapters.Tests;

/// <summary>
/// Azurite for the Tables tests (see <see cref="Azurite"/>): the one on the configured ports (10000-10002 by default)
/// when it answers, else one started on free ports and stopped again afterwards. When it cannot be started every test
/// of the collection fails with the reason; none is skipped.
/// </summary>
public sealed class AzuriteFixture : IDisposable
{
    private readonly Azurite azurite = new();

    public string ConnectionString => azurite.ConnectionString;

    /// <summary>A table-name prefix no other test uses, so tests never see each other's data.</summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A new ledger instance, with its own client, over the tables of <paramref name="prefix"/>.</summary>
    public TablesLedger Open(string prefix) => TablesLedger.Open(TablesConnection.Parse(ConnectionString), prefix);

    /// <summary>A client for editing tables behind a ledger's back.</summary>
    public TableClient Table(string prefix, string name) => new TableServiceClient(ConnectionString).GetTableClient(prefix + name);

    /// <summary>Deletes the tables of <paramref name="prefix"/>.</summary>
    public async Task DeleteTablesAsync(string prefix)
    {
        var service = new TableServiceClient(ConnectionString);
        await foreach (var table in service.QueryAsync(TableServiceClient.CreateQueryFilter($"TableName ge {prefix} and TableName lt {prefix + "{"}")))
        {
            await service.DeleteTableAsync(table.Name);
        }
    }

    public void Dispose() => azurite.Dispose();
}

[CollectionDefinition(Name)]
public sealed class UsesAzurite : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
