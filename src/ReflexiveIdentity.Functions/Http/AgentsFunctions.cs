using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReflexiveIdentity.Http.Endpoints;

namespace ReflexiveIdentity.Functions.Http;

/// <summary><c>GET /api/v1/agents</c> and <c>GET /api/v1/agents/{agent_id}</c>.</summary>
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
}
