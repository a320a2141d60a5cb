using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Http.Problems;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Telemetry;

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
    private readonly TimeProvider time;

    public ElevationEndpoint(SignedRequestReader reader, RejectionResponder rejections, ElevationService service, ElevationPolicy policy, EndpointGuard guard, ILogger<ElevationEndpoint> logger, TimeProvider time)
    {
        this.reader = reader;
        this.rejections = rejections;
        this.service = service;
        this.policy = policy;
        this.guard = guard;
        this.logger = logger;
        this.time = time;
    }

    /// <summary>Handles one request, writing the response.</summary>
    public Task HandleAsync(HttpContext context, CancellationToken cancellationToken) =>
        guard.RunAsync(context, Route, () => DecideAsync(context, cancellationToken));

    // The span and the metrics wrap the whole answer: signature check, policy, ledger write, response.
    private async Task DecideAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var activity = ReflexiveTelemetry.StartDecide(Route);
        Answer answer;
        try
        {
            answer = await AnswerAsync(context, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ReflexiveTelemetry.Fail(activity, ex);
            var aborted = ex is OperationCanceledException && context.RequestAborted.IsCancellationRequested;
            answer = new Answer(aborted ? "aborted" : "error", [aborted ? "request_aborted" : Problems.Problems.Internal().Code], false);
            Record(activity, answer, started);
            throw;
        }

        Record(activity, answer, started);
    }

    private async Task<Answer> AnswerAsync(HttpContext context, Activity? activity, CancellationToken cancellationToken)
    {
        var signed = await reader.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (signed.Problem is not null)
        {
            await rejections.RejectAsync(context, Route, signed.Problem, null, signed.RequestId, signed.Body, cancellationToken).ConfigureAwait(false);
            return Rejected(signed.Problem);
        }

        var parsed = ElevationRequestParser.Parse(signed.Body, policy);
        if (parsed.Problem is not null)
        {
            activity?.SetTag("reflexive.agent_id", parsed.AgentId);
            await rejections.RejectAsync(context, Route, parsed.Problem, parsed.AgentId, signed.RequestId, signed.Body, cancellationToken).ConfigureAwait(false);
            return Rejected(parsed.Problem);
        }

        var request = parsed.Request!;
        activity?.SetTag("reflexive.agent_id", request.AgentId);
        var outcome = await service.DecideAsync(request, signed.RequestId, signed.BodySha256, cancellationToken).ConfigureAwait(false);
        if (outcome.RequestIdReused)
        {
            var reused = Problems.Problems.RequestIdReused(signed.RequestId!);
            await rejections.RejectAsync(context, Route, reused, request.AgentId, signed.RequestId, signed.Body, cancellationToken).ConfigureAwait(false);
            return Rejected(reused);
        }

        var record = outcome.Record;
        var codes = record.Reasons.Select(r => r.Code).ToList();
        if (logger.IsEnabled(LogLevel.Information))
        {
            var joined = string.Join(',', codes);
            Log.ElevationDecided(logger, request.AgentId, record.Decision, joined, record.TrustScore, outcome.EntryId, outcome.Replayed);
        }
        context.Response.Headers[LedgerEntryHeader] = outcome.EntryId;
        if (outcome.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }

        activity?.SetTag("reflexive.entry_id", outcome.EntryId);
        activity?.SetTag("reflexive.trust_score", record.TrustScore);
        activity?.SetTag("reflexive.granted_scopes", string.Join(' ', record.GrantedScopes));
        await ResponseWriter.WriteJsonAsync(context.Response, StatusCodes.Status200OK, ToBody(record), ReflexiveJsonContext.Default.ElevationResponseBody, cancellationToken).ConfigureAwait(false);
        return new Answer(record.Decision, codes, outcome.Replayed);
    }

    private void Record(Activity? activity, Answer answer, long started)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("reflexive.outcome", answer.Outcome);
            activity.SetTag("reflexive.reason_codes", string.Join(',', answer.ReasonCodes));
            activity.SetTag("reflexive.replayed", answer.Replayed);
        }

        ReflexiveTelemetry.RecordDecision(answer.Outcome, answer.ReasonCodes, answer.Replayed, time.GetElapsedTime(started));
    }

    private static Answer Rejected(Problem problem) => new("rejected", [problem.Code], false);

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

    /// <summary>What the request was answered, for the span and the metrics.</summary>
    private sealed record Answer(string Outcome, IReadOnlyList<string> ReasonCodes, bool Replayed);
}
