using System.Collections.Concurrent;
using ReflexiveIdentity.Omega;

namespace ReflexiveIdentity.Testing;

/// <summary>
/// A job runner for the queue mechanics: records every call, runs a job id once (a repeat is
/// <see cref="JobStatus.Duplicate"/>, as agent_omega answers), and throws while <see cref="FailuresLeft"/> is above zero.
/// </summary>
public sealed class RecordingJobRunner : IAgentJobRunner
{
    private readonly ConcurrentQueue<AgentJob> calls = new();
    private readonly ConcurrentDictionary<string, bool> ran = new(StringComparer.Ordinal);
    private int failuresLeft;

    /// <summary>Every job the runner was asked to run, in order (retries included).</summary>
    public IReadOnlyList<AgentJob> Calls => [.. calls];

    /// <summary>How many calls still throw, as an unreachable ledger would.</summary>
    public int FailuresLeft
    {
        get => Volatile.Read(ref failuresLeft);
        set => Volatile.Write(ref failuresLeft, value);
    }

    public Task<JobOutcome> RunAsync(AgentJob job, Action<AgentStep>? onStep, CancellationToken cancellationToken)
    {
        calls.Enqueue(job);
        if (Interlocked.Decrement(ref failuresLeft) >= 0)
        {
            throw new InvalidOperationException("The ledger is unreachable (test runner).");
        }

        Interlocked.Exchange(ref failuresLeft, 0);
        var status = ran.TryAdd(job.JobId, true) ? JobStatus.Completed : JobStatus.Duplicate;
        return Task.FromResult(new JobOutcome { JobId = job.JobId, Status = status, Detail = status.ToString(), Steps = [], Evidence = [] });
    }
}
