using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using ReflexiveIdentity.Cli.Demo;
using ReflexiveIdentity.Cli.Hosting;

namespace ReflexiveIdentity.Cli.Commands;

/// <summary>
/// <c>reflexive demo [--json] [--serve]</c>: the whole loop in one process on loopback, with no cloud
/// account: elevations earned, drift, quarantine in Auth0, the refused token and the self-halt.
/// Exit code 0 only when every expected step happened.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object per step (JSON Lines) instead of the narrated timeline." };
        var serve = new Option<bool>("--serve") { Description = "Keep the tenant and the service running afterwards and print the dashboard URL." };
        var reports = new Option<string>("--reports")
        {
            Description = "The folder agent_omega delivers its report to.",
            DefaultValueFactory = _ => "reports",
        };
        var command = new Command("demo", "Show the whole loop: agent_omega's gated job, drift, quarantine, refused token, self-halt.") { json, serve, reports };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var asJson = parse.GetValue(json);
            var root = LocalStack.FindRepositoryRoot();
            var folder = Path.Combine(Path.GetTempPath(), "reflexive-demo", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            var settings = new Dictionary<string, string?> { ["Ledger:SqlitePath"] = Path.Combine(folder, "ledger.db") };
            await using var stack = await LocalStack.StartAsync(settings, cancellationToken).ConfigureAwait(false);
            var steps = new List<DemoStep>();
            using var script = new DemoScript(stack, Path.Combine(root, "samples", "datasets", "ops-logs.jsonl"), parse.GetValue(reports)!, step =>
            {
                steps.Add(step);
                Console.WriteLine(asJson ? JsonSerializer.Serialize(step, DemoJsonContext.Default.DemoStep) : Narrate(steps.Count, step));
            });
            var ok = await script.RunAsync(cancellationToken).ConfigureAwait(false);
            if (!asJson)
            {
                PrintSummary(steps, ok);
            }

            if (parse.GetValue(serve))
            {
                var token = await script.OperatorTokenAsync(cancellationToken).ConfigureAwait(false);
                Console.Error.WriteLine($"Dashboard: {stack.ServiceUrl}/api/dashboard#token={token}");
                Console.Error.WriteLine($"Ledger: {settings["Ledger:SqlitePath"]}. Press Ctrl+C to stop.");
                await stack.Service.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }

            return ok ? 0 : 1;
        });
        return command;
    }

    private static string Narrate(int number, DemoStep step)
    {
        var decision = step.Decision is null ? string.Empty : $" decision={step.Decision}";
        var codes = step.ReasonCodes.Count == 0 ? string.Empty : $" reasons=[{string.Join(", ", step.ReasonCodes)}]";
        var trust = step.TrustScore is { } score ? $" trust={score.ToString("0.#", CultureInfo.InvariantCulture)}" : string.Empty;
        var mark = step.Ok ? "ok " : "FAILED";
        return $"{number,3}. [{mark}] {step.Step}{decision}{codes}{trust}{Environment.NewLine}       {step.Detail}";
    }

    private static void PrintSummary(List<DemoStep> steps, bool ok)
    {
        Console.WriteLine();
        Console.WriteLine($"{"step",-38} {"decision",-9} {"trust",6} {"status",-12} reason codes");
        Console.WriteLine(new string('-', 100));
        foreach (var step in steps)
        {
            var trust = step.TrustScore?.ToString("0.#", CultureInfo.InvariantCulture) ?? "";
            Console.WriteLine($"{(step.Ok ? step.Step : step.Step + " (FAILED)"),-38} {step.Decision ?? "",-9} {trust,6} {step.Status ?? "",-12} {string.Join(", ", step.ReasonCodes)}");
        }

        Console.WriteLine();
        Console.WriteLine(ok ? "Every expected step happened." : "Some expected steps did not happen (marked FAILED above).");
    }
}
