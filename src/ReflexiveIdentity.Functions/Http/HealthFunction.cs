using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReflexiveIdentity.Http.Endpoints;

namespace ReflexiveIdentity.Functions.Http;

/// <summary><c>GET /api/health</c>, anonymous so that probes need no key.</summary>
public sealed class HealthFunction(HealthEndpoint endpoint)
{
    [Function("Health")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.CheckAsync(request.HttpContext, cancellationToken));
}
