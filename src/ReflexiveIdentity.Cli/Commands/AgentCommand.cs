using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Cli.Hosting;
using ReflexiveIdentity.Omega;

namespace ReflexiveIdentity.Cli.Commands;

/// <summary>
/// <c>reflexive agent run --dataset FILE</c>: runs one agent_omega job through its three gates. With
/// no Auth0 settings it starts the Auth0 emulator and the service in this process on loopback, so it
/// works on a fresh clone; with them it uses the configured tenant and ledger.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var dataset = new Option<FileInfo>("--dataset")
        {
            Description = "The JSON Lines log file to analyse (e.g. samples/datasets/ops-logs.jsonl).",
            Required = true,
        };
        var report = new Option<string>("--report")
        {
            Description = "The report's name; the files are NAME.md and NAME.html.",
            DefaultValueFactory = _ => "ops-report",
        };
        var destination = new Option<string>("--destination")
        {
            Description = "Where share.output delivers: a folder, an https:// URL, or blob:CONTAINER[/prefix].",
            DefaultValueFactory = _ => "reports",
        };
        var jobId = new Option<string?>("--job-id")
        {
            Description = "The job's id (a job runs at most once per id; default: a new id).",
        };
        var run = new Command("run", "Run an agent_omega job: read.dataset, generate.report, share.output, each gated by its token and its own integrity.")
        {
            dataset, report, destination, jobId,
        };
        run.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = LocalSettings.Build(parse.GetValue(CommonOptions.Settings));
            var job = new AgentJob
            {
                JobId = parse.GetValue(jobId) ?? AgentJob.NewId(),
                Dataset = parse.GetValue(dataset)!.FullName,
                Report = parse.GetValue(report)!,
                Destination = parse.GetValue(destination)!,
            };
            if (job.Problems() is { Count: > 0 } problems)
            {
                await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, problems)).ConfigureAwait(false);
                return 2;
            }

            var local = configuration["Auth0:Authority"] is null && configuration["Auth0:Domain"] is null;
            await using var stack = local ? await LocalStack.StartAsync(Passthrough(configuration), cancellationToken).ConfigureAwait(false) : null;
            await using var configured = local ? null : ReflexiveWebHost.Build(configuration, "http://127.0.0.1:0");
            if (configured is not null)
            {
                await configured.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            var services = stack?.Services ?? configured!.Services;
            Console.WriteLine(local
                ? $"agent_omega on a local tenant (Auth0 emulator {stack!.Issuer}, service {stack.ServiceUrl})"
                : "agent_omega on the configured Auth0 tenant");
            Console.WriteLine($"job {job.JobId}: {job.Dataset} -> {job.Destination}");
            var outcome = await services.GetRequiredService<IAgentJobRunner>().RunAsync(job, Print, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{outcome.Status.ToString().ToLowerInvariant()}: {outcome.Detail}");
            return outcome.Status == JobStatus.Completed ? 0 : 1;
        });
        return new Command("agent", "Run agent_omega, the data-analysis agent.") { run };
    }

    /// <summary>The settings a local stack keeps from the caller's configuration: where the ledger and policy are, the reasoning layer.</summary>
    internal static Dictionary<string, string?> Passthrough(IConfiguration configuration) =>
        configuration.AsEnumerable()
            .Where(pair => pair.Value is not null && (pair.Key.StartsWith("Ledger:", StringComparison.OrdinalIgnoreCase)
                || pair.Key.StartsWith("Policy:", StringComparison.OrdinalIgnoreCase)
                || pair.Key.StartsWith("OpenAI:", StringComparison.OrdinalIgnoreCase)
                || pair.Key.StartsWith("Sweep:", StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);

    private static void Print(AgentStep step)
    {
        var trust = step.TrustScore is { } score ? $"  (trust {score.ToString("0.#", CultureInfo.InvariantCulture)})" : string.Empty;
        var grant = step.GrantId is null ? string.Empty : $"  [grant {step.GrantId}]";
        Console.WriteLine($"  {step.Stage,-16} {step.Kind.Replace('_', ' '),-20} {step.Detail}{grant}{trust}");
    }
}
