using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReflexiveIdentity.Http.Endpoints;

namespace ReflexiveIdentity.Functions.Http;

/// <summary><c>GET /api/v1/agents</c>, <c>GET /api/v1/agents/{agent_id}</c> and <c>POST /api/v1/agents/{agent_id}/restore</c>.</summary>
public sealed class AgentsFunctions(AgentsEndpoint endpoint)
{
    [Function("ListAgents")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/agents")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.ListAsync(request.HttpContext, cancellationToken));

    [Function("GetAgent")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/agents/{agentId}")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.GetAsync(request.HttpContext, agentId, cancellationToken));

    [Function("RestoreAgent")]
    public Task<IActionResult> Restore(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/agents/{agentId}/restore")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.RestoreAsync(request.HttpContext, agentId, cancellationToken));
}
