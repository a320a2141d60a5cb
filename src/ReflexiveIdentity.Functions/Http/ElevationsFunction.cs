using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReflexiveIdentity.Http.Endpoints;

namespace ReflexiveIdentity.Functions.Http;

/// <summary><c>POST /api/v1/elevations</c>, the webhook; the handler writes the response.</summary>
public sealed class ElevationsFunction(ElevationEndpoint endpoint)
{
    [Function("Elevations")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/elevations")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.HandleAsync(request.HttpContext, cancellationToken));
}
