using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Http.Dashboard;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary>
/// The operator dashboard: the page and its assets (no auth: static, nothing secret in them) and the
/// snapshot they poll, <c>GET /api/v1/dashboard</c> (admin). The page reads the operator token from its
/// URL fragment or a form, never from the server.
/// </summary>
public sealed class DashboardEndpoint(IntegrityDashboard dashboard, DashboardAssets assets, AdminGate gate, EndpointGuard guard)
{
    /// <summary>The page route.</summary>
    public const string PageRoute = "GET /api/dashboard";

    /// <summary>The asset route.</summary>
    public const string AssetRoute = "GET /api/dashboard/{asset}";

    /// <summary>The snapshot route as recorded.</summary>
    public const string SnapshotRoute = "GET /api/v1/dashboard";

    // Scripts, styles and requests only from this origin; the token never leaves through a referrer or a frame.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>Serves the page; a trailing slash is redirected away so the page's relative asset and API paths resolve.</summary>
    public Task PageAsync(HttpContext context, CancellationToken cancellationToken) => guard.RunAsync(context, PageRoute, () =>
    {
        var path = context.Request.PathBase.Add(context.Request.Path).Value ?? string.Empty;
        if (path.Length > 1 && path.EndsWith('/'))
        {
            context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = path.TrimEnd('/') + context.Request.QueryString;
            return Task.CompletedTask;
        }

        return WriteAssetAsync(context, assets.Find(DashboardAssets.Page)!, cancellationToken);
    });

    /// <summary>Serves <c>dashboard.css</c> or <c>dashboard.js</c>; anything else is 404.</summary>
    public Task AssetAsync(HttpContext context, string asset, CancellationToken cancellationToken) => guard.RunAsync(context, AssetRoute, async () =>
    {
        var found = asset == DashboardAssets.Page ? null : assets.Find(asset);
        if (found is null)
        {
            await ResponseWriter.WriteProblemAsync(context.Response, Problems.Problems.DashboardAssetNotFound(asset), null, cancellationToken).ConfigureAwait(false);
            return;
        }

        await WriteAssetAsync(context, found, cancellationToken).ConfigureAwait(false);
    });

    /// <summary>The snapshot the page polls: agents, scopes, grants, trust over time and the timeline.</summary>
    public Task SnapshotAsync(HttpContext context, CancellationToken cancellationToken) => guard.RunAsync(context, SnapshotRoute, async () =>
    {
        if (await gate.AdmitAsync(context, SnapshotRoute, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        var snapshot = await dashboard.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        await ResponseWriter.WriteJsonAsync(context.Response, StatusCodes.Status200OK, snapshot, ReflexiveJsonContext.Default.DashboardBody, cancellationToken).ConfigureAwait(false);
    });

    private static async Task WriteAssetAsync(HttpContext context, DashboardAsset asset, CancellationToken cancellationToken)
    {
        var response = context.Response;
        var headers = response.Headers;
        // Revalidate every time (the ETag makes that a 304): a new build's page and script never mix with old ones.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        await response.Body.WriteAsync(asset.Content, cancellationToken).ConfigureAwait(false);
    }
}
