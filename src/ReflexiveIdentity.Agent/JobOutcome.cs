namespace ReflexiveIdentity.Omega;

/// <summary>How a job ended.</summary>
public enum JobStatus
{
    /// <summary>Every stage ran.</summary>
    Completed,

    /// <summary>The agent stopped itself: its integrity was in doubt (trust, quarantine, a revoked grant, repeated failures, Auth0 refused it).</summary>
    Halted,

    /// <summary>A stage's scope was not granted, so the stage did not run.</summary>
    Refused,

    /// <summary>The job's input was wrong; nothing to retry.</summary>
    Failed,

    /// <summary>A job with this id ran before; it was not run again.</summary>
    Duplicate,
}

/// <summary>What happened at one point of a job, for the ledger's reader and the terminal.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Stage">The stage's scope, or <c>job</c>.</param>
/// <param name="Kind">What happened: <c>gate_passed</c>, <c>token_requested</c>, <c>stage_completed</c>, <c>stage_failed</c>, <c>refused</c>, <c>halted</c>, ...</param>
/// <param name="Detail">A sentence saying exactly what.</param>
/// <param name="TrustScore">The agent's own trust score at that point, when it looked.</param>
/// <param name="GrantId">The grant the stage ran under, for elevated stages.</param>
public sealed record AgentStep(string JobId, string Stage, string Kind, string Detail, double? TrustScore, string? GrantId);

/// <summary>The end of a job.</summary>
public sealed record JobOutcome
{
    public required string JobId { get; init; }

    public required JobStatus Status { get; init; }

    /// <summary>Why it ended this way.</summary>
    public required string Detail { get; init; }

    /// <summary>Every step, in order.</summary>
    public required IReadOnlyList<AgentStep> Steps { get; init; }

    /// <summary>Each completed stage's evidence line, in order (the last is where the report went).</summary>
    public required IReadOnlyList<string> Evidence { get; init; }
}
