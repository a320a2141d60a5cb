using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Cli.Hosting;
using ReflexiveIdentity.Http.Security;

namespace ReflexiveIdentity.Benchmarks;

/// <summary>
/// The webhook over loopback HTTP (signature check, policy and SQLite ledger write included) side by side
/// with a bare Kestrel endpoint that returns a constant, driven by the same closed-loop client in one run.
/// </summary>
public static class WebhookLoad
{
    private const string Secret = "benchmark-signing-secret-000001";

    public static async Task<int> RunAsync(string[] args)
    {
        var concurrency = Option(args, "--concurrency", 32);
        var seconds = Option(args, "--seconds", 10);
        var agents = Option(args, "--agents", 2000);
        var directory = Path.Combine(Path.GetTempPath(), "reflexive-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);

        await using var bare = await StartBareAsync();
        await using var webhook = await StartWebhookAsync(Path.Combine(directory, "ledger.db"));
        Console.WriteLine($"Closed loop, {concurrency} concurrent connections, {seconds} s each after a 3 s warm-up, {Environment.ProcessorCount} cores, client and servers in one process on loopback.");

        var constant = await MeasureAsync(Address(bare), "/constant", concurrency, seconds, agents, sign: false);
        var signed = await MeasureAsync(Address(webhook), "/api/v1/elevations", concurrency, seconds, agents, sign: true);

        Console.WriteLine();
        Console.WriteLine("| endpoint | requests/s | p50 ms | p99 ms | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Print("bare Kestrel, constant JSON", constant);
        Print("POST /api/v1/elevations (signed, SQLite ledger write)", signed);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Webhook throughput is {signed.RequestsPerSecond / constant.RequestsPerSecond:P0} of the bare endpoint's."));
        await webhook.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return signed.Errors == 0 ? 0 : 1;
    }

    private static async Task<Result> MeasureAsync(string baseAddress, string path, int concurrency, int seconds, int agents, bool sign)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(baseAddress),
        };
        await RunLoopAsync(client, path, concurrency, TimeSpan.FromSeconds(3), agents, sign);
        return await RunLoopAsync(client, path, concurrency, TimeSpan.FromSeconds(seconds), agents, sign);
    }

    private static async Task<Result> RunLoopAsync(HttpClient client, string path, int concurrency, TimeSpan duration, int agents, bool sign)
    {
        var latencies = new List<double>[concurrency];
        var errors = 0;
        var counter = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            while (stopwatch.Elapsed < duration)
            {
                var n = Interlocked.Increment(ref counter);
                using var request = Request(path, n, agents, sign);
                var started = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), errors);
    }

    private static HttpRequestMessage Request(string path, int n, int agents, bool sign)
    {
        var agent = $"agent_{n % agents:D5}";
        var body = Encoding.UTF8.GetBytes($$$"""
            {"agent_id":"{{{agent}}}","principal":{"type":"user","id":"auth0|{{{agent}}}"},"trust_score":92,"requested_scopes":["read.dataset","generate.report"],"audience":"https://reflexive-identity/agents","rationale":{"intent":"Generate operational report","reason":"Weekly ops review needs error rates per service","confidence":0.91},"context":{"trigger":"post-login","client_id":"bench","ip":"127.0.0.1","transaction_id":"tx-{{{n}}}"} }
            """);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (sign)
        {
            var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            request.Headers.Add(WebhookSignature.TimestampHeader, ts.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(Secret, ts, body));
            request.Headers.Add("X-Reflexive-Request-Id", $"bench-{n}");
        }

        return request;
    }

    private static async Task<WebApplication> StartBareAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var constant = Encoding.UTF8.GetBytes("""{"decision":"deny","granted_scopes":[],"denied_scopes":[],"trust_score":100,"reasons":[{"code":"policy_satisfied","detail":"constant"}]}""");
        app.MapPost("/constant", (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.Body.WriteAsync(constant).AsTask();
        });
        await app.StartAsync();
        return app;
    }

    private static async Task<WebApplication> StartWebhookAsync(string ledgerPath)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhook:SigningSecrets"] = Secret,
            ["Ledger:SqlitePath"] = ledgerPath,
        }).Build();
        var app = ReflexiveWebHost.Build(configuration, "http://127.0.0.1:0", services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)));
        await app.StartAsync();
        return app;
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Print(string name, Result result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {result.RequestsPerSecond:N0} | {result.P50:0.00} | {result.P99:0.00} | {result.Errors} |"));

    private sealed record Result(double RequestsPerSecond, double P50, double P99, int Errors);
}
