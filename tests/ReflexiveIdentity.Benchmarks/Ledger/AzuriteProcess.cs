using System.Diagnostics;
using System.Net.Sockets;

namespace ReflexiveIdentity.Benchmarks;

/// <summary>
/// Azurite for the ledger benchmark: used when its table port already answers, else started with
/// <c>scripts/azurite.sh</c> and stopped again when disposed.
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string? startedWith;

    private AzuriteProcess(int tablePort, string? startedWith)
    {
        TablePort = tablePort;
        this.startedWith = startedWith;
    }

    public int TablePort { get; }

    public bool StartedHere => startedWith is not null;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public static AzuriteProcess Start()
    {
        var port = int.TryParse(Environment.GetEnvironmentVariable("AZURITE_TABLE_PORT"), out var configured) ? configured : 10002;
        if (Answers(port))
        {
            return new AzuriteProcess(port, null);
        }

        var script = FindScript();
        var (exitCode, output) = Run(script, "start", TimeSpan.FromMinutes(5));
        return exitCode == 0 && Answers(port)
            ? new AzuriteProcess(port, script)
            : throw new InvalidOperationException($"Azurite could not be started on 127.0.0.1:{port}; run `bash scripts/azurite.sh` first.{Environment.NewLine}{output}");
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
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var script = Path.Combine(directory.FullName, "scripts", "azurite.sh");
                if (File.Exists(script))
                {
                    return script;
                }
            }
        }

        throw new InvalidOperationException("Azurite is not running and scripts/azurite.sh was not found; run `bash scripts/azurite.sh` from the repository.");
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
