using Microsoft.AspNetCore.Http;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary><c>GET /api/v1/ledger/verify[?agent_id=]</c> (admin): verifies every chain, or one.</summary>
public sealed class LedgerEndpoint
{
    /// <summary>The route as recorded.</summary>
    public const string Route = "GET /api/v1/ledger/verify";

    private readonly LedgerVerifier verifier;
    private readonly AdminGate gate;
    private readonly EndpointGuard guard;

    public LedgerEndpoint(LedgerVerifier verifier, AdminGate gate, EndpointGuard guard)
    {
        this.verifier = verifier;
        this.gate = gate;
        this.guard = guard;
    }

    /// <summary>Verifies and reports; the status is 200 either way, <c>intact</c> says the result.</summary>
    public Task VerifyAsync(HttpContext context, CancellationToken cancellationToken) => guard.RunAsync(context, Route, async () =>
    {
        if (await gate.AdmitAsync(context, Route, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        var agentId = context.Request.Query["agent_id"].ToString();
        var results = await verifier.VerifyAsync(string.IsNullOrEmpty(agentId) ? null : agentId, cancellationToken).ConfigureAwait(false);
        await ResponseWriter.WriteJsonAsync(context.Response, StatusCodes.Status200OK, ToBody(results), ReflexiveJsonContext.Default.LedgerVerificationBody, cancellationToken).ConfigureAwait(false);
    });

    /// <summary>The report's body, shared with the CLI's <c>ledger verify --json</c>.</summary>
    public static LedgerVerificationBody ToBody(IReadOnlyList<ChainVerification> results) => new(
        results.All(r => r.IsIntact),
        results.Select(r => new ChainVerificationBody(
            r.ChainId,
            r.IsIntact,
            r.VerifiedEntries,
            r.HeadHash,
            r.FirstBroken is { } broken ? new BrokenEntryBody(broken.EntryId, broken.Seq, broken.Problem) : null)).ToList());
}
