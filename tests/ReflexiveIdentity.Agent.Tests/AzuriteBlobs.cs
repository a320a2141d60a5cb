using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ReflexiveIdentity.Omega.Tests;

/// <summary>
/// Azurite's blob service for the blob destination tests. When <c>AZURITE_BLOB_PORT</c> names a port that answers, that
/// Azurite is used; otherwise one is started with <c>scripts/azurite.sh</c> on free ports of its own (so it neither
/// clashes with nor is stopped by anyone else's) and stopped afterwards. When it cannot start, the tests fail with the reason.
/// </summary>
public sealed class AzuriteBlobs : IDisposable
{
    /// <summary>Azurite's well-known development account key (public, the same in every Azurite).</summary>
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string? script;
    private readonly Dictionary<string, string> ports = [];

    public AzuriteBlobs()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("AZURITE_BLOB_PORT"), out var configured) && Answers(configured))
        {
            BlobPort = configured;
        }
        else
        {
            BlobPort = FreePort();
            ports["AZURITE_BLOB_PORT"] = BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ports["AZURITE_QUEUE_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            ports["AZURITE_TABLE_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            script = FindScript();
            var (exitCode, output) = Run(script, "start", TimeSpan.FromMinutes(5));
            if (exitCode != 0 || !Answers(BlobPort))
            {
                throw new InvalidOperationException(
                    $"Azurite could not be started on 127.0.0.1:{BlobPort}: `bash {script} start` exited with {exitCode}. Run `bash scripts/azurite.sh` (it needs Node.js and npm) to see why.{Environment.NewLine}{output}");
            }
        }

        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;";
    }

    public int BlobPort { get; }

    public string ConnectionString { get; }

    /// <summary>A container name no other test uses.</summary>
    public static string NewContainer() => "reports-" + Guid.NewGuid().ToString("N")[..16];

    public void Dispose()
    {
        if (script is not null)
        {
            Run(script, "stop", TimeSpan.FromSeconds(30));
        }
    }

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
            var path = Path.Combine(directory.FullName, "scripts", "azurite.sh");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"scripts/azurite.sh was not found above {AppContext.BaseDirectory}.");
    }

    private (int ExitCode, string Output) Run(string path, string command, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(command);
        foreach (var (name, value) in ports)
        {
            start.Environment[name] = value;
        }

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
public sealed class UsesAzuriteBlobs : ICollectionFixture<AzuriteBlobs>
{
    public const string Name = "Azurite blobs";
}
