using Azure;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Agents;

namespace ReflexiveIdentity.Adapters.Queues;

/// <summary>
/// The Functions host's immediate response: a message naming the agent on the <c>agent-integrity</c>
/// queue, which a queue-triggered function turns into an immune response within seconds. Messages are
/// Base64, as the Functions queue trigger expects by default.
/// </summary>
public sealed partial class QueueIntegrityTrigger : IIntegrityTrigger
{
    /// <summary>The queue's name.</summary>
    public const string QueueName = "agent-integrity";

    private readonly QueueClient queue;
    private readonly ILogger<QueueIntegrityTrigger> logger;
    private Task? created;

    /// <summary>Uses <paramref name="queue"/> (created on first use).</summary>
    public QueueIntegrityTrigger(QueueClient queue, ILogger<QueueIntegrityTrigger> logger)
    {
        this.queue = queue;
        this.logger = logger;
    }

    /// <summary>
    /// The queue in the function app's storage: <c>AzureWebJobsStorage</c> as a connection string, or
    /// identity-based through <c>AzureWebJobsStorage__queueServiceUri</c> / <c>__accountName</c>.
    /// </summary>
    public static QueueIntegrityTrigger FromStorageSettings(string? connectionString, string? queueServiceUri, string? accountName, ILogger<QueueIntegrityTrigger> logger) =>
        new(new QueueStorage(connectionString, queueServiceUri, accountName).Open(QueueName), logger);

    /// <inheritdoc />
    public async Task EvidenceChangedAsync(string agentId, CancellationToken cancellationToken)
    {
        try
        {
            await (created ??= queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None)).WaitAsync(cancellationToken).ConfigureAwait(false);
            await queue.SendMessageAsync(agentId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or AuthenticationFailedException or HttpRequestException or AggregateException)
        {
            // The evidence is in the ledger; the scheduled sweep will assess the agent.
            created = null;
            EnqueueFailed(logger, agentId, QueueName, ex);
        }
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "Could not queue {AgentId} on {Queue} for the immediate response; the next sweep will assess it")]
    private static partial void EnqueueFailed(ILogger logger, string agentId, string queue, Exception exception);
}
