using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Policy;
using ReflexiveIdentity.Reasoning;
using ReflexiveIdentity.Tokens;

namespace ReflexiveIdentity.Omega;

/// <summary>
/// Runs a job's stages, each behind a gate: before every stage agent_omega looks at its own integrity
/// (and halts itself when it is in doubt), verifies its own token including the live grant check of
/// every elevation it carries, and, when the stage's scope is missing, writes a rationale and asks
/// Auth0 for a token with it, going on only with what was granted. Every step goes into its chain.
/// </summary>
public sealed class AgentOmega
{
    private readonly AgentOmegaOptions options;
    private readonly IAgentTokenClient tokens;
    private readonly ScopeAuthorizer authorizer;
    private readonly IRationaleWriter writer;
    private readonly AgentSelfAssessment self;
    private readonly AgentObservations observations;
    private readonly ILedger ledger;
    private readonly PolicyDocument policy;
    private readonly TimeProvider time;

    /// <summary>Creates the agent from its parts.</summary>
    public AgentOmega(
        AgentOmegaOptions options,
        IAgentTokenClient tokens,
        ScopeAuthorizer authorizer,
        IRationaleWriter writer,
        AgentSelfAssessment self,
        AgentObservations observations,
        ILedger ledger,
        PolicyDocument policy,
        TimeProvider time)
    {
        this.options = options;
        this.tokens = tokens;
        this.authorizer = authorizer;
        this.writer = writer;
        this.self = self;
        this.observations = observations;
        this.ledger = ledger;
        this.policy = policy;
        this.time = time;
    }

    /// <summary>The source recorded on agent_omega's own events.</summary>
    public const string EventSource = "agent_omega";

    /// <summary>
    /// Records that job <paramref name="jobId"/> cannot run as given (its input is wrong: no stage started, the
    /// job id is not claimed, so a corrected job may reuse it) and returns the failed outcome.
    /// </summary>
    public async Task<JobOutcome> RejectAsync(string jobId, string detail, Action<AgentStep>? onStep, CancellationToken cancellationToken)
    {
        var run = new Run(this, jobId, onStep);
        await run.FinishAsync(run.End(JobStatus.Failed, detail), cancellationToken).ConfigureAwait(false);
        return run.End(JobStatus.Failed, detail);
    }

