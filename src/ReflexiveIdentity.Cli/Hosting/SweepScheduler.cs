using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;
using ReflexiveIdentity.Http.Settings;
using ReflexiveIdentity.Integrity;

namespace ReflexiveIdentity.Cli.Hosting;

/// <summary>Runs the integrity sweep on <c>Sweep__Schedule</c> (NCRONTAB with seconds) in the CLI host, as the timer function does in Azure.</summary>
public sealed partial class SweepScheduler(IntegritySweep sweep, ServiceSettings settings, TimeProvider time, ILogger<SweepScheduler> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(settings.SweepSchedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            try
            {
                await Task.Delay(next - now, time, stoppingToken).ConfigureAwait(false);
                var report = await sweep.RunAsync(stoppingToken).ConfigureAwait(false);
                SweepRan(logger, report.ChainsVerified, report.BrokenChains.Count, report.AssessedAgents, report.QuarantinedAgents, report.DirectoryCalls, report.DirectoryConnected);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                SweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Sweep: {Chains} chains verified ({Broken} broken), {Assessed} agents assessed, {Quarantined} quarantined, {Calls} Auth0 calls (Auth0 connected: {Connected})")]
    private static partial void SweepRan(ILogger logger, int chains, int broken, int assessed, int quarantined, int calls, bool connected);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "The sweep failed; it runs again on schedule")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
