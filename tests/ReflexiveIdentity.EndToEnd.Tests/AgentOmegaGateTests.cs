using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Omega;

namespace ReflexiveIdentity.EndToEnd.Tests;

/// <summary>
/// agent_omega's gates against the local tenant and the webhook: each stage runs only with a verified
/// token that carries its scope (elevated scopes through a rationale and a live grant), and the agent
/// stops itself when its integrity is in doubt. Every step is in its ledger chain.
/// </summary>
public sealed class AgentOmegaGateTests : IAsyncLifetime
{
    private ServiceHost host = null!;
    private readonly List<string> ran = [];

    public async Task InitializeAsync() => host = await ServiceHost.StartAsync(AgentSettings, manageAuth0: true);

    public async Task DisposeAsync() => await host.DisposeAsync();

    internal static Dictionary<string, string?> AgentSettings => new()
    {
        ["AgentOmega:ClientId"] = "agent-omega-app",
        ["AgentOmega:RefreshToken"] = LocalTenant.AgentRefreshToken,
    };

    [Fact]
    public async Task Run_AllScopesGranted_PassesEveryGateWithElevationsAndRecordsEachStage()
    {
        var outcome = await RunAsync("job-all");

        Assert.Equal(JobStatus.Completed, outcome.Status);
        Assert.Equal(["read.dataset", "generate.report", "share.output"], ran);
        Assert.Equal(["read.dataset", "generate.report", "share.output"], outcome.Steps.Where(s => s.Kind == "gate_passed").Select(s => s.Stage));
        Assert.Equal(["generate.report", "share.output"], outcome.Steps.Where(s => s.Kind == "elevation_requested").Select(s => s.Stage));
        Assert.All(outcome.Steps.Where(s => s.Kind == "gate_passed" && s.Stage != "read.dataset"), s => Assert.StartsWith("grt_", s.GrantId));

        var events = await EventsAsync();
        Assert.Equal(
            ["job_started", "api_call", "stage_started", "stage_completed", "api_call", "stage_started", "stage_completed", "api_call", "stage_started", "stage_completed", "job_finished"],
            events.Select(e => e.Kind));
        var decisions = (await host.EntriesAsync()).Where(e => e.Kind == LedgerEntryKind.ElevationDecided.ToWire()).Select(e => LedgerJsonContext.Deserialize<ElevationDecidedPayload>(e.Payload)).ToList();
        Assert.Equal(["allow", "allow"], decisions.Select(d => d.Decision));
        Assert.Equal(["generate.report"], decisions[0].GrantedScopes);
        Assert.Equal(["share.output"], decisions[1].GrantedScopes);
    }

