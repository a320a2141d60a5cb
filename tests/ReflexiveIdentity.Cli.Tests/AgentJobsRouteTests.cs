using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Omega;
using ReflexiveIdentity.Cli.Hosting;

namespace ReflexiveIdentity.Cli.Tests;

/// <summary><c>POST /api/v1/agents/{agent_id}/jobs</c> over loopback, with the CLI's in-process queue.</summary>
public sealed class AgentJobsRouteTests : IAsyncLifetime
{
    private readonly RecordingJobRunner runner = new();
    private ServiceHost host = null!;

    public async Task InitializeAsync() => host = await ServiceHost.StartAsync(configureServices: services => services.AddSingleton<IAgentJobRunner>(runner));

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task PostJob_Valid_Is202QueuedAndRunsOnce()
    {
        var response = await host.PostAdminAsync("/api/v1/agents/agent_omega/jobs", """{"job_id":"job-1","dataset":"samples/logs.jsonl","report":"weekly-ops","destination":"out/"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await Json(response);
        Assert.Equal("job-1", body["job_id"]!.GetValue<string>());
        Assert.Equal("agent_omega", body["agent_id"]!.GetValue<string>());
        Assert.Equal("agent-jobs", body["queue"]!.GetValue<string>());
        Assert.Equal("queued", body["status"]!.GetValue<string>());
        Assert.Equal("/api/v1/agents/agent_omega", response.Headers.Location!.OriginalString);
        await host.Services.GetRequiredService<InProcessAgentJobs>().WhenIdleAsync();
        var job = Assert.Single(runner.Calls);
        Assert.Equal(new AgentJob { JobId = "job-1", Dataset = "samples/logs.jsonl", Report = "weekly-ops", Destination = "out/" }, job);
        var queued = Assert.Single(await host.EntriesAsync(), e => e.Kind == "event_recorded");
        Assert.Equal(body["entry_id"]!.GetValue<string>(), queued.Id);
        Assert.Equal("agent_omega", queued.ChainId);
        Assert.Contains("\"kind\":\"job_queued\"", queued.Payload, StringComparison.Ordinal);
        Assert.Contains("\"job_id\":\"job-1\"", queued.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostJob_WithoutJobId_GetsAGeneratedOne()
    {
        var response = await host.PostAdminAsync("/api/v1/agents/agent_omega/jobs", """{"dataset":"logs.jsonl","report":"r","destination":"out/"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = (await Json(response))["job_id"]!.GetValue<string>();
        Assert.Matches("^job_[0-9a-f]{32}$", jobId);
        await host.Services.GetRequiredService<InProcessAgentJobs>().WhenIdleAsync();
        Assert.Equal(jobId, Assert.Single(runner.Calls).JobId);
    }

    [Fact]
    public async Task PostJob_WithoutToken_Is401AndRecorded()
    {
        var response = await host.Client.PostAsync("/api/v1/agents/agent_omega/jobs", new StringContent("""{"dataset":"d","report":"r","destination":"o"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("token_missing", (await Json(response))["code"]!.GetValue<string>());
        var rejected = Assert.Single(await host.EntriesAsync());
        Assert.Equal(("request_rejected", "$service"), (rejected.Kind, rejected.ChainId));
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task PostJob_InvalidFields_Is422NamingEachAndRecorded()
    {
        var response = await host.PostAdminAsync("/api/v1/agents/agent_omega/jobs", """{"job_id":"j","dataset":"","report":"../etc"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("invalid_field", problem["code"]!.GetValue<string>());
        Assert.Equal(["dataset", "report", "destination"], problem["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()));
        var rejected = Assert.Single(await host.EntriesAsync());
        Assert.Equal(problem["ledger_entry"]!.GetValue<string>(), rejected.Id);
        Assert.Contains("\"code\":\"invalid_field\"", rejected.Payload, StringComparison.Ordinal);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task PostJob_MalformedJson_Is400()
    {
        var response = await host.PostAdminAsync("/api/v1/agents/agent_omega/jobs", "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("malformed_json", (await Json(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostJob_OtherAgent_Is404NamingTheAgentThatRunsJobs()
    {
        var response = await host.PostAdminAsync("/api/v1/agents/agent_beta/jobs", """{"dataset":"d","report":"r","destination":"o"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("agent_not_found", problem["code"]!.GetValue<string>());
        Assert.Equal("Agent 'agent_beta' cannot run jobs here: only 'agent_omega' does (AgentOmega__AgentId). Post the job to /api/v1/agents/agent_omega/jobs.", problem["detail"]!.GetValue<string>());
        Assert.Equal("request_rejected", Assert.Single(await host.EntriesAsync()).Kind);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task InProcessQueue_RunnerKeepsThrowing_PoisonsAfterMaxAttemptsAndRecordsWhy()
    {
        await using var failing = await ServiceHost.StartAsync(
            new Dictionary<string, string?> { ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00" },
            configureServices: services => services.AddSingleton<IAgentJobRunner>(new RecordingJobRunner { FailuresLeft = int.MaxValue }));

        var response = await failing.PostAdminAsync("/api/v1/agents/agent_omega/jobs", """{"job_id":"job-doomed","dataset":"d","report":"r","destination":"o"}""");
        await failing.Services.GetRequiredService<InProcessAgentJobs>().WhenIdleAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runnerCalls = ((RecordingJobRunner)failing.Services.GetRequiredService<IAgentJobRunner>()).Calls;
        Assert.Equal(5, runnerCalls.Count);
        Assert.Contains("\"job_id\":\"job-doomed\"", Assert.Single(failing.Services.GetRequiredService<InProcessAgentJobs>().Poisoned), StringComparison.Ordinal);
        var poisoned = Assert.Single(await failing.EntriesAsync(), e => e.Kind == "request_rejected");
        Assert.Contains("\"code\":\"job_poisoned\"", poisoned.Payload, StringComparison.Ordinal);
        Assert.Contains("Job job-doomed failed on attempt 5 of 5 and goes to agent-jobs-poison: InvalidOperationException: The ledger is unreachable (test runner).", poisoned.Payload, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
