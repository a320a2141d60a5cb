using System.Diagnostics;
using System.Net.Sockets;
using Azure.Data.Tables;
using ReflexiveIdentity.Adapters.Ledger;

namespace ReflexiveIdentity.Adapters.Tests;

/// <summary>
/// Azurite on 127.0.0.1 for the Tables tests: used when it already answers, else started with
/// <c>scripts/azurite.sh</c> (which installs it on first use) and stopped again afterwards. When it cannot
/// be started every test of the collection fails with the reason; none is skipped.
/// </summary>
public sealed class AzuriteFixture : IDisposable
{
    /// <summary>Azurite's well-known development account key (public, the same in every Azurite).</summary>
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string? startedWith;

    public AzuriteFixture()
    {
        TablePort = int.TryParse(Environment.GetEnvironmentVariable("AZURITE_TABLE_PORT"), out var port) ? port : 10002;
        if (!Answers(TablePort))
        {
            var script = FindScript();
            var (exitCode, output) = Run(script, "start", TimeSpan.FromMinutes(5));
            if (exitCode != 0 || !Answers(TablePort))
            {
                throw new InvalidOperationException(
                    $"Azurite is not running on 127.0.0.1:{TablePort} and could not be started: `bash {script} start` exited with {exitCode}. "
                    + $"Run `bash scripts/azurite.sh` (it needs Node.js and npm) and run the tests again.{Environment.NewLine}{output}");
            }

            startedWith = script;
        }

        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";
    }

    public int TablePort { get; }

    public string ConnectionString { get; }

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

    public void Dispose()
    {
        if (startedWith is not null)
        {
            Run(startedWith, "stop", TimeSpan.FromSeconds(30));
        }
    }

    private static bool Answers(int port)
    {
        using var client = new TcpClient();
        try
        {
            return client.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "scripts", "azurite.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new InvalidOperationException(
            $"Azurite is not running and scripts/azurite.sh was not found above {AppContext.BaseDirectory}. Run `bash scripts/azurite.sh` from the repository and run the tests again.");
    }

    private static (int ExitCode, string Output) Run(string script, string command, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout.TotalSeconds:0} s");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

[CollectionDefinition(Name)]
public sealed class UsesAzurite : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
