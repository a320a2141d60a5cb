using Microsoft.AspNetCore.Http;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Http.Security;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary><c>GET /api/health</c> (no auth): liveness and the state of each dependency, without secrets.</summary>
public sealed class HealthEndpoint
{
    private readonly ILedger ledger;
    private readonly ElevationPolicy policy;
    private readonly AdminAuthorization admin;

    public HealthEndpoint(ILedger ledger, ElevationPolicy policy, AdminAuthorization admin)
    {
        this.ledger = ledger;
        this.policy = policy;
        this.admin = admin;
    }

    /// <summary>200 when the ledger answers, 503 otherwise.</summary>
    public async Task CheckAsync(HttpContext context, CancellationToken cancellationToken)
    {
        HealthCheckBody ledgerCheck;
        try
        {
            await ledger.PingAsync(cancellationToken).ConfigureAwait(false);
            ledgerCheck = new HealthCheckBody("healthy", "the ledger answers");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ledgerCheck = new HealthCheckBody("unhealthy", $"the ledger does not answer ({ex.GetType().Name})");
        }

        var checks = new Dictionary<string, HealthCheckBody>
        {
            ["ledger"] = ledgerCheck,
            ["policy"] = new("healthy", $"{policy.Document.Scopes.Count} scopes, trust threshold {policy.Document.TrustThreshold}"),
            ["admin"] = admin.IsConfigured ? new("healthy", "admin routes on (interim bearer key)") : new("disabled", "set Admin__ApiKey to enable admin routes"),
            ["auth0"] = new("not_configured", "token validation and Management API writes are not part of this build yet"),
        };
        var healthy = ledgerCheck.Status == "healthy";
        await ResponseWriter.WriteJsonAsync(
            context.Response,
            healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
            new HealthBody(healthy ? "healthy" : "unhealthy", checks),
            ReflexiveJsonContext.Default.HealthBody,
            cancellationToken).ConfigureAwait(false);
    }
}
