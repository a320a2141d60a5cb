using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Omega;
using ReflexiveIdentity.Http.Settings;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Http.Jobs;

/// <summary>
/// One message from <c>agent-jobs</c>, whichever host took it. A message that is no runnable job is
/// recorded (reason and body hash, never the body) and moved to <c>agent-jobs-poison</c> at once, since
/// retrying cannot fix it. A job runs through <see cref="IAgentJobRunner"/>; a duplicate job id is a success
/// (the runner did nothing). When the runner throws, the exception goes back to the host so it retries; on
/// the last allowed attempt the ledger first records that the job goes to the poison queue and why.
/// </summary>
public sealed partial class AgentJobHandler(IAgentJobRunner runner, IAgentJobs jobs, RejectionLog rejections, AgentJobSettings settings, ILogger<AgentJobHandler> logger)
{
    /// <summary>The source recorded on the ledger entries the handler writes (in the <c>route</c> field).</summary>
    public const string Source = "queue agent-jobs";

    /// <summary>
    /// Handles <paramref name="message"/> on its <paramref name="dequeueCount"/>-th attempt. Returns the job's
    /// outcome, or null when the message was rejected and moved to the poison queue; either way the host
    /// deletes the message. Throws (after recording, on the last attempt) when the runner fails.
    /// </summary>
    public async Task<JobOutcome?> HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        var (job, problem) = AgentJobMessage.Parse(message);
        var (status, code) = (400, "malformed_job");
        if (job is not null && job.Problems() is { Count: > 0 } problems)
        {
            (problem, status, code) = (string.Join(" ", problems), 422, "invalid_job");
        }

        if (problem is not null)
        {
            var entry = await RecordAsync(status, code, $"{problem} The message went to {StorageAgentJobs.PoisonQueueName} at once: retrying cannot fix it.", null, message, cancellationToken).ConfigureAwait(false);
            await jobs.PoisonAsync(message, cancellationToken).ConfigureAwait(false);
            Rejected(logger, code, entry);
            return null;
        }

        try
        {
            var outcome = await runner.RunAsync(job!, null, cancellationToken).ConfigureAwait(false);
            Finished(logger, outcome.JobId, outcome.Status, dequeueCount);
            return outcome;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (dequeueCount < settings.MaxDequeueCount)
            {
                AttemptFailed(logger, job!.JobId, dequeueCount, settings.MaxDequeueCount, ex);
                throw;
            }

            var reason = $"Job {job!.JobId} failed on attempt {dequeueCount} of {settings.MaxDequeueCount} and goes to {StorageAgentJobs.PoisonQueueName}: {ex.GetType().Name}: {FirstLine(ex.Message)}";
            try
            {
                var entry = await RecordAsync(500, "job_poisoned", reason, job.JobId, message, cancellationToken).ConfigureAwait(false);
                Poisoned(logger, job.JobId, dequeueCount, entry, ex);
            }
            catch (Exception recordFailure) when (recordFailure is not OperationCanceledException)
            {
                // The ledger may be the failure itself; the poison queue still keeps the message.
                PoisonNotRecorded(logger, job.JobId, recordFailure);
            }

            throw;
        }
    }

    private Task<string> RecordAsync(int status, string code, string detail, string? jobId, string message, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(message);
        return rejections.RecordAsync(
            null,
            new RequestRejectedPayload
            {
                Route = Source,
                Status = status,
                Code = code,
                Detail = detail,
                BodySha256 = Convert.ToHexStringLower(SHA256.HashData(body)),
                BodyBytes = body.LongLength,
                RequestId = jobId,
            },
            cancellationToken);
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Rejected a message on agent-jobs ({Code}) and moved it to agent-jobs-poison; recorded as {EntryId}")]
    private static partial void Rejected(ILogger logger, string code, string entryId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Job {JobId} ended {Status} (attempt {Attempt})")]
    private static partial void Finished(ILogger logger, string jobId, JobStatus status, long attempt);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Job {JobId} failed on attempt {Attempt} of {MaxAttempts}; it will be tried again")]
    private static partial void AttemptFailed(ILogger logger, string jobId, long attempt, int maxAttempts, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Job {JobId} failed on its last attempt ({Attempt}) and goes to agent-jobs-poison; recorded as {EntryId}")]
    private static partial void Poisoned(ILogger logger, string jobId, long attempt, string entryId, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "Job {JobId} goes to agent-jobs-poison, but the ledger could not record it")]
    private static partial void PoisonNotRecorded(ILogger logger, string jobId, Exception exception);
}
