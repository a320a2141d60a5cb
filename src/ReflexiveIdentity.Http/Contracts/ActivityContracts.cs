using System.Text.Json;

namespace ReflexiveIdentity.Http.Contracts;

/// <summary>Body of <c>POST /api/v1/agents/{agent_id}/events</c>.</summary>
public sealed record AgentEventBody
{
    /// <summary><c>stage_started</c>, <c>stage_completed</c>, <c>stage_failed</c>, <c>api_call</c>, <c>retry</c>, <c>token_verification_failed</c>, <c>job_started</c>, <c>job_finished</c> or <c>agent_halted</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>The stage's scope (stage events).</summary>
    public string? Scope { get; init; }

    /// <summary><c>success</c> or <c>failure</c>.</summary>
    public string? Outcome { get; init; }

    /// <summary>When it happened, ISO-8601; may be in the past, not in the future.</summary>
    public string? At { get; init; }

    /// <summary>Structured detail: <c>endpoint</c> (api_call), <c>of</c> (retry), <c>reason</c> (token_verification_failed), optional <c>job_id</c>.</summary>
    public JsonElement? Detail { get; init; }
}

/// <summary>Body of <c>POST /api/v1/agents/{agent_id}/signals</c>.</summary>
public sealed record AgentSignalBody(string? Source, string? Kind, double? Severity, string? Detail);

/// <summary>The answer (202) of the events and signals routes.</summary>
public sealed record RecordedBody(string EntryId);
