using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Cli.Hosting;
using ReflexiveIdentity.Http;
using ReflexiveIdentity.Integrity;

namespace ReflexiveIdentity.Cli.Commands;

/// <summary><c>reflexive sweep --once</c>: one integrity sweep now (the same service the timer function runs).</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var once = new Option<bool>("--once") { Description = "Run one sweep and exit (the only mode; `reflexive serve` sweeps on Sweep__Schedule)." };
        var command = new Command("sweep", "Verify every chain, recompute trust where there is new evidence, quarantine below the threshold, sync Auth0.") { once };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!parse.GetValue(once))
            {
                await Console.Error.WriteLineAsync("Say `reflexive sweep --once` to run one sweep; `reflexive serve` runs the sweep on Sweep__Schedule.").ConfigureAwait(false);
                return 2;
            }

            await using var services = new ServiceCollection()
                .AddLogging()
                .AddReflexiveIdentity(LocalSettings.Build(parse.GetValue(CommonOptions.Settings)))
                .BuildServiceProvider();
            var report = await services.GetRequiredService<IntegritySweep>().RunAsync(cancellationToken).ConfigureAwait(false);
            Print(report);
            return report.BrokenChains.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static void Print(SweepReport report)
    {
        Console.WriteLine($"Sweep at {report.StartedAt:u}: {report.ChainsVerified} chain(s) verified, {report.BrokenChains.Count} broken, {report.Agents} agent(s).");
        foreach (var broken in report.BrokenChains)
        {
            Console.WriteLine($"  BROKEN  {broken}");
        }

        foreach (var response in report.Responses)
        {
            var what = response.Skipped ?? string.Join(", ", new[]
            {
                response.Assessed ? $"trust {response.PreviousScore:0.##} -> {response.Score:0.##}" : null,
                response.Quarantined ? "QUARANTINED" : null,
                response.Synced ? $"Auth0 updated ({response.DirectoryCalls} call(s))" : null,
            }.Where(part => part is not null));
            Console.WriteLine($"  {response.AgentId}: {what}");
        }

        Console.WriteLine(report.DirectoryConnected
            ? $"Auth0: {report.DirectoryCalls} Management API operation(s)."
            : "Auth0: not connected (set Auth0__Domain or Auth0__Authority, Auth0__Audience, Auth0__ManagementClientId and Auth0__ManagementClientSecret); scores were recorded in the ledger and NOTHING was written to Auth0.");
    }
}
