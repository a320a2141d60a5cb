using Microsoft.AspNetCore.Http;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Http.Settings;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary><c>GET /api/health</c> (no auth): liveness and the state of each dependency, without secrets.</summary>
public sealed class HealthEndpoint
{
    private readonly ILedger ledger;
    private readonly ElevationPolicy policy;
    private readonly ServiceSettings settings;

    public HealthEndpoint(ILedger ledger, ElevationPolicy policy, ServiceSettings settings)
    {
        this.ledger = ledger;
        this.policy = policy;
        this.settings = settings;
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
            ["auth0"] = settings.Auth0.IsConfigured
                ? new("configured", $"tokens from {settings.Auth0.Authority} for {settings.Auth0.Audience}")
                : new("not_configured", $"admin routes are off: {Auth0Settings.MissingSettingsMessage}"),
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
