using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReflexiveIdentity.Http.Endpoints;

namespace ReflexiveIdentity.Functions.Http;

/// <summary><c>GET /api/v1/grants/{grant_id}</c>.</summary>
public sealed class GrantFunction(GrantsEndpoint endpoint)
{
    [Function("GetGrant")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/grants/{grantId}")] HttpRequest request,
        string grantId,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.GetAsync(request.HttpContext, grantId, cancellationToken));
}
