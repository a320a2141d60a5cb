using Azure;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Http.Jobs;
using ReflexiveIdentity.Http.Settings;

namespace ReflexiveIdentity.Cli.Hosting;

/// <summary>
/// <c>reflexive serve</c> with <c>AgentOmega__Queue=storage</c>: drains <c>agent-jobs</c> as the Functions
/// host does. Each message runs through the shared handler and is deleted when handled; a failure makes it
/// visible again after <c>visibilityTimeout</c>, and on its <c>maxDequeueCount</c>-th attempt it is moved to
/// <c>agent-jobs-poison</c> and deleted.
/// </summary>
public sealed partial class StorageAgentJobWorker(StorageAgentJobs jobs, AgentJobHandler handler, AgentJobSettings settings, TimeProvider time, ILogger<StorageAgentJobWorker> logger) : BackgroundService
{
    /// <summary>How long a taken message stays invisible to others while its job runs.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>The wait between polls of an empty queue.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private List<TaskCompletionSource> drainWaiters = [];

    /// <summary>Completes at the first poll, begun after this call, that finds the queue empty (for tests and the demo).</summary>
    public Task WhenDrainedAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            drainWaiters.Add(waiter);
        }

        return waiter.Task;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            List<TaskCompletionSource> waiters;
            lock (gate)
            {
                (waiters, drainWaiters) = (drainWaiters, []);
            }

            IReadOnlyList<QueueMessage> messages;
            try
            {
                messages = await jobs.ReceiveAsync(4, Lease, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsStorageFailure(ex))
            {
                ReceiveFailed(logger, ex);
                lock (gate)
                {
                    drainWaiters.AddRange(waiters);
                }

                await Task.Delay(PollInterval, time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            if (messages.Count == 0)
            {
                waiters.ForEach(waiter => waiter.TrySetResult());
                await Task.Delay(PollInterval, time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            lock (gate)
            {
                drainWaiters.AddRange(waiters);
            }

            foreach (var message in messages)
            {
                try
                {
                    await HandleAsync(message, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsStorageFailure(ex))
                {
                    // The message becomes visible again when its lease ends and is tried once more.
                    SettleFailed(logger, message.MessageId, ex);
                }
            }
        }
    }

    private async Task HandleAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        var text = message.Body.ToString();
        try
        {
            await handler.HandleAsync(text, message.DequeueCount, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                await jobs.PoisonAsync(text, stoppingToken).ConfigureAwait(false);
                await jobs.DeleteAsync(message, stoppingToken).ConfigureAwait(false);
                MovedToPoison(logger, message.MessageId, message.DequeueCount, ex.GetType().Name);
            }
            else
            {
                await jobs.ReleaseAsync(message, settings.RetryDelay, stoppingToken).ConfigureAwait(false);
            }

            return;
        }

        await jobs.DeleteAsync(message, stoppingToken).ConfigureAwait(false);
    }

    private static bool IsStorageFailure(Exception ex) => ex is RequestFailedException or HttpRequestException or AggregateException;

    [LoggerMessage(EventId = 2112, Level = LogLevel.Warning, Message = "Could not delete, release or poison message {MessageId} on agent-jobs; it returns when its lease ends")]
    private static partial void SettleFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "Could not read agent-jobs; trying again")]
    private static partial void ReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Error, Message = "Message {MessageId} failed on attempt {Attempt} ({Error}) and was moved to agent-jobs-poison")]
    private static partial void MovedToPoison(ILogger logger, string messageId, long attempt, string error);
}
