using Microsoft.Azure.Functions.Worker;
using ReflexiveIdentity.Adapters.Queues;
using ReflexiveIdentity.Integrity;

namespace ReflexiveIdentity.Functions.Queues;

/// <summary>
/// The immediate response: one agent whose evidence changed, from the <c>agent-integrity</c> queue. A
/// failure throws, so the message is retried and ends in <c>agent-integrity-poison</c>; the ledger keeps
/// the evidence either way and the next sweep finishes the work.
/// </summary>
public sealed class IntegrityResponderFunction(ImmuneResponse immune)
{
    [Function("IntegrityResponder")]
    public Task Run([QueueTrigger(QueueIntegrityTrigger.QueueName)] string agentId, CancellationToken cancellationToken) =>
        immune.RespondAsync(agentId.Trim(), cancellationToken);
}
