using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using ReflexiveIdentity.Http.Jobs;

namespace ReflexiveIdentity.Functions.Queues;

/// <summary>
/// agent_omega's worker: one job from <c>agent-jobs</c> (the host decodes the Base64 message). A message
/// that is no job is moved to <c>agent-jobs-poison</c> by the handler; a runner failure throws, so the host
/// retries it up to host.json's <c>maxDequeueCount</c> and then moves it to <c>agent-jobs-poison</c>.
/// </summary>
public sealed class AgentJobFunction(AgentJobHandler handler)
{
    [Function("AgentOmegaWorker")]
    public Task Run([QueueTrigger(StorageAgentJobs.QueueName, Connection = "AzureWebJobsStorage")] QueueMessage message, CancellationToken cancellationToken) =>
        handler.HandleAsync(message.Body.ToString(), message.DequeueCount, cancellationToken);
}
