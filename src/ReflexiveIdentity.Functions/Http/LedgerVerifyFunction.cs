using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReflexiveIdentity.Http.Endpoints;

namespace ReflexiveIdentity.Functions.Http;

/// <summary><c>GET /api/v1/ledger/verify</c>.</summary>
public sealed class LedgerVerifyFunction(LedgerEndpoint endpoint)
{
    [Function("LedgerVerify")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/ledger/verify")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.VerifyAsync(request.HttpContext, cancellationToken));
}
