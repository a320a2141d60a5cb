namespace ReflexiveIdentity.Omega;

/// <summary>
/// The <c>agent-jobs</c> queue: what the jobs route puts work on and the worker takes it from. A storage
/// queue in the Functions host (and in <c>reflexive serve</c> with <c>AgentOmega__Queue=storage</c>); an
/// in-process queue in <c>reflexive serve</c> by default.
/// </summary>
public interface IAgentJobs
{
    /// <summary>Puts <paramref name="job"/> on <c>agent-jobs</c> as its <see cref="AgentJobMessage"/> JSON.</summary>
    Task EnqueueAsync(AgentJob job, CancellationToken cancellationToken);

    /// <summary>Puts a message that can never run (or ran out of attempts) on <c>agent-jobs-poison</c>, unchanged.</summary>
    Task PoisonAsync(string message, CancellationToken cancellationToken);
}
