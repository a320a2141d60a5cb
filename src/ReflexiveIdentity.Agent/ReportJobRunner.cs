using System.Globalization;
using ReflexiveIdentity.Omega.Analysis;
using ReflexiveIdentity.Omega.Report;
using ReflexiveIdentity.Omega.Sharing;

namespace ReflexiveIdentity.Omega;

/// <summary>
/// agent_omega's job: read the dataset (<c>read.dataset</c>), generate the operational report
/// (<c>generate.report</c>), deliver it (<c>share.output</c>), each stage behind its gate.
/// </summary>
public sealed class ReportJobRunner(AgentOmega agent, ReportDestinationSettings destinations, TimeProvider time) : IAgentJobRunner
{
    /// <inheritdoc />
    public Task<JobOutcome> RunAsync(AgentJob job, Action<AgentStep>? onStep, CancellationToken cancellationToken)
    {
        if (job.Problems() is { Count: > 0 } problems)
        {
            return agent.RejectAsync(job.JobId, string.Join(" ", problems), onStep, cancellationToken);
        }

        IReportDestination destination;
        try
        {
            destination = ReportDestinations.Parse(job.Destination, destinations);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            return agent.RejectAsync(job.JobId, $"destination: {ex.Message}", onStep, cancellationToken);
        }

        var dataset = Path.GetFileName(job.Dataset);
        LogAggregate? aggregate = null;
        RenderedReport? rendered = null;
        JobStage[] stages =
        [
            new("read.dataset", $"Read the dataset {dataset} to analyse its logs", async ct =>
            {
                if (!File.Exists(job.Dataset))
                {
                    throw new JobInputException($"The dataset {job.Dataset} does not exist.");
                }

                aggregate = await LogAggregate.ReadAsync(job.Dataset, ct).ConfigureAwait(false);
                var facts = aggregate.Facts;
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"read {facts.Records:N0} log records from {aggregate.Services.Count} services in {dataset} ({facts.MalformedLines:N0} malformed lines skipped), {Rate(aggregate.Overall.Errors, aggregate.Overall.Requests):0.0}% errors");
            }),
            new("generate.report", $"Generate the operational report {job.Report} from {dataset}", _ =>
            {
                var report = OperationalReport.Create(aggregate!, job.Report, time.GetUtcNow());
                rendered = report.Render();
                var worst = report.Services.OrderByDescending(s => s.ErrorRate).FirstOrDefault();
                return Task.FromResult(string.Create(
                    CultureInfo.InvariantCulture,
                    $"generated report {job.Report} covering {report.Services.Count} services and {report.Timeline.Count} hours; highest error rate {worst?.Service ?? "none"} at {(worst?.ErrorRate ?? 0) * 100:0.0}%"));
            }),
            new("share.output", $"Share the operational report {job.Report} to {job.Destination}", async ct =>
            {
                var delivery = await destination.DeliverAsync(rendered!, ct).ConfigureAwait(false);
                return $"delivered report {job.Report} to {delivery.Location}";
            }),
        ];
        return agent.RunAsync(job.JobId, stages, onStep, cancellationToken);
    }

    private static double Rate(long part, long whole) => whole == 0 ? 0 : 100.0 * part / whole;
}
