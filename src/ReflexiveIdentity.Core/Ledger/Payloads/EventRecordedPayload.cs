using System.Text.Json;

namespace ReflexiveIdentity.Ledger.Payloads;

/// <summary>
/// What an <c>event_recorded</c> entry holds. <c>kind</c> is one of <see cref="AgentEventKinds"/>; for stage
/// events <c>scope</c> is the stage's scope; <c>detail</c> is the agent's own structured detail
/// (<c>endpoint</c> for <c>api_call</c>, <c>of</c> for <c>retry</c>, <c>reason</c> for <c>token_verification_failed</c>,
/// optionally <c>job_id</c>).
/// </summary>
public sealed record EventRecordedPayload
{
    /// <summary>The event kind.</summary>
    public required string Kind { get; init; }

    /// <summary>The stage's scope, for stage events.</summary>
    public string? Scope { get; init; }

    /// <summary><c>success</c> or <c>failure</c> where it applies.</summary>
    public string? Outcome { get; init; }

    /// <summary>Free-form detail from the agent, as given.</summary>
    public JsonElement? Detail { get; init; }

    /// <summary>Where it came from: <c>api</c> (the events route) or <c>agent_omega</c> (recorded in-process).</summary>
    public required string Source { get; init; }
}

/// <summary>The event kinds the events route accepts.</summary>
public static class AgentEventKinds
{
    /// <summary>A stage began (<c>scope</c> = the stage's scope).</summary>
    public const string StageStarted = "stage_started";

    /// <summary>A stage finished.</summary>
    public const string StageCompleted = "stage_completed";

    /// <summary>A stage failed.</summary>
    public const string StageFailed = "stage_failed";

    /// <summary>An outbound API call (<c>detail.endpoint</c>, <c>outcome</c>).</summary>
    public const string ApiCall = "api_call";

    /// <summary>Something was retried (<c>detail.of</c>).</summary>
    public const string Retry = "retry";

    /// <summary>The agent's own token failed verification (<c>detail.reason</c>).</summary>
    public const string TokenVerificationFailed = "token_verification_failed";

    /// <summary>An operator put a job on the <c>agent-jobs</c> queue (<c>detail.job_id</c>, <c>detail.by</c>); recorded by the jobs route, not accepted from agents.</summary>
    public const string JobQueued = "job_queued";

    /// <summary>A job was accepted (<c>detail.job_id</c>); recorded once per job id.</summary>
    public const string JobStarted = "job_started";

    /// <summary>A job ended (<c>outcome</c> = completed, halted, refused or failed).</summary>
    public const string JobFinished = "job_finished";

    /// <summary>The agent stopped itself because its integrity was in doubt (<c>detail.reason</c>).</summary>
    public const string AgentHalted = "agent_halted";

    /// <summary>Every accepted kind.</summary>
    public static readonly IReadOnlyList<string> All = [StageStarted, StageCompleted, StageFailed, ApiCall, Retry, TokenVerificationFailed, JobStarted, JobFinished, AgentHalted];

    /// <summary>The kinds that name a stage scope.</summary>
    public static readonly IReadOnlyList<string> Stages = [StageStarted, StageCompleted, StageFailed];
}
