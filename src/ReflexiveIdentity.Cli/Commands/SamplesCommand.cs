using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ReflexiveIdentity.Omega.Samples;

namespace ReflexiveIdentity.Cli.Commands;

/// <summary><c>reflexive samples logs --lines N --out FILE [--seed S]</c>: a deterministic operational log for agent_omega.</summary>
internal static class SamplesCommand
{
    public static Command Create()
    {
        var lines = new Option<long>("--lines") { Description = "How many log lines to write.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The JSON Lines file to write (replaced; its folder is created).", Required = true };
        var seed = new Option<int>("--seed") { Description = "The random seed: the same seed and line count give the same file.", DefaultValueFactory = _ => 42 };
        var hours = new Option<int>("--hours") { Description = "The time span the lines cover, in hours from 2026-11-30T00:00Z.", DefaultValueFactory = _ => 72 };
        lines.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long>() < 1)
            {
                result.AddError("--lines must be at least 1.");
            }
        });
        hours.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--hours must be at least 1.");
            }
        });

        var logs = new Command("logs", "Write a realistic operational log (JSON Lines) with two incidents: an error spike in payments and a latency degradation in search.")
        {
            lines, output, seed, hours,
        };
        logs.SetAction(async (parse, cancellationToken) =>
        {
            var options = new LogSampleOptions { Lines = parse.GetValue(lines), Seed = parse.GetValue(seed), Hours = parse.GetValue(hours) };
            var path = parse.GetValue(output)!.FullName;
            var clock = Stopwatch.StartNew();
            await new LogSampleGenerator(options).WriteFileAsync(path, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {options.Lines:N0} lines to {path} (seed {options.Seed}, {options.Hours} h) in {clock.Elapsed.TotalSeconds:0.00} s."));
            return 0;
        });

        return new Command("samples", "Generate sample data.") { logs };
    }
}
