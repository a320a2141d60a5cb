using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReflexiveIdentity.Testing;

namespace ReflexiveIdentity.Functions.Tests;

/// <summary>
/// The worker host built exactly as Program.cs builds it (not run: the Functions host is not here),
/// against a local Auth0 tenant for admin tokens.
/// </summary>
public sealed class WorkerHost : IAsyncDisposable
{
    public const string Secret = "functions-test-secret-0001";
    private readonly string directory;

    private WorkerHost(IHost host, LocalTenant tenant, string directory)
    {
        Host = host;
        Tenant = tenant;
        this.directory = directory;
    }

    public IHost Host { get; }

    public LocalTenant Tenant { get; }

    public static async Task<WorkerHost> StartAsync(Action<IServiceCollection>? configureServices = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "reflexive-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var tenant = await LocalTenant.StartAsync();
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhook:SigningSecrets"] = Secret,
            ["Ledger:SqlitePath"] = Path.Combine(directory, "ledger.db"),
            ["Auth0:Authority"] = tenant.Issuer,
            ["Auth0:Audience"] = LocalTenant.Audience,
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        });
        builder.AddReflexiveFunctions();
        configureServices?.Invoke(builder.Services);
        return new WorkerHost(builder.Build(), tenant, directory);
    }

    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(Host.Services);

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await Tenant.DisposeAsync();
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
