using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using ReflexiveIdentity.Omega;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Http.Jobs;
using ReflexiveIdentity.Http.Settings;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary>
/// <c>POST /api/v1/agents/{agent_id}/jobs</c> (admin): puts an agent_omega job on <c>agent-jobs</c>. The
/// request is recorded on the agent's chain (<c>job_queued</c>, with the operator); a refused one like every
/// rejection. The job runs later, once per job id, in the queue worker.
/// </summary>
public sealed class JobsEndpoint(AdminGate gate, EndpointGuard guard, RejectionResponder rejections, IAgentJobs jobs, AgentJobSettings settings, ILedger ledger, TimeProvider time)
{
    /// <summary>The route as recorded.</summary>
    public const string Route = "POST /api/v1/agents/{agent_id}/jobs";

    /// <summary>Validates the job, records the request and enqueues it; 202 with the job id.</summary>
    public Task EnqueueAsync(HttpContext context, string agentId, CancellationToken cancellationToken) => guard.RunAsync(context, Route, async () =>
    {
        var operatorToken = await gate.AdmitAsync(context, Route, cancellationToken).ConfigureAwait(false);
        if (operatorToken is null)
        {
            return;
        }

        var body = await ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (body.Length > Problems.Problems.MaxBodyBytes)
        {
            await rejections.RejectAsync(context, Route, Problems.Problems.BodyTooLarge(), null, null, body, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!string.Equals(agentId, settings.AgentId, StringComparison.Ordinal))
        {
            await rejections.RejectAsync(context, Route, Problems.Problems.NoJobRunner(agentId, settings.AgentId), null, null, body, cancellationToken).ConfigureAwait(false);
            return;
        }

        var (dto, problem) = JsonBody.Parse(body, ReflexiveJsonContext.Default.JobRequestBody);
        var job = dto is null ? null : new AgentJob
        {
            JobId = dto.JobId ?? AgentJob.NewId(),
            Dataset = dto.Dataset ?? string.Empty,
            Report = dto.Report ?? string.Empty,
            Destination = dto.Destination ?? string.Empty,
        };
        if (job is not null && job.Problems() is { Count: > 0 } invalid)
        {
            problem = Problems.Problems.InvalidFields(invalid.Select(FieldError).ToList());
        }

        if (problem is not null)
        {
            await rejections.RejectAsync(context, Route, problem, null, null, body, cancellationToken).ConfigureAwait(false);
            return;
        }

        var entry = await RecordQueuedAsync(job!, operatorToken.Subject, cancellationToken).ConfigureAwait(false);
        await jobs.EnqueueAsync(job!, cancellationToken).ConfigureAwait(false);
        context.Response.Headers[HeaderNames.Location] = $"/api/v1/agents/{Uri.EscapeDataString(agentId)}";
        await ResponseWriter.WriteJsonAsync(
            context.Response,
            StatusCodes.Status202Accepted,
            new JobAcceptedBody(job!.JobId, agentId, StorageAgentJobs.QueueName, "queued", entry),
            ReflexiveJsonContext.Default.JobAcceptedBody,
            cancellationToken).ConfigureAwait(false);
    });

    private async Task<string> RecordQueuedAsync(AgentJob job, string operatorSubject, CancellationToken cancellationToken)
    {
        var detail = new Dictionary<string, string>
        {
            ["job_id"] = job.JobId,
            ["by"] = $"operator:{operatorSubject}",
            ["dataset"] = job.Dataset,
            ["report"] = job.Report,
            ["destination"] = job.Destination,
        };
        var now = time.GetUtcNow();
        var appended = await ledger.AppendAsync(
            new LedgerAppend
            {
                ChainId = settings.AgentId,
                Kind = LedgerEntryKind.EventRecorded,
                OccurredAt = now,
                RecordedAt = now,
                Payload = LedgerJsonContext.Serialize(new EventRecordedPayload
                {
                    Kind = AgentEventKinds.JobQueued,
                    Detail = JsonSerializer.SerializeToElement(detail, ReflexiveJsonContext.Default.DictionaryStringString),
                    Source = "api",
                }),
            },
            cancellationToken).ConfigureAwait(false);
        return appended.Entry.Id;
    }

    /// <summary><see cref="AgentJob.Problems"/> says "field: message".</summary>
    private static FieldErrorBody FieldError(string problem)
    {
        var colon = problem.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? new FieldErrorBody("(body)", problem) : new FieldErrorBody(problem[..colon], problem[(colon + 2)..]);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0 && buffer.Length <= Problems.Problems.MaxBodyBytes)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
