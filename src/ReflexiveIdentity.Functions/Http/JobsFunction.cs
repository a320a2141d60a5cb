using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReflexiveIdentity.Http.Endpoints;

namespace ReflexiveIdentity.Functions.Http;

/// <summary><c>POST /api/v1/agents/{agent_id}/jobs</c>: enqueue an agent_omega job (admin).</summary>
public sealed class JobsFunction(JobsEndpoint endpoint)
{
    [Function("EnqueueAgentJob")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/agents/{agentId}/jobs")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.EnqueueAsync(request.HttpContext, agentId, cancellationToken));
}
