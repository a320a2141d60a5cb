using System.Text.Json.Nodes;

namespace ReflexiveIdentity.Cli.Tests;

/// <summary><c>reflexive agent run</c> and <c>reflexive demo</c> as a newcomer runs them: no settings, a local tenant started in-process.</summary>
public sealed class AgentAndDemoCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "reflexive-cli-tests", Guid.NewGuid().ToString("N"));

    public AgentAndDemoCommandTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind at worst.
        }
    }

    [Fact]
    public async Task AgentRun_NoSettings_RunsTheSampleThroughAllThreeGatesAndWritesTheReport()
    {
        var reports = Path.Combine(folder, "reports");

        var (exitCode, output, error) = await CliProcess.RunAsync(
            Environment(),
            "agent", "run", "--dataset", RepositoryPaths.SampleDataset, "--destination", reports, "--report", "weekly-ops");

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("local tenant", output, StringComparison.Ordinal);
        foreach (var scope in new[] { "read.dataset", "generate.report", "share.output" })
        {
            Assert.Matches($@"{scope.Replace(".", "\\.", StringComparison.Ordinal)}\s+gate passed", output);
        }

        Assert.Contains("completed: All 3 stages ran.", output, StringComparison.Ordinal);
        Assert.Contains("<svg", await File.ReadAllTextAsync(Path.Combine(reports, "weekly-ops.html")), StringComparison.Ordinal);
        Assert.Contains("| service | requests |", await File.ReadAllTextAsync(Path.Combine(reports, "weekly-ops.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentRun_MissingDataset_FailsWithTheDatasetNamed()
    {
        var missing = Path.Combine(folder, "nope.jsonl");

        var (exitCode, output, error) = await CliProcess.RunAsync(Environment(), "agent", "run", "--dataset", missing, "--destination", folder);

        Assert.Equal(1, exitCode);
        Assert.Contains($"The dataset {missing} does not exist.", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoJson_EveryExpectedStepHappens_ExitsZeroWithOneObjectPerStep()
    {
        var (exitCode, output, error) = await CliProcess.RunAsync(Environment(), "demo", "--json", "--reports", Path.Combine(folder, "reports"));

        Assert.True(exitCode == 0, output + error);
        var steps = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        Assert.All(steps, step =>
        {
            Assert.Equal("agent_omega", step["agent_id"]!.GetValue<string>());
            Assert.True(step.ContainsKey("decision") && step.ContainsKey("reason_codes") && step.ContainsKey("trust_score") && step.ContainsKey("step"));
            Assert.True(step["ok"]!.GetValue<bool>(), step.ToJsonString());
        });
        var names = steps.Select(s => s["step"]!.GetValue<string>()).ToList();
        Assert.Equal(
            ["stack_started", "job_completed", "drift_inconsistent_reasoning", "drift_retry_storm", "drift_out_of_order_stages", "drift_peer_consensus_signal", "quarantined", "token_refused", "agent_halted"],
            names.Where(n => !n.Contains(':', StringComparison.Ordinal)));
        var elevations = steps.Where(s => s["step"]!.GetValue<string>().StartsWith("elevation_requested:", StringComparison.Ordinal)).Take(2).ToList();
        Assert.All(elevations, e =>
        {
            Assert.Equal("allow", e["decision"]!.GetValue<string>());
            Assert.Contains("policy_satisfied", e["reason_codes"]!.AsArray().Select(c => c!.GetValue<string>()));
        });
        var inconsistent = steps.Single(s => s["step"]!.GetValue<string>() == "drift_inconsistent_reasoning");
        Assert.Equal("deny", inconsistent["decision"]!.GetValue<string>());
        Assert.Contains("intent_scope_mismatch", inconsistent["reason_codes"]!.AsArray().Select(c => c!.GetValue<string>()));
        var quarantined = steps.Single(s => s["step"]!.GetValue<string>() == "quarantined");
        Assert.True(quarantined["trust_score"]!.GetValue<double>() < 70);
        Assert.Equal("quarantined", quarantined["status"]!.GetValue<string>());
        Assert.Equal("block", steps.Single(s => s["step"]!.GetValue<string>() == "token_refused")["decision"]!.GetValue<string>());
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["Ledger__SqlitePath"] = Path.Combine(folder, "ledger.db"),
    };
}
