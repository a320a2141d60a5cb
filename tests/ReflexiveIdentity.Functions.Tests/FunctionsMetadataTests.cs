using System.Text.Json.Nodes;
using ReflexiveIdentity.Http.Settings;

namespace ReflexiveIdentity.Functions.Tests;

/// <summary>The built <c>functions.metadata</c> is what the Functions host indexes: pin its triggers and routes.</summary>
public sealed class FunctionsMetadataTests
{
    public static TheoryData<string, string, string, string> Expected => new()
    {
        { "Elevations", "post", "v1/elevations", "Function" },
        { "ListAgents", "get", "v1/agents", "Function" },
        { "GetAgent", "get", "v1/agents/{agentId}", "Function" },
        { "GetGrant", "get", "v1/grants/{grantId}", "Function" },
        { "LedgerVerify", "get", "v1/ledger/verify", "Function" },
        { "Health", "get", "health", "Anonymous" },
        { "RestoreAgent", "post", "v1/agents/{agentId}/restore", "Function" },
        { "RecordAgentEvent", "post", "v1/agents/{agentId}/events", "Function" },
        { "RecordAgentSignal", "post", "v1/agents/{agentId}/signals", "Function" },
        { "DashboardPage", "get", "dashboard", "Anonymous" },
        { "DashboardAsset", "get", "dashboard/{asset}", "Anonymous" },
        { "DashboardSnapshot", "get", "v1/dashboard", "Function" },
        { "EnqueueAgentJob", "post", "v1/agents/{agentId}/jobs", "Function" },
    };

    [Fact]
    public void Metadata_SweepRunsOnTheScheduleSetting()
    {
        var trigger = Binding("IntegritySweep", "timerTrigger");

        Assert.Equal("%Sweep__Schedule%", trigger["schedule"]!.GetValue<string>());
    }

    [Fact]
    public void Metadata_ImmediateResponseListensOnTheIntegrityQueue()
    {
        var trigger = Binding("IntegrityResponder", "queueTrigger");

        Assert.Equal("agent-integrity", trigger["queueName"]!.GetValue<string>());
    }

    [Fact]
    public void Metadata_AgentOmegaWorkerListensOnAgentJobsInTheAppStorage()
    {
        var trigger = Binding("AgentOmegaWorker", "queueTrigger");

        Assert.Equal("agent-jobs", trigger["queueName"]!.GetValue<string>());
        Assert.Equal("AzureWebJobsStorage", trigger["connection"]!.GetValue<string>());
        Assert.Equal("True", trigger["properties"]!["supportsDeferredBinding"]!.GetValue<string>());
    }

    [Fact]
    public void HostJson_QueueRetriesMatchWhatTheHandlerCounts()
    {
        var queues = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")))!["extensions"]!["queues"]!;

        Assert.Equal(AgentJobSettings.DefaultMaxDequeueCount, queues["maxDequeueCount"]!.GetValue<int>());
        Assert.Equal(AgentJobSettings.DefaultRetryDelay, TimeSpan.Parse(queues["visibilityTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("base64", queues["messageEncoding"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void Metadata_ListsTheHttpTrigger(string name, string method, string route, string authLevel)
    {
        var function = Functions().Single(f => f!["name"]!.GetValue<string>() == name)!;
        var trigger = function["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!;

        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal(authLevel, trigger["authLevel"]!.GetValue<string>());
        Assert.Contains(function["bindings"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "http" && b["name"]!.GetValue<string>() == "$return");
    }

    [Fact]
    public void Metadata_HasNoUnexpectedFunctions()
    {
        Assert.Equal(
            Expected.Select(row => (string)row[0]!).Append("IntegritySweep").Append("IntegrityResponder").Append("AgentOmegaWorker").Order(StringComparer.Ordinal),
            Functions().Select(f => f!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    private static JsonNode Binding(string function, string type) =>
        Functions().Single(f => f!["name"]!.GetValue<string>() == function)!["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == type)!;

    private static JsonArray Functions()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata was not built next to the tests ({path}).");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    }
}
