using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Omega;
using ReflexiveIdentity.Functions.Http;
using ReflexiveIdentity.Functions.Queues;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Testing;

namespace ReflexiveIdentity.Functions.Tests;

/// <summary>
/// The jobs route and the <c>AgentOmegaWorker</c> function resolved from the worker's registration, against
/// the real <c>agent-jobs</c> queues in Azurite (started by <c>.ci/run</c> or <c>bash scripts/azurite.sh</c>).
/// </summary>
public sealed class AgentJobQueueTests : IAsyncLifetime
{
    private readonly RecordingJobRunner runner = new();
    private readonly QueueClient jobs = new("UseDevelopmentStorage=true", "agent-jobs", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    private readonly QueueClient poison = new("UseDevelopmentStorage=true", "agent-jobs-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    private WorkerHost worker = null!;

    public async Task InitializeAsync()
    {
        try
        {
            await jobs.CreateIfNotExistsAsync();
            await poison.CreateIfNotExistsAsync();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException)
        {
            Assert.Fail($"Azurite is not answering on 127.0.0.1:10001 ({ex.Message}); start it with `bash scripts/azurite.sh`.");
        }

        await jobs.ClearMessagesAsync();
        await poison.ClearMessagesAsync();
        worker = await WorkerHost.StartAsync(services => services.AddSingleton<IAgentJobRunner>(runner));
    }

    public async Task DisposeAsync() => await worker.DisposeAsync();

    [Fact]
    public async Task JobsFunction_Valid_PutsBase64JsonOnAgentJobsThatTheWorkerRuns()
    {
        var context = await PostJobAsync("""{"job_id":"job-fn1","dataset":"d.jsonl","report":"weekly","destination":"out/"}""");

        Assert.Equal(202, context.Response.StatusCode);
        var raw = new QueueClient("UseDevelopmentStorage=true", "agent-jobs");
        var stored = Assert.Single((await raw.PeekMessagesAsync(10)).Value).Body.ToString();
        Assert.Equal("""{"job_id":"job-fn1","dataset":"d.jsonl","report":"weekly","destination":"out/"}""", Encoding.UTF8.GetString(Convert.FromBase64String(stored)));

        var message = Assert.Single((await jobs.ReceiveMessagesAsync(10)).Value);
        await worker.Function<AgentJobFunction>().Run(message, CancellationToken.None);

        Assert.Equal(new AgentJob { JobId = "job-fn1", Dataset = "d.jsonl", Report = "weekly", Destination = "out/" }, Assert.Single(runner.Calls));
    }

    [Fact]
    public async Task Worker_MalformedMessage_MovesItToPoisonAndRecordsTheReason()
    {
        var message = QueuesModelFactory.QueueMessage("m1", "p1", "not json at all", dequeueCount: 1);

        await worker.Function<AgentJobFunction>().Run(message, CancellationToken.None);

        Assert.Empty(runner.Calls);
        Assert.Equal("not json at all", Assert.Single((await poison.PeekMessagesAsync(10)).Value).Body.ToString());
        var rejected = Assert.Single(await EntriesAsync());
        Assert.Equal(("request_rejected", "$service"), (rejected.Kind, rejected.ChainId));
        Assert.Contains("\"code\":\"malformed_job\"", rejected.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_RunnerThrowsBeforeTheLastAttempt_RethrowsAndRecordsNothing()
    {
        runner.FailuresLeft = 1;
        var message = QueuesModelFactory.QueueMessage("m2", "p2", """{"job_id":"job-fn2","dataset":"d","report":"r","destination":"o"}""", dequeueCount: 4);

        await Assert.ThrowsAsync<InvalidOperationException>(() => worker.Function<AgentJobFunction>().Run(message, CancellationToken.None));

        Assert.Empty(await EntriesAsync());
    }

    [Fact]
    public async Task Worker_RunnerThrowsOnTheLastAttempt_RecordsWhyThenRethrowsForThePoisonQueue()
    {
        runner.FailuresLeft = 1;
        var message = QueuesModelFactory.QueueMessage("m3", "p3", """{"job_id":"job-fn3","dataset":"d","report":"r","destination":"o"}""", dequeueCount: 5);

        await Assert.ThrowsAsync<InvalidOperationException>(() => worker.Function<AgentJobFunction>().Run(message, CancellationToken.None));

        var recorded = Assert.Single(await EntriesAsync());
        Assert.Contains("\"code\":\"job_poisoned\"", recorded.Payload, StringComparison.Ordinal);
        Assert.Contains("\"request_id\":\"job-fn3\"", recorded.Payload, StringComparison.Ordinal);
        Assert.Contains("Job job-fn3 failed on attempt 5 of 5 and goes to agent-jobs-poison: InvalidOperationException", recorded.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsFunction_OtherAgent_Answers404()
    {
        var context = await PostJobAsync("""{"dataset":"d","report":"r","destination":"o"}""", "someone_else");

        Assert.Equal(404, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        Assert.Equal("agent_not_found", JsonNode.Parse(context.Response.Body)!["code"]!.GetValue<string>());
    }

    private async Task<DefaultHttpContext> PostJobAsync(string body, string agentId = "agent_omega")
    {
        var context = new DefaultHttpContext { RequestServices = worker.Host.Services };
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.Headers.Authorization = $"Bearer {await worker.Tenant.OperatorTokenAsync()}";
        context.Response.Body = new MemoryStream();
        await worker.Function<JobsFunction>().Run(context.Request, agentId, CancellationToken.None);
        return context;
    }

    private async Task<List<LedgerEntry>> EntriesAsync()
    {
        var ledger = worker.Host.Services.GetRequiredService<ILedger>();
        var entries = new List<LedgerEntry>();
        foreach (var chain in await ledger.ListChainsAsync(CancellationToken.None))
        {
            entries.AddRange(await ledger.ReadChainAsync(chain, CancellationToken.None).ToListAsync());
        }

        return entries;
    }
}
