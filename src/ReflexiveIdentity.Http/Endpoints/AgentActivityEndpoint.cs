using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Http.Problems;
using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary>
/// <c>POST /api/v1/agents/{agent_id}/events</c> and <c>/signals</c>, signed like the webhook: behaviour
/// telemetry from agents running elsewhere, and outside signals (policy engine, peer consensus,
/// monitoring). Both answer 202 with the ledger entry; every rejection is recorded.
/// </summary>
public sealed class AgentActivityEndpoint(
    SignedRequestReader reader,
    RejectionResponder rejections,
    AgentObservations observations,
    ElevationPolicy policy,
    EndpointGuard guard,
    TimeProvider time)
{
    /// <summary>The events route as recorded.</summary>
    public const string EventsRoute = "POST /api/v1/agents/{agent_id}/events";

    /// <summary>The signals route as recorded.</summary>
    public const string SignalsRoute = "POST /api/v1/agents/{agent_id}/signals";

    /// <summary>How far into the future an event's <c>at</c> may be (clock skew between machines).</summary>
    public static readonly TimeSpan FutureSkew = TimeSpan.FromSeconds(5);

    /// <summary>Records one event.</summary>
    public Task RecordEventAsync(HttpContext context, string agentId, CancellationToken cancellationToken) =>
        guard.RunAsync(context, EventsRoute, () => RecordAsync(context, EventsRoute, agentId, async body =>
        {
            var (dto, problem) = JsonBody.Parse(body, ReflexiveJsonContext.Default.AgentEventBody);
            if (problem is not null)
            {
                return (null, problem);
            }

            var (agentEvent, invalid) = ValidateEvent(dto!);
            return invalid is not null
                ? (null, invalid)
                : ((await observations.RecordEventAsync(agentId, agentEvent!, "api", cancellationToken).ConfigureAwait(false)).Id, null);
        }, cancellationToken));

    /// <summary>Records one signal.</summary>
    public Task RecordSignalAsync(HttpContext context, string agentId, CancellationToken cancellationToken) =>
        guard.RunAsync(context, SignalsRoute, () => RecordAsync(context, SignalsRoute, agentId, async body =>
        {
            var (dto, problem) = JsonBody.Parse(body, ReflexiveJsonContext.Default.AgentSignalBody);
            if (problem is not null)
            {
                return (null, problem);
            }

            var (signal, invalid) = ValidateSignal(dto!);
            return invalid is not null
                ? (null, invalid)
                : ((await observations.RecordSignalAsync(agentId, signal!, cancellationToken).ConfigureAwait(false)).Id, null);
        }, cancellationToken));

    private async Task RecordAsync(HttpContext context, string route, string agentId, Func<byte[], Task<(string? EntryId, Problem? Problem)>> record, CancellationToken cancellationToken)
    {
        var signed = await reader.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (signed.Problem is not null)
        {
            await rejections.RejectAsync(context, route, signed.Problem, null, signed.RequestId, signed.Body, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!Agents.Agent.IsValidId(agentId))
        {
            var problem = Problems.Problems.InvalidFields([new FieldErrorBody("agent_id", "must be 1 to 128 letters, digits or . _ - : @ |, starting with a letter or digit")]);
            await rejections.RejectAsync(context, route, problem, null, signed.RequestId, signed.Body, cancellationToken).ConfigureAwait(false);
            return;
        }

        var (entryId, rejected) = await record(signed.Body).ConfigureAwait(false);
        if (rejected is not null)
        {
            await rejections.RejectAsync(context, route, rejected, agentId, signed.RequestId, signed.Body, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ResponseWriter.WriteJsonAsync(context.Response, StatusCodes.Status202Accepted, new RecordedBody(entryId!), ReflexiveJsonContext.Default.RecordedBody, cancellationToken).ConfigureAwait(false);
    }

    private (AgentEvent? Event, Problem? Problem) ValidateEvent(AgentEventBody dto)
    {
        var errors = new List<FieldErrorBody>();
        if (dto.Kind is null || !AgentEventKinds.All.Contains(dto.Kind, StringComparer.Ordinal))
        {
            errors.Add(new FieldErrorBody("kind", $"must be one of: {string.Join(", ", AgentEventKinds.All)}"));
        }

        var isStage = dto.Kind is not null && AgentEventKinds.Stages.Contains(dto.Kind, StringComparer.Ordinal);
        if (isStage && string.IsNullOrWhiteSpace(dto.Scope))
        {
            errors.Add(new FieldErrorBody("scope", "is required for stage events: the stage's scope"));
        }
        else if (isStage && !policy.IsKnown(dto.Scope!))
        {
            return (null, Problems.Problems.UnknownScope([dto.Scope!], policy.Document.Scopes.Keys));
        }

        if (dto.Outcome is not null and not ("success" or "failure"))
        {
            errors.Add(new FieldErrorBody("outcome", "must be \"success\" or \"failure\""));
        }
        else if (dto.Kind == AgentEventKinds.ApiCall && dto.Outcome is null)
        {
            errors.Add(new FieldErrorBody("outcome", "is required for api_call: \"success\" or \"failure\""));
        }

        DateTimeOffset at = default;
        if (dto.At is null)
        {
            errors.Add(new FieldErrorBody("at", "is required: an ISO-8601 time such as 2026-12-04T16:00:00Z"));
        }
        else if (!DateTimeOffset.TryParse(dto.At, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out at) || !HasOffset(dto.At))
        {
            errors.Add(new FieldErrorBody("at", "must be an ISO-8601 time with a zone, such as 2026-12-04T16:00:00Z"));
        }
        else if (at > time.GetUtcNow() + FutureSkew)
        {
            errors.Add(new FieldErrorBody("at", "lies in the future; events report what already happened"));
        }

        if (dto.Detail is { } detail && detail.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldErrorBody("detail", "must be a JSON object"));
        }
        else
        {
            var required = dto.Kind switch
            {
                AgentEventKinds.ApiCall => "endpoint",
                AgentEventKinds.Retry => "of",
                AgentEventKinds.TokenVerificationFailed => "reason",
                _ => null,
            };
            if (required is not null && (dto.Detail is not { } d || !d.TryGetProperty(required, out var value) || value.ValueKind != JsonValueKind.String))
            {
                errors.Add(new FieldErrorBody($"detail.{required}", $"is required for {dto.Kind}: a string"));
            }
        }

        return errors.Count > 0
            ? (null, Problems.Problems.InvalidFields(errors))
            : (new AgentEvent(dto.Kind!, dto.Scope, dto.Outcome, at.ToUniversalTime(), dto.Detail?.Clone()), null);
    }

    private static (AgentSignal? Signal, Problem? Problem) ValidateSignal(AgentSignalBody dto)
    {
        var errors = new List<FieldErrorBody>();
        if (string.IsNullOrWhiteSpace(dto.Source) || dto.Source.Length > 100)
        {
            errors.Add(new FieldErrorBody("source", "is required: who raises the signal, e.g. peer-consensus (at most 100 characters)"));
        }

        if (string.IsNullOrWhiteSpace(dto.Kind) || dto.Kind.Length > 100)
        {
            errors.Add(new FieldErrorBody("kind", "is required: what the signal says, e.g. compromise_suspected (at most 100 characters)"));
        }

        if (dto.Severity is null or < 0 or > 1)
        {
            errors.Add(new FieldErrorBody("severity", "is required: a number between 0 and 1"));
        }

        if (dto.Detail?.Length > 2_000)
        {
            errors.Add(new FieldErrorBody("detail", "is limited to 2000 characters"));
        }

        return errors.Count > 0
            ? (null, Problems.Problems.InvalidFields(errors))
            : (new AgentSignal(dto.Source!, dto.Kind!, dto.Severity!.Value, dto.Detail), null);
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}
