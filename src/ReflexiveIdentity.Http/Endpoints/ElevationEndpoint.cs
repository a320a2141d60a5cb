using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary><c>POST /api/v1/elevations</c>: the webhook the Auth0 Action calls during token issuance.</summary>
public sealed class ElevationEndpoint
{
    /// <summary>The route as recorded in the ledger.</summary>
    public const string Route = "POST /api/v1/elevations";

    /// <summary>Set to <c>true</c> on a response that repeats an earlier answer for the same request id.</summary>
    public const string ReplayedHeader = "X-Reflexive-Replayed";

    /// <summary>Names the ledger entry that holds the decision.</summary>
    public const string LedgerEntryHeader = "X-Reflexive-Ledger-Entry";

    private readonly SignedRequestReader reader;
    private readonly RejectionResponder rejections;
    private readonly ElevationService service;
    private readonly ElevationPolicy policy;
    private readonly EndpointGuard guard;
    private readonly ILogger<ElevationEndpoint> logger;

    public ElevationEndpoint(SignedRequestReader reader, RejectionResponder rejections, ElevationService service, ElevationPolicy policy, EndpointGuard guard, ILogger<ElevationEndpoint> logger)
    {
        this.reader = reader;
        this.rejections = rejections;
        this.service = service;
        this.policy = policy;
        this.guard = guard;
        this.logger = logger;
    }

    /// <summary>Handles one request, writing the response.</summary>
    public Task HandleAsync(HttpContext context, CancellationToken cancellationToken) =>
        guard.RunAsync(context, Route, () => DecideAsync(context, cancellationToken));

    private async Task DecideAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var signed = await reader.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (signed.Problem is not null)
        {
            await rejections.RejectAsync(context, Route, signed.Problem, null, signed.RequestId, signed.Body, cancellationToken).ConfigureAwait(false);
            return;
        }

        var parsed = ElevationRequestParser.Parse(signed.Body, policy);
        if (parsed.Problem is not null)
        {
            await rejections.RejectAsync(context, Route, parsed.Problem, parsed.AgentId, signed.RequestId, signed.Body, cancellationToken).ConfigureAwait(false);
            return;
        }

        var request = parsed.Request!;
        var outcome = await service.DecideAsync(request, signed.RequestId, signed.BodySha256, cancellationToken).ConfigureAwait(false);
        if (outcome.RequestIdReused)
        {
            await rejections.RejectAsync(context, Route, Problems.Problems.RequestIdReused(signed.RequestId!), request.AgentId, signed.RequestId, signed.Body, cancellationToken).ConfigureAwait(false);
            return;
        }

        var record = outcome.Record;
        if (logger.IsEnabled(LogLevel.Information))
        {
            var codes = string.Join(',', record.Reasons.Select(r => r.Code));
            Log.ElevationDecided(logger, request.AgentId, record.Decision, codes, record.TrustScore, outcome.EntryId, outcome.Replayed);
        }
        context.Response.Headers[LedgerEntryHeader] = outcome.EntryId;
        if (outcome.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }

        await ResponseWriter.WriteJsonAsync(context.Response, StatusCodes.Status200OK, ToBody(record), ReflexiveJsonContext.Default.ElevationResponseBody, cancellationToken).ConfigureAwait(false);
    }

    private static ElevationResponseBody ToBody(ElevationDecidedPayload record) => new()
    {
        Decision = record.Decision,
        GrantId = record.GrantId,
        GrantedScopes = record.GrantedScopes,
        DeniedScopes = record.DeniedScopes.Select(d => new DeniedScopeBody(d.Scope, d.Code, d.Detail)).ToList(),
        ExpiresAt = record.ExpiresAt,
        TrustScore = record.TrustScore,
        Reasons = record.Reasons.Select(r => new ReasonBody(r.Code, r.Detail)).ToList(),
        Judge = new JudgeBody(record.Judge.Kind, record.Judge.Verdict),
    };
}