    /// <summary>Runs <paramref name="stages"/> as job <paramref name="jobId"/>; <paramref name="onStep"/> sees each step as it happens.</summary>
    public async Task<JobOutcome> RunAsync(string jobId, IReadOnlyList<JobStage> stages, Action<AgentStep>? onStep, CancellationToken cancellationToken)
    {
        var run = new Run(this, jobId, onStep);
        if (!await run.ClaimAsync(cancellationToken).ConfigureAwait(false))
        {
            return run.End(JobStatus.Duplicate, $"Job {jobId} ran before and finished; a job runs at most once.");
        }

        foreach (var stage in stages)
        {
            var ended = await run.StageAsync(stage, cancellationToken).ConfigureAwait(false);
            if (ended is not null)
            {
                await run.FinishAsync(ended, cancellationToken).ConfigureAwait(false);
                return ended;
            }
        }

        var outcome = run.End(JobStatus.Completed, $"All {stages.Count} stages ran.");
        await run.FinishAsync(outcome, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    private sealed class Run(AgentOmega agent, string jobId, Action<AgentStep>? onStep)
    {
        private readonly List<AgentStep> steps = [];
        private readonly List<string> evidence = [];
        private string? token;
        private int failures;
        private int retries;
        private double? trust;

        private string AgentId => agent.options.AgentId;

        public async Task<bool> ClaimAsync(CancellationToken cancellationToken)
        {
            var appended = await agent.ledger.AppendAsync(
                new LedgerAppend
                {
                    ChainId = AgentId,
                    Kind = LedgerEntryKind.EventRecorded,
                    OccurredAt = agent.time.GetUtcNow(),
                    RecordedAt = agent.time.GetUtcNow(),
                    Payload = LedgerJsonContext.Serialize(new EventRecordedPayload
                    {
                        Kind = AgentEventKinds.JobStarted,
                        Detail = Detail(("job_id", jobId)),
                        Source = EventSource,
                    }),
                    RequestId = "job:" + jobId,
                    ReplayWindowStart = DateTimeOffset.MinValue,
                },
                cancellationToken).ConfigureAwait(false);
            if (!appended.Replayed)
            {
                Step("job", "job_started", $"Job {jobId} accepted.");
                return true;
            }

            // Accepted before: a duplicate when that run finished; a retry (the host redelivered after a crash) when it did not.
            var finished = await agent.ledger.ReadChainAsync(AgentId, cancellationToken)
                .Where(entry => entry.Seq > appended.Entry.Seq && entry.Kind == LedgerEntryKind.EventRecorded.ToWire())
                .Select(entry => LedgerJsonContext.Deserialize<EventRecordedPayload>(entry.Payload))
                .AnyAsync(payload => payload.Kind == AgentEventKinds.JobFinished && payload.Detail is { } detail
                    && detail.TryGetProperty("job_id", out var id) && id.GetString() == jobId, cancellationToken).ConfigureAwait(false);
            Step("job", finished ? "duplicate" : "job_resumed", finished
                ? $"Job {jobId} already ran (accepted as {appended.Entry.Id})."
                : $"Job {jobId} was accepted as {appended.Entry.Id} but never finished; running it again.");
            return !finished;
        }

        /// <summary>Runs one stage; null when it completed, else how the job ends.</summary>
        public async Task<JobOutcome?> StageAsync(JobStage stage, CancellationToken cancellationToken)
        {
            while (true)
            {
                var stopped = await GateAsync(stage, cancellationToken).ConfigureAwait(false);
                if (stopped is not null)
                {
                    return stopped;
                }

                await RecordAsync(AgentEventKinds.StageStarted, stage.Scope, null, cancellationToken).ConfigureAwait(false);
                try
                {
                    var line = await stage.RunAsync(cancellationToken).ConfigureAwait(false);
                    evidence.Add(line);
                    await RecordAsync(AgentEventKinds.StageCompleted, stage.Scope, "success", cancellationToken, ("evidence", line)).ConfigureAwait(false);
                    Step(stage.Scope, "stage_completed", line);
                    return null;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failures++;
                    await RecordAsync(AgentEventKinds.StageFailed, stage.Scope, "failure", cancellationToken, ("error", ex.GetType().Name), ("message", ex.Message)).ConfigureAwait(false);
                    Step(stage.Scope, "stage_failed", ex.Message);
                    if (ex is JobInputException)
                    {
                        return End(JobStatus.Failed, $"{stage.Scope} failed: {ex.Message}");
                    }

                    retries++;
                    await RecordAsync(AgentEventKinds.Retry, stage.Scope, null, cancellationToken, ("of", stage.Scope)).ConfigureAwait(false);
                    Step(stage.Scope, "retry", $"Retrying {stage.Scope} (attempt {failures + 1}).");
                }
            }
        }

        public JobOutcome End(JobStatus status, string detail) => new()
        {
            JobId = jobId,
            Status = status,
            Detail = detail,
            Steps = steps.ToList(),
            Evidence = evidence.ToList(),
        };

        public async Task FinishAsync(JobOutcome outcome, CancellationToken cancellationToken)
        {
            var status = outcome.Status.ToString().ToLowerInvariant();
            await RecordAsync(AgentEventKinds.JobFinished, null, status, cancellationToken, ("detail", outcome.Detail)).ConfigureAwait(false);
            Step("job", "job_finished", $"{status}: {outcome.Detail}");
        }

        private async Task<JobOutcome?> GateAsync(JobStage stage, CancellationToken cancellationToken)
        {
            var standing = await agent.self.AssessAsync(AgentId, failures, agent.options.MaxFailures, cancellationToken).ConfigureAwait(false);
            trust = standing.TrustScore;
            if (standing.HaltReason is { } haltReason)
            {
                return await HaltAsync(stage, haltReason, cancellationToken).ConfigureAwait(false);
            }

            // Verify the held token as a resource server would, including the live check of the grant its
            // elevation names: a revoked grant stops the job even when this stage would not need it.
            var authorization = await agent.authorizer.AuthorizeAsync(token, stage.Scope, cancellationToken).ConfigureAwait(false);
            var carried = authorization.Token?.Elevation;
            var held = carried is not { Scopes.Count: > 0 } || carried.Scopes.Contains(stage.Scope, StringComparer.Ordinal)
                ? authorization
                : await agent.authorizer.AuthorizeAsync(token, carried.Scopes[0], cancellationToken).ConfigureAwait(false);
            if (held.Code == ScopeAuthorizationCode.GrantInactive)
            {
                return await HaltAsync(stage, $"grant_revoked: {held.Detail}", cancellationToken).ConfigureAwait(false);
            }

            if (!authorization.IsAuthorized)
            {
                var obtained = await ObtainTokenAsync(stage, cancellationToken).ConfigureAwait(false);
                if (obtained is not null)
                {
                    return obtained;
                }

                authorization = await agent.authorizer.AuthorizeAsync(token, stage.Scope, cancellationToken).ConfigureAwait(false);
                if (!authorization.IsAuthorized)
                {
                    if (authorization.Code == ScopeAuthorizationCode.TokenInvalid)
                    {
                        await RecordAsync(AgentEventKinds.TokenVerificationFailed, stage.Scope, "failure", cancellationToken, ("reason", authorization.Detail)).ConfigureAwait(false);
                    }

                    await RecordAsync(AgentEventKinds.StageFailed, stage.Scope, "refused", cancellationToken, ("reason", JsonNamingPolicy.SnakeCaseLower.ConvertName(authorization.Code.ToString())), ("detail", authorization.Detail)).ConfigureAwait(false);
                    Step(stage.Scope, "refused", authorization.Detail);
                    return End(JobStatus.Refused, $"{stage.Scope} refused: {authorization.Detail}");
                }
            }

            var grantId = authorization.Token?.Elevation is { } elevation && elevation.Scopes.Contains(stage.Scope, StringComparer.Ordinal) ? elevation.GrantId : null;
            Step(stage.Scope, "gate_passed", authorization.Detail, grantId);
            return null;
        }

        /// <summary>Asks Auth0 for a token with the stage's scope (and a rationale for an elevated one); how the job ends, or null to go on.</summary>
        private async Task<JobOutcome?> ObtainTokenAsync(JobStage stage, CancellationToken cancellationToken)
        {
            string? rationaleJson = null;
            var elevated = agent.policy.Scopes.TryGetValue(stage.Scope, out var rule) && !rule.Baseline;
            if (elevated)
            {
                var rationale = await agent.writer.WriteAsync(new RationaleRequest(AgentId, stage.Scope, stage.Task, evidence.ToList(), failures, retries), cancellationToken).ConfigureAwait(false);
                rationaleJson = new JsonObject
                {
                    ["intent"] = rationale.Intent,
                    ["reason"] = rationale.Reason,
                    ["confidence"] = rationale.Confidence,
                }.ToJsonString();
                Step(stage.Scope, "elevation_requested", $"Asked for {stage.Scope} ({agent.writer.Kind} rationale, confidence {rationale.Confidence.ToString("0.00", CultureInfo.InvariantCulture)}): {rationale.Intent}.");
            }
            else
            {
                Step(stage.Scope, "token_requested", $"Asked for a token with {stage.Scope}.");
            }

            var scopes = AgentScopes.Append(stage.Scope).Distinct(StringComparer.Ordinal).ToList();
            var response = await agent.tokens.RequestAsync(scopes, rationaleJson, cancellationToken).ConfigureAwait(false);
            await RecordAsync(AgentEventKinds.ApiCall, stage.Scope, response.Issued ? "success" : "failure", cancellationToken, ("endpoint", "oauth/token")).ConfigureAwait(false);
            if (response.Issued)
            {
                token = response.AccessToken;
                return null;
            }

            var said = response.ErrorDescription ?? response.Error ?? "no reason given";
            if (string.Equals(response.Error, "access_denied", StringComparison.Ordinal))
            {
                return await HaltAsync(stage, $"token_refused: Auth0 refused the token ({said})", cancellationToken).ConfigureAwait(false);
            }

            await RecordAsync(AgentEventKinds.StageFailed, stage.Scope, "refused", cancellationToken, ("reason", response.Error ?? "token_refused"), ("detail", said)).ConfigureAwait(false);
            Step(stage.Scope, "refused", $"Auth0 issued no token: {said}");
            return End(JobStatus.Refused, $"{stage.Scope} refused: Auth0 issued no token ({said}).");
        }

        private async Task<JobOutcome> HaltAsync(JobStage stage, string reason, CancellationToken cancellationToken)
        {
            await RecordAsync(AgentEventKinds.AgentHalted, stage.Scope, "halted", cancellationToken, ("reason", reason)).ConfigureAwait(false);
            Step(stage.Scope, "halted", reason);
            return End(JobStatus.Halted, $"Halted before {stage.Scope}: {reason}");
        }

        private IEnumerable<string> AgentScopes => agent.policy.Scopes.Values.Where(rule => rule.Baseline).Select(rule => rule.Name);

        private Task<LedgerEntry> RecordAsync(string kind, string? scope, string? outcome, CancellationToken cancellationToken, params (string Name, string Value)[] detail) =>
            agent.observations.RecordEventAsync(
                AgentId,
                new AgentEvent(kind, scope, outcome, agent.time.GetUtcNow(), Detail([("job_id", jobId), .. detail])),
                EventSource,
                cancellationToken);

        private void Step(string stage, string kind, string detail, string? grantId = null)
        {
            var step = new AgentStep(jobId, stage, kind, detail, trust, grantId);
            steps.Add(step);
            onStep?.Invoke(step);
        }

        private static JsonElement Detail(params (string Name, string Value)[] fields)
        {
            var node = new JsonObject();
            foreach (var (name, value) in fields)
            {
                node[name] = value;
            }

            return JsonSerializer.SerializeToElement(node, AgentJsonContext.Default.JsonObject);
        }
    }
}
