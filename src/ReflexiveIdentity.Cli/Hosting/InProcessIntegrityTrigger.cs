using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Integrity;

namespace ReflexiveIdentity.Cli.Hosting;

/// <summary>
/// The CLI host's immediate response: agents whose evidence changed go on an in-process queue that a
/// background service drains, running the immune response for each (the Functions host uses a storage
/// queue and a queue-triggered function instead). Repeated requests for one agent while it waits collapse.
/// </summary>
public sealed partial class InProcessIntegrityTrigger(ImmuneResponse immune, ILogger<InProcessIntegrityTrigger> logger) : BackgroundService, IIntegrityTrigger
{
    private readonly Channel<string> queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> waiting = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private int pending;
    private TaskCompletionSource idle = CompletedIdle();

    /// <inheritdoc />
    public Task EvidenceChangedAsync(string agentId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!waiting.Add(agentId))
            {
                return Task.CompletedTask;
            }

            if (pending++ == 0)
            {
                idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        queue.Writer.TryWrite(agentId);
        return Task.CompletedTask;
    }

    /// <summary>Completes when every queued response has run (for tests and the demo: no sleeping).</summary>
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
        await foreach (var agentId in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            lock (gate)
            {
                waiting.Remove(agentId);
            }

            try
            {
                var response = await immune.RespondAsync(agentId, stoppingToken).ConfigureAwait(false);
                if (response.Quarantined)
                {
                    Quarantined(logger, agentId, response.Score);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The ledger keeps the evidence; the next sweep finishes what failed here.
                ResponseFailed(logger, agentId, ex);
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

    private static TaskCompletionSource CompletedIdle()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "Immediate response quarantined {AgentId} (trust {TrustScore})")]
    private static partial void Quarantined(ILogger logger, string agentId, double trustScore);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Immediate response for {AgentId} failed; the next sweep will finish it")]
    private static partial void ResponseFailed(ILogger logger, string agentId, Exception exception);
}
