namespace ReflexiveIdentity.Omega;

/// <summary>Runs one agent_omega job through its gated stages: what the queue worker, the jobs route and <c>reflexive agent run</c> call.</summary>
public interface IAgentJobRunner
{
    /// <summary>Runs <paramref name="job"/>; <paramref name="onStep"/> sees each step. Throws only for infrastructure failures (ledger unreachable); job-level problems end in the outcome.</summary>
    Task<JobOutcome> RunAsync(AgentJob job, Action<AgentStep>? onStep, CancellationToken cancellationToken);
}
