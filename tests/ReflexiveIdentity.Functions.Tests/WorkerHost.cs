using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ReflexiveIdentity.Functions.Tests;

/// <summary>The worker host built exactly as Program.cs builds it (not run: the Functions host is not here).</summary>
public sealed class WorkerHost : IDisposable
{
    public const string Secret = "functions-test-secret-0001";
    public const string AdminKey = "functions-test-admin-key-01";
    private readonly string directory = Path.Combine(Path.GetTempPath(), "reflexive-tests", Guid.NewGuid().ToString("N"));

    public WorkerHost()
    {
        Directory.CreateDirectory(directory);
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhook:SigningSecrets"] = Secret,
            ["Ledger:SqlitePath"] = Path.Combine(directory, "ledger.db"),
            ["Admin:ApiKey"] = AdminKey,
        });
        builder.AddReflexiveFunctions();
        Host = builder.Build();
    }

    public IHost Host { get; }

    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(Host.Services);

    public void Dispose()
    {
        Host.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind at worst.
        }
    }
}
