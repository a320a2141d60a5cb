using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReflexiveIdentity.Http.Endpoints;

namespace ReflexiveIdentity.Functions.Http;

/// <summary><c>POST /api/v1/agents/{agent_id}/events</c> and <c>/signals</c>.</summary>
public sealed class AgentActivityFunctions(AgentActivityEndpoint endpoint)
{
    [Function("RecordAgentEvent")]
    public Task<IActionResult> Events(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/agents/{agentId}/events")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.RecordEventAsync(request.HttpContext, agentId, cancellationToken));

    [Function("RecordAgentSignal")]
    public Task<IActionResult> Signals(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/agents/{agentId}/signals")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.RecordSignalAsync(request.HttpContext, agentId, cancellationToken));
}
