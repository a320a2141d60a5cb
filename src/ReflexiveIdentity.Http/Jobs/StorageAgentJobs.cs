using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ReflexiveIdentity.Adapters.Queues;
using ReflexiveIdentity.Omega;

namespace ReflexiveIdentity.Http.Jobs;

/// <summary>
/// agent_omega's jobs on storage queues: <c>agent-jobs</c>, which the <c>AgentOmegaWorker</c> function (or
/// <c>reflexive serve</c>'s storage worker) drains, and <c>agent-jobs-poison</c> for messages that cannot
/// run. Messages are the job's JSON, Base64-encoded as the Functions queue trigger expects.
/// </summary>
public sealed class StorageAgentJobs : IAgentJobs
{
    /// <summary>The jobs queue.</summary>
    public const string QueueName = "agent-jobs";

    /// <summary>Where messages go that cannot run; the Functions host's name for it (<c>{queue}-poison</c>).</summary>
    public const string PoisonQueueName = QueueName + "-poison";

    private readonly QueueClient jobs;
    private readonly QueueClient poison;
    private Task? created;

    /// <summary>Uses <paramref name="jobs"/> and <paramref name="poison"/> (both created on first use).</summary>
    public StorageAgentJobs(QueueClient jobs, QueueClient poison)
    {
        this.jobs = jobs;
        this.poison = poison;
    }

    /// <summary><paramref name="queueName"/> (the Functions host's is always <see cref="QueueName"/>) and its <c>-poison</c> queue in <paramref name="storage"/>.</summary>
    public StorageAgentJobs(QueueStorage storage, string queueName = QueueName)
        : this(storage.Open(queueName), storage.Open(queueName + "-poison"))
    {
    }

    /// <inheritdoc />
    public async Task EnqueueAsync(AgentJob job, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await jobs.SendMessageAsync(AgentJobMessage.Serialize(job), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task PoisonAsync(string message, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await poison.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes up to <paramref name="maxMessages"/> messages, invisible to others for <paramref name="lease"/>.</summary>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(int maxMessages, TimeSpan lease, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var received = await jobs.ReceiveMessagesAsync(maxMessages, lease, cancellationToken).ConfigureAwait(false);
        return received.Value;
    }

    /// <summary>Removes a message that was handled.</summary>
    public Task DeleteAsync(QueueMessage message, CancellationToken cancellationToken) =>
        jobs.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);

    /// <summary>Lets a message that failed be taken again after <paramref name="delay"/> (the retry).</summary>
    public Task ReleaseAsync(QueueMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
        jobs.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken);

    private Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var creating = created ??= CreateAsync();
        if (creating.IsFaulted || creating.IsCanceled)
        {
            // A failed creation (storage unreachable) is tried again on the next call, not cached forever.
            created = null;
        }

        return creating.WaitAsync(cancellationToken);
    }

    private async Task CreateAsync()
    {
        await jobs.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        await poison.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
    }
}
