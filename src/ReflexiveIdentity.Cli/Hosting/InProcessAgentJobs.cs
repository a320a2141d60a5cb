using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Omega;
using ReflexiveIdentity.Http.Jobs;
using ReflexiveIdentity.Http.Settings;

namespace ReflexiveIdentity.Cli.Hosting;

/// <summary>
/// <c>reflexive serve</c>'s default <c>agent-jobs</c> queue: jobs wait in the process and run one at a time
/// through the same handler as the Functions worker, with the same retries (<c>maxDequeueCount</c>
/// attempts, <c>visibilityTimeout</c> apart). A job that fails every attempt is kept in
/// <see cref="Poisoned"/> (the in-process <c>agent-jobs-poison</c>) and logged; queued jobs do not outlive the process.
/// </summary>
public sealed partial class InProcessAgentJobs(IServiceProvider services, AgentJobSettings settings, TimeProvider time, ILogger<InProcessAgentJobs> logger) : BackgroundService, IAgentJobs
{
    private readonly Channel<string> queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<string> poisoned = [];
    private readonly Lock gate = new();
    private int pending;
    private TaskCompletionSource idle = CompletedIdle();

    /// <summary>Messages that went to the poison side, oldest first.</summary>
    public IReadOnlyList<string> Poisoned
    {
        get
        {
            lock (gate)
            {
                return [.. poisoned];
            }
        }
    }

    /// <inheritdoc />
    public Task EnqueueAsync(AgentJob job, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (pending++ == 0)
            {
                idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        queue.Writer.TryWrite(AgentJobMessage.Serialize(job));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PoisonAsync(string message, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            poisoned.Add(message);
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes when every queued job has run or been poisoned (for tests and the demo: no sleeping).</summary>
    public Task WhenIdleAsync()
    {
        lock (gate)
        {
            return idle.Task;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RunAsync(message, stoppingToken).ConfigureAwait(false);
            }
            finally
            {
                lock (gate)
                {
                    if (--pending == 0)
                    {
                        idle.TrySetResult();
                    }
                }
            }
        }
    }

    private async Task RunAsync(string message, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Resolved per job, not injected: the handler poisons through this queue.
                await services.GetRequiredService<AgentJobHandler>().HandleAsync(message, attempt, stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (attempt >= settings.MaxDequeueCount)
                {
                    await PoisonAsync(message, stoppingToken).ConfigureAwait(false);
                    GaveUp(logger, attempt, ex.GetType().Name);
                    return;
                }
            }

            await Task.Delay(settings.RetryDelay, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource CompletedIdle()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Error, Message = "A job failed {Attempts} times ({Error}) and went to the in-process poison list")]
    private static partial void GaveUp(ILogger logger, int attempts, string error);
}
