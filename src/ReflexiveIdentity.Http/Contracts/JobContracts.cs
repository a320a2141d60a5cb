namespace ReflexiveIdentity.Http.Contracts;

/// <summary>Body of <c>POST /api/v1/agents/{agent_id}/jobs</c>.</summary>
/// <param name="JobId">The caller's id for the job (a job runs at most once per id); <c>job_&lt;guid&gt;</c> when absent.</param>
/// <param name="Dataset">The JSON Lines log file to analyse.</param>
/// <param name="Report">The report's name.</param>
/// <param name="Destination">Where the report goes: a folder, an https:// URL or <c>blob:CONTAINER[/prefix]</c>.</param>
public sealed record JobRequestBody(string? JobId, string? Dataset, string? Report, string? Destination);

/// <summary>The answer (202) of the jobs route: the job is on the queue.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="AgentId">The agent that will run it.</param>
/// <param name="Queue">The queue it is on: <c>agent-jobs</c>.</param>
/// <param name="Status"><c>queued</c>.</param>
/// <param name="EntryId">The ledger entry that recorded the request (<c>job_queued</c> on the agent's chain).</param>
public sealed record JobAcceptedBody(string JobId, string AgentId, string Queue, string Status, string EntryId);
