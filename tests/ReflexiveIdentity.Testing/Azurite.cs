using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ReflexiveIdentity.Testing;

/// <summary>
/// Azurite (blob, queue, table) on 127.0.0.1 for the tests and the benchmarks. The constructor uses the Azurite that
/// answers on <c>AZURITE_BLOB_PORT</c>, <c>AZURITE_QUEUE_PORT</c> and <c>AZURITE_TABLE_PORT</c> (10000, 10001, 10002
/// by default: where <c>bash scripts/azurite.sh</c> and CI start it). When one of them does not answer it starts one
/// with <c>scripts/azurite.sh</c> (which installs Azurite on first use) on three free ports of its own, so that it
/// neither clashes with nor is stopped by anyone else's (the script keys its pid file by the table port), and
/// <see cref="Dispose"/> stops that one only.
/// </summary>
public sealed class Azurite : IDisposable
{
    /// <summary>Azurite's well-known development account key (public, the same in every Azurite).</summary>
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string Host = "127.0.0.1";

    private readonly string? startedWith;

    /// <summary>
    /// The Azurite on the configured ports when all three answer, else one started here on free ports. Throws
    /// <see cref="InvalidOperationException"/> with the script's output when it cannot be started, so that tests
    /// using it fail with the reason rather than skip.
    /// </summary>
    public Azurite()
    {
        var blob = ConfiguredPort("AZURITE_BLOB_PORT", 10000);
        var queue = ConfiguredPort("AZURITE_QUEUE_PORT", 10001);
        var table = ConfiguredPort("AZURITE_TABLE_PORT", 10002);
        if (Answers(blob) && Answers(queue) && Answers(table))
        {
            (BlobPort, QueuePort, TablePort) = (blob, queue, table);
            return;
        }

        (BlobPort, QueuePort, TablePort) = (FreePort(), FreePort(), FreePort());
        startedWith = Path.Combine(RepositoryPaths.Root, "scripts", "azurite.sh");
        var (exitCode, output) = Run(startedWith, "start", TimeSpan.FromMinutes(5));
        if (exitCode != 0 || !Answers(BlobPort) || !Answers(QueuePort) || !Answers(TablePort))
        {
            Dispose();
            throw new InvalidOperationException(
                $"Azurite is not running on {Host}:{blob}/{queue}/{table} (blob/queue/table) and could not be started on {Host}:{BlobPort}/{QueuePort}/{TablePort}: "
                + $"`bash {startedWith} start` exited with {exitCode}. Run `bash scripts/azurite.sh` (it needs Node.js and npm) and run the tests again.{Environment.NewLine}{output}");
        }
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>True when this instance started Azurite (and <see cref="Dispose"/> stops it).</summary>
    public bool StartedHere => startedWith is not null;

    /// <summary>A storage connection string with the blob, queue and table endpoints of this Azurite.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};"
        + $"BlobEndpoint={Endpoint(BlobPort)};QueueEndpoint={Endpoint(QueuePort)};TableEndpoint={Endpoint(TablePort)};";

    public void Dispose()
    {
        if (startedWith is not null)
        {
            Run(startedWith, "stop", TimeSpan.FromSeconds(30));
        }
    }

    private static string Endpoint(int port) => $"http://{Host}:{port}/devstoreaccount1";

    private static int ConfiguredPort(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : fallback;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Answers(int port)
    {
        using var client = new TcpClient();
        try
        {
            return client.ConnectAsync(Host, port).Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    /// <summary>Runs the script with this instance's ports, which also name its pid file.</summary>
    private (int ExitCode, string Output) Run(string script, string command, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(command);
        start.Environment["AZURITE_BLOB_PORT"] = BlobPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["AZURITE_QUEUE_PORT"] = QueuePort.ToString(CultureInfo.InvariantCulture);
        start.Environment["AZURITE_TABLE_PORT"] = TablePort.ToString(CultureInfo.InvariantCulture);
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
