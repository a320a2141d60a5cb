using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReflexiveIdentity.Http.Endpoints;

namespace ReflexiveIdentity.Functions.Http;

/// <summary>
/// <c>GET /api/dashboard</c> and its assets (anonymous: static files with nothing secret in them, so a
/// browser can load them without a function key) and <c>GET /api/v1/dashboard</c>, the admin snapshot the
/// page polls (function key, sent by the page as <c>x-functions-key</c>, plus the operator token).
/// </summary>
public sealed class DashboardFunctions(DashboardEndpoint endpoint)
{
    [Function("DashboardPage")]
    public Task<IActionResult> Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.PageAsync(request.HttpContext, cancellationToken));

    [Function("DashboardAsset")]
    public Task<IActionResult> Asset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{asset}")] HttpRequest request,
        string asset,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.AssetAsync(request.HttpContext, asset, cancellationToken));

    [Function("DashboardSnapshot")]
    public Task<IActionResult> Snapshot(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/dashboard")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HandledResult.After(endpoint.SnapshotAsync(request.HttpContext, cancellationToken));
}
