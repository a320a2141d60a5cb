using ReflexiveIdentity.Elevation;

namespace ReflexiveIdentity.Reasoning;

/// <summary>
/// Writes an agent's rationale for an elevated scope from what it has done and found so far, with a
/// confidence that reflects that evidence (failures and retries lower it; it is never inflated).
/// </summary>
public interface IRationaleWriter
{
    /// <summary>What kind of writer this is: <c>deterministic</c> or <c>openai</c>.</summary>
    string Kind { get; }

    /// <summary>Writes the rationale for <paramref name="request"/>.</summary>
    Task<Rationale> WriteAsync(RationaleRequest request, CancellationToken cancellationToken);
}

/// <summary>What the agent knows when it asks for a scope.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Scope">The elevated scope it needs.</param>
/// <param name="Task">What the stage will do, in one sentence (e.g. "Generate the operational report for ops-logs.jsonl").</param>
/// <param name="Evidence">Facts from the stages so far (e.g. "read 2,000 log lines from 6 services, 3.1% errors").</param>
/// <param name="Failures">Failed attempts so far in this job.</param>
/// <param name="Retries">Retries so far in this job.</param>
public sealed record RationaleRequest(string AgentId, string Scope, string Task, IReadOnlyList<string> Evidence, int Failures, int Retries);
