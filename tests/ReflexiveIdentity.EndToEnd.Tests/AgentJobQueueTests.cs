using System.Net;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Cli.Hosting;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Omega;

namespace ReflexiveIdentity.EndToEnd.Tests;

/// <summary>
/// A job posted to the route travels as Base64 JSON over the <c>agent-jobs</c> queue on Azurite and the real
/// agent_omega runs it through its three gates against the local tenant: the report is delivered, a repeat
/// of the job id does nothing, and a job the agent cannot run leaves the queue with its reason recorded.
/// </summary>
public sealed class AgentJobQueueTests : IAsyncLifetime
{
    private readonly string queueName = "e2e-jobs-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string reports = Path.Combine(Path.GetTempPath(), "reflexive-e2e-reports", Guid.NewGuid().ToString("N"));
    private ServiceHost host = null!;
    private QueueClient jobs = null!;

    public async Task InitializeAsync()
    {
        jobs = new QueueClient("UseDevelopmentStorage=true", queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        try
        {
            await jobs.CreateIfNotExistsAsync();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException)
        {
            Assert.Fail($"Azurite is not answering on 127.0.0.1:10001 ({ex.Message}); start it with `bash scripts/azurite.sh`.");
        }

        var settings = AgentOmegaGateTests.AgentSettings;
        settings["AgentOmega:Queue"] = "storage";
        settings["AgentOmega:QueueName"] = queueName;
        settings["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        host = await ServiceHost.StartAsync(settings, manageAuth0: true);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await jobs.DeleteIfExistsAsync();
        await new QueueClient("UseDevelopmentStorage=true", queueName + "-poison").DeleteIfExistsAsync();
        if (Directory.Exists(reports))
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    [Fact]
    public async Task PostedJob_RunsThroughTheQueueAndAllThreeGates_DeliversTheReportOnce()
    {
        var body = $$"""{"job_id":"e2e-weekly","dataset":"{{Escape(RepositoryPaths.SampleDataset)}}","report":"weekly","destination":"{{Escape(reports)}}"}""";

        var first = await host.PostAdminAsync("/api/v1/agents/agent_omega/jobs", body);
        await Drained();
        var second = await host.PostAdminAsync("/api/v1/agents/agent_omega/jobs", body);
        await Drained();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Contains("<svg", await File.ReadAllTextAsync(Path.Combine(reports, "weekly.html")), StringComparison.Ordinal);
        var events = (await host.EntriesAsync())
            .Where(e => e.ChainId == "agent_omega" && e.Kind == LedgerEntryKind.EventRecorded.ToWire())
            .Select(e => LedgerJsonContext.Deserialize<EventRecordedPayload>(e.Payload))
            .ToList();
        Assert.Equal(["read.dataset", "generate.report", "share.output"], events.Where(e => e.Kind == "stage_completed").Select(e => e.Scope));
        Assert.Equal("completed", Assert.Single(events, e => e.Kind == "job_finished").Outcome);
        Assert.Single(events, e => e.Kind == "job_started");
        Assert.Empty((await jobs.PeekMessagesAsync(10)).Value);
    }

    private Task Drained() => host.Services.GetRequiredService<StorageAgentJobWorker>().WhenDrainedAsync();

    private static string Escape(string path) => path.Replace("\\", "\\\\", StringComparison.Ordinal);
}
