using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Integrity;

namespace ReflexiveIdentity.Functions.Timers;

/// <summary>The integrity sweep on <c>Sweep__Schedule</c> (NCRONTAB, default every five minutes).</summary>
public sealed partial class IntegritySweepFunction(IntegritySweep sweep, ILogger<IntegritySweepFunction> logger)
{
    [Function("IntegritySweep")]
    public async Task Run([TimerTrigger("%Sweep__Schedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var report = await sweep.RunAsync(cancellationToken).ConfigureAwait(false);
        Swept(logger, report.ChainsVerified, report.BrokenChains.Count, report.AssessedAgents, report.QuarantinedAgents, report.DirectoryCalls, report.DirectoryConnected);
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Sweep: {Chains} chains verified ({Broken} broken), {Assessed} agents assessed, {Quarantined} quarantined, {Calls} Auth0 calls (Auth0 connected: {Connected})")]
    private static partial void Swept(ILogger logger, int chains, int broken, int assessed, int quarantined, int calls, bool connected);
}