    [Fact]
    public async Task Run_ElevationDenied_RefusesTheStageWithoutRunningItAndRecordsIt()
    {
        // An operator lowered the score in Auth0: still above the threshold, below share.output's minimum of 80.
        await host.Tenant.SetAppMetadataAsync("auth0|agent_omega", "trust_score", JsonValue.Create(75));

        var outcome = await RunAsync("job-denied");

        Assert.Equal(JobStatus.Refused, outcome.Status);
        Assert.Equal(["read.dataset", "generate.report"], ran);
        var refusal = (await EventsAsync()).Single(e => e.Kind == "stage_failed");
        Assert.Equal("share.output", refusal.Scope);
        Assert.Equal("refused", refusal.Outcome);
        Assert.Equal("scope_missing", refusal.Detail!.Value.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Run_GrantRevokedMidJob_StopsBeforeTheNextStageAtTheLiveGrantCheck()
    {
        var revocation = host.Services.GetRequiredService<GrantRevocation>();
        var outcome = await RunAsync("job-revoked", onGenerate: async () =>
        {
            var grant = (await host.Services.GetRequiredService<ILedger>().ListActiveGrantsAsync("agent_omega", DateTimeOffset.UtcNow, CancellationToken.None)).Single();
            await revocation.RevokeAsync(grant.Id, "operator", "suspicious report request", CancellationToken.None);
        });

        Assert.Equal(JobStatus.Halted, outcome.Status);
        Assert.Equal(["read.dataset", "generate.report"], ran);
        Assert.Contains("grant_revoked", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("was revoked (suspicious report request)", outcome.Detail, StringComparison.Ordinal);
        var halted = (await EventsAsync()).Single(e => e.Kind == "agent_halted");
        Assert.Equal("share.output", halted.Scope);
    }

    [Fact]
    public async Task Run_OwnTrustBelowThreshold_HaltsBeforeTheFirstStage()
    {
        var ledger = host.Services.GetRequiredService<ILedger>();
        await host.Tenant.AgentTokenAsync("read.dataset", null);
        for (var i = 0; i < 4; i++)
        {
            // Written straight to the ledger, so no immune response has looked yet: only the agent's own assessment sees it.
            await ledger.AppendAsync(
                new LedgerAppend
                {
                    ChainId = "agent_omega",
                    Kind = LedgerEntryKind.EventRecorded,
                    OccurredAt = DateTimeOffset.UtcNow,
                    RecordedAt = DateTimeOffset.UtcNow,
                    Payload = LedgerJsonContext.Serialize(new EventRecordedPayload { Kind = AgentEventKinds.TokenVerificationFailed, Source = "test" }),
                },
                CancellationToken.None);
        }

        var outcome = await RunAsync("job-low-trust");

        Assert.Equal(JobStatus.Halted, outcome.Status);
        Assert.Empty(ran);
        Assert.StartsWith("Halted before read.dataset: trust_below_threshold", outcome.Detail, StringComparison.Ordinal);
        Assert.InRange(outcome.Steps.Single(s => s.Kind == "halted").TrustScore!.Value, 59.9, 60);
    }

    [Fact]
    public async Task Run_StageKeepsFailing_RetriesThenHaltsOnRepeatedFailures()
    {
        var attempts = 0;
        var stages = new List<JobStage>
        {
            new("read.dataset", "Read the dataset ops-logs.jsonl", _ =>
            {
                attempts++;
                throw new IOException("The dataset share is unreachable.");
            }),
        };

        var outcome = await Agent.RunAsync("job-failing", stages, null, CancellationToken.None);

        Assert.Equal(JobStatus.Halted, outcome.Status);
        Assert.Equal(2, attempts);
        Assert.StartsWith("Halted before read.dataset: repeated_failures", outcome.Detail, StringComparison.Ordinal);
        var kinds = (await EventsAsync()).Select(e => e.Kind).ToList();
        Assert.Equal(2, kinds.Count(k => k == "stage_failed"));
        Assert.Equal(2, kinds.Count(k => k == "retry"));
    }

    [Fact]
    public async Task Run_QuarantinedInAuth0_TokenRefusedWithIntegrityCheckFailedAndHalts()
    {
        await host.Tenant.SetAppMetadataAsync("auth0|agent_omega", "status", JsonValue.Create("quarantined"));

        var outcome = await RunAsync("job-quarantined");

        Assert.Equal(JobStatus.Halted, outcome.Status);
        Assert.Empty(ran);
        Assert.Contains("Integrity check failed.", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SameJobIdTwice_RunsOnce()
    {
        var first = await RunAsync("job-once");
        var second = await RunAsync("job-once");

        Assert.Equal(JobStatus.Completed, first.Status);
        Assert.Equal(JobStatus.Duplicate, second.Status);
        Assert.Equal(3, ran.Count);
        Assert.Single(await EventsAsync(), e => e.Kind == "job_started");
    }

    [Fact]
    public async Task Run_RedeliveredAfterARunThatNeverFinished_RunsAgainThenIsADuplicate()
    {
        using var shutdown = new CancellationTokenSource();
        JobStage[] crashing = [new("read.dataset", "Read the dataset ops-logs.jsonl", async _ =>
        {
            await shutdown.CancelAsync();
            shutdown.Token.ThrowIfCancellationRequested();
            return "unreachable";
        })];
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Agent.RunAsync("job-redelivered", crashing, null, shutdown.Token));

        var resumed = await RunAsync("job-redelivered");
        var duplicate = await RunAsync("job-redelivered");

        Assert.Equal(JobStatus.Completed, resumed.Status);
        Assert.Equal("job_resumed", resumed.Steps[0].Kind);
        Assert.Equal(JobStatus.Duplicate, duplicate.Status);
        Assert.Equal(3, ran.Count);
        Assert.Single(await EventsAsync(), e => e.Kind == "job_finished");
    }

    [Fact]
    public async Task RunJob_UnknownDestinationForm_FailsBeforeAnyStageAndRecordsWhy()
    {
        var runner = host.Services.GetRequiredService<IAgentJobRunner>();

        var outcome = await runner.RunAsync(new AgentJob { JobId = "job-ftp", Dataset = RepositoryPaths.SampleDataset, Report = "weekly", Destination = "ftp://reports.example/" }, null, CancellationToken.None);

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.StartsWith("destination: ", outcome.Detail, StringComparison.Ordinal);
        var finished = Assert.Single(await EventsAsync());
        Assert.Equal(("job_finished", "failed"), (finished.Kind, finished.Outcome));
        Assert.Equal(outcome.Detail, finished.Detail!.Value.GetProperty("detail").GetString());
    }

    private AgentOmega Agent => host.Services.GetRequiredService<AgentOmega>();

    private Task<JobOutcome> RunAsync(string jobId, Func<Task>? onGenerate = null) =>
        Agent.RunAsync(
            jobId,
            [
                Stage("read.dataset", "Read the dataset ops-logs.jsonl", "read 3,000 log lines from 6 services"),
                Stage("generate.report", "Generate the operational report ops-report", "rendered the report for 6 services", onGenerate),
                Stage("share.output", "Share the operational report ops-report to the reports folder", "delivered to reports/"),
            ],
            null,
            CancellationToken.None);

    private JobStage Stage(string scope, string task, string evidence, Func<Task>? during = null) => new(scope, task, async _ =>
    {
        ran.Add(scope);
        if (during is not null)
        {
            await during();
        }

        return evidence;
    });

    private async Task<List<EventRecordedPayload>> EventsAsync() =>
        (await host.EntriesAsync())
            .Where(e => e.ChainId == "agent_omega" && e.Kind == LedgerEntryKind.EventRecorded.ToWire())
            .Select(e => LedgerJsonContext.Deserialize<EventRecordedPayload>(e.Payload))
            .Where(e => e.Source == AgentOmega.EventSource)
            .ToList();
}
