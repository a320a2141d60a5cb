using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Omega;
using ReflexiveIdentity.Cli.Hosting;

namespace ReflexiveIdentity.Cli.Tests;

/// <summary>
/// <c>reflexive serve</c> with <c>AgentOmega__Queue=storage</c> against Azurite (started by <c>.ci/run</c> or
/// <c>bash scripts/azurite.sh</c>): the route puts Base64 JSON on the queue, the storage worker runs it,
/// deletes it when handled and moves it to the poison queue when it cannot run. Each test has its own queue.
/// </summary>
public sealed class StorageAgentJobsTests : IAsyncLifetime
{
    private readonly RecordingJobRunner runner = new();
    private readonly string queueName = "jobs-" + Guid.NewGuid().ToString("N")[..12];
    private ServiceHost host = null!;
    private QueueClient jobs = null!;
    private QueueClient poison = null!;

    public async Task InitializeAsync()
    {
        jobs = new QueueClient("UseDevelopmentStorage=true", queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        poison = new QueueClient("UseDevelopmentStorage=true", queueName + "-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        try
        {
            await jobs.CreateIfNotExistsAsync();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException)
        {
            Assert.Fail($"Azurite is not answering on 127.0.0.1:10001 ({ex.Message}); start it with `bash scripts/azurite.sh`.");
        }

        host = await ServiceHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["AgentOmega:Queue"] = "storage",
                ["AgentOmega:QueueName"] = queueName,
                ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
                ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00",
            },
            configureServices: services => services.AddSingleton<IAgentJobRunner>(runner));
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await jobs.DeleteIfExistsAsync();
        await poison.DeleteIfExistsAsync();
    }

    [Fact]
    public async Task PostJob_StorageQueue_WorkerRunsItAndDeletesIt()
    {
        var response = await host.PostAdminAsync("/api/v1/agents/agent_omega/jobs", """{"job_id":"job-s1","dataset":"d.jsonl","report":"r","destination":"out/"}""");
        await Drained();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("job-s1", Assert.Single(runner.Calls).JobId);
        Assert.Empty((await jobs.PeekMessagesAsync(10)).Value);
        Assert.Empty((await poison.PeekMessagesAsync(10)).Value);
    }

    [Fact]
    public async Task MalformedMessage_GoesToPoisonAtOnceWithTheReasonRecorded()
    {
        const string message = """{"job_id":"job-m1","dataset":"d.jsonl"}""";
        await jobs.SendMessageAsync(message);
        await Drained();

        Assert.Empty(runner.Calls);
        Assert.Equal(message, Assert.Single((await poison.PeekMessagesAsync(10)).Value).Body.ToString());
        Assert.Empty((await jobs.PeekMessagesAsync(10)).Value);
        var rejected = Assert.Single(await host.EntriesAsync());
        Assert.Equal(("request_rejected", "$service"), (rejected.Kind, rejected.ChainId));
        Assert.Contains("\"route\":\"queue agent-jobs\"", rejected.Payload, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"malformed_job\"", rejected.Payload, StringComparison.Ordinal);
        Assert.Contains("missing required properties", rejected.Payload, StringComparison.Ordinal);
        Assert.Contains($"\"body_sha256\":\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message)))}\"", rejected.Payload, StringComparison.Ordinal);
        Assert.DoesNotContain("d.jsonl", rejected.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidJob_GoesToPoisonAtOnceNamingTheField()
    {
        await jobs.SendMessageAsync("""{"job_id":"job-i1","dataset":"d","report":".hidden","destination":"o"}""");
        await Drained();

        Assert.Empty(runner.Calls);
        Assert.Single((await poison.PeekMessagesAsync(10)).Value);
        var rejected = Assert.Single(await host.EntriesAsync());
        Assert.Contains("\"code\":\"invalid_job\"", rejected.Payload, StringComparison.Ordinal);
        Assert.Contains("report: required, up to 100 characters", rejected.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunnerKeepsThrowing_AfterFiveAttemptsTheMessageIsPoisonedAndTheLedgerSaysWhy()
    {
        runner.FailuresLeft = int.MaxValue;

        await host.PostAdminAsync("/api/v1/agents/agent_omega/jobs", """{"job_id":"job-f1","dataset":"d","report":"r","destination":"o"}""");
        await Drained();

        Assert.Equal(5, runner.Calls.Count);
        Assert.Contains("\"job_id\":\"job-f1\"", Assert.Single((await poison.PeekMessagesAsync(10)).Value).Body.ToString(), StringComparison.Ordinal);
        Assert.Empty((await jobs.PeekMessagesAsync(10)).Value);
        var poisoned = Assert.Single(await host.EntriesAsync(), e => e.Kind == "request_rejected");
        Assert.Contains("\"code\":\"job_poisoned\"", poisoned.Payload, StringComparison.Ordinal);
        Assert.Contains("Job job-f1 failed on attempt 5 of 5 and goes to agent-jobs-poison", poisoned.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunnerFailsOnce_TheRetrySucceedsAndNothingIsPoisoned()
    {
        runner.FailuresLeft = 1;

        await host.PostAdminAsync("/api/v1/agents/agent_omega/jobs", """{"job_id":"job-r1","dataset":"d","report":"r","destination":"o"}""");
        await Drained();

        Assert.Equal(["job-r1", "job-r1"], runner.Calls.Select(call => call.JobId));
        Assert.Empty((await jobs.PeekMessagesAsync(10)).Value);
        Assert.Empty((await poison.PeekMessagesAsync(10)).Value);
        Assert.DoesNotContain(await host.EntriesAsync(), e => e.Kind == "request_rejected");
    }

    [Fact]
    public async Task DuplicateJobId_IsDeletedNotPoisoned()
    {
        const string body = """{"job_id":"job-d1","dataset":"d","report":"r","destination":"o"}""";
        await host.PostAdminAsync("/api/v1/agents/agent_omega/jobs", body);
        await Drained();
        await host.PostAdminAsync("/api/v1/agents/agent_omega/jobs", body);
        await Drained();

        Assert.Equal(2, runner.Calls.Count);
        Assert.Empty((await jobs.PeekMessagesAsync(10)).Value);
        Assert.Empty((await poison.PeekMessagesAsync(10)).Value);
    }

    private Task Drained() => host.Services.GetRequiredService<StorageAgentJobWorker>().WhenDrainedAsync();
}
