using Microsoft.Data.Sqlite;

namespace ReflexiveIdentity.Cli.Tests;

public sealed class LedgerVerifyCommandTests : IAsyncLifetime
{
    private ServiceHost host = null!;

    public async Task InitializeAsync() => host = await ServiceHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task LedgerVerify_IntactLedger_ExitsZero()
    {
        await host.PostSignedAsync(ElevationWebhookTests.Body());

        var (exitCode, output, _) = await CliProcess.RunAsync(Environment(), "ledger", "verify");

        Assert.Equal(0, exitCode);
        Assert.Contains("agent_omega: 2 entries", output, StringComparison.Ordinal);
        Assert.Contains("All 1 chain(s) intact.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LedgerVerify_RowEditedByHand_ExitsOneNamingTheEntry()
    {
        await host.PostSignedAsync(ElevationWebhookTests.Body());
        await host.PostSignedAsync(ElevationWebhookTests.Body(confidence: 0.3));
        using (var connection = new SqliteConnection($"Data Source={host.LedgerPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                DROP TRIGGER ledger_entries_no_update;
                UPDATE ledger_entries SET payload = replace(payload, '"decision":"deny"', '"decision":"allow"') WHERE chain_id = 'agent_omega' AND seq = 3;
                """;
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var (exitCode, output, _) = await CliProcess.RunAsync(Environment(), "ledger", "verify", "--agent", "agent_omega");

        Assert.Equal(1, exitCode);
        Assert.Contains("first broken entry agent_omega/3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LedgerVerify_SettingsFile_IsRead()
    {
        await host.PostSignedAsync(ElevationWebhookTests.Body());
        var settings = Path.Combine(Path.GetDirectoryName(host.LedgerPath)!, "local.settings.json");
        await File.WriteAllTextAsync(settings, $$$"""{"IsEncrypted": false, "Values": {"Ledger__SqlitePath": "{{{host.LedgerPath}}}"} }""");

        var (exitCode, output, _) = await CliProcess.RunAsync(new Dictionary<string, string>(), "ledger", "verify", "--json", "--settings", settings);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("{\"intact\":true", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithoutSigningSecrets_ExitsTwoNamingTheSetting()
    {
        var (exitCode, _, error) = await CliProcess.RunAsync(new Dictionary<string, string> { ["Webhook__SigningSecrets"] = string.Empty }, "serve", "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, exitCode);
        Assert.Contains("Webhook__SigningSecrets is required", error, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Environment() => new() { ["Ledger__SqlitePath"] = host.LedgerPath };
}
