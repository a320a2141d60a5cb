using Microsoft.AspNetCore.Http;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary><c>GET /api/v1/grants/{grant_id}</c> (admin): whether a grant is active, expired or revoked, for resource servers.</summary>
public sealed class GrantsEndpoint
{
    /// <summary>The route as recorded.</summary>
    public const string Route = "GET /api/v1/grants/{grant_id}";

    private readonly ILedger ledger;
    private readonly AdminGate gate;
    private readonly EndpointGuard guard;
    private readonly TimeProvider time;

    public GrantsEndpoint(ILedger ledger, AdminGate gate, EndpointGuard guard, TimeProvider time)
    {
        this.ledger = ledger;
        this.gate = gate;
        this.guard = guard;
        this.time = time;
    }

    /// <summary>Shows one grant and its state now.</summary>
    public Task GetAsync(HttpContext context, string grantId, CancellationToken cancellationToken) => guard.RunAsync(context, Route, async () =>
    {
        if (await gate.AdmitAsync(context, Route, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        var grant = await ledger.GetGrantAsync(grantId, cancellationToken).ConfigureAwait(false);
        if (grant is null)
        {
            await ResponseWriter.WriteProblemAsync(context.Response, Problems.Problems.GrantNotFound(grantId), null, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ResponseWriter.WriteJsonAsync(context.Response, StatusCodes.Status200OK, ToBody(grant, time.GetUtcNow()), ReflexiveJsonContext.Default.GrantBody, cancellationToken).ConfigureAwait(false);
    });

    internal static GrantBody ToBody(Grant grant, DateTimeOffset now) => new()
    {
        GrantId = grant.Id,
        AgentId = grant.AgentId,
        Scopes = grant.Scopes,
        Status = grant.StatusAt(now).ToString().ToLowerInvariant(),
        IssuedAt = grant.IssuedAt,
        ExpiresAt = grant.ExpiresAt,
        RevokedAt = grant.RevokedAt,
        RevocationReason = grant.RevocationReason,
    };
}
