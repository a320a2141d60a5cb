using ReflexiveIdentity.Adapters.Ledger;

namespace ReflexiveIdentity.Adapters.Tests;

public sealed class TablesConnectionTests
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public void Parse_DevelopmentStorage_PointsAtAzurite()
    {
        var connection = TablesConnection.Parse("UseDevelopmentStorage=true");

        Assert.False(connection.UsesIdentity);
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1 (account devstoreaccount1)", connection.Description);
    }

    [Fact]
    public void Parse_AccountKeyConnectionString_NeverPrintsTheKey()
    {
        var connection = TablesConnection.Parse($"DefaultEndpointsProtocol=https;AccountName=reflexivest;AccountKey={AccountKey};EndpointSuffix=core.windows.net");

        Assert.Equal("https://reflexivest.table.core.windows.net/ (account reflexivest)", connection.ToString());
        Assert.DoesNotContain(AccountKey[..12], $"{connection}", StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TableServiceUri_UsesTheManagedIdentityGiven()
    {
        var connection = TablesConnection.Parse("https://reflexivest.table.core.windows.net", "11111111-2222-3333-4444-555555555555");

        Assert.True(connection.UsesIdentity);
        Assert.Equal("11111111-2222-3333-4444-555555555555", connection.ManagedIdentityClientId);
        Assert.Equal("https://reflexivest.table.core.windows.net/ (Entra ID)", connection.Description);
        Assert.Equal("https://reflexivest.table.core.windows.net/", connection.CreateClient().Uri.ToString());
    }

    [Fact]
    public void Parse_UnresolvedKeyVaultReference_SaysSo()
    {
        var error = Assert.Throws<FormatException>(() => TablesConnection.Parse("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/storage/)"));

        Assert.Contains("unresolved Key Vault reference", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reflexivest")]
    [InlineData("AccountKey=c2VjcmV0")]
    [InlineData("Foo=c2VjcmV0")]
    [InlineData("ftp://reflexivest.table.core.windows.net")]
    [InlineData("   ")]
    public void Parse_Unusable_FailsWithoutRepeatingTheValue(string value)
    {
        var error = Assert.Throws<FormatException>(() => TablesConnection.Parse(value));

        Assert.DoesNotContain("c2VjcmV0", error.Message, StringComparison.Ordinal);
        Assert.Contains("table service URI", error.Message, StringComparison.Ordinal);
    }
}
