using System.Text.Json.Nodes;
using ReflexiveIdentity.Adapters.Reasoning;
using ReflexiveIdentity.Reasoning;
using ReflexiveIdentity.Testing.Reasoning;

namespace ReflexiveIdentity.Adapters.Tests.Reasoning;

/// <summary>The model-backed rationale writer through the real Azure OpenAI client against a local server.</summary>
public sealed class ChatRationaleWriterTests : IAsyncLifetime
{
    private static readonly RationaleRequest GoodRequest = new(
        "agent_omega", "generate.report", "Generate the operational report for ops-logs.jsonl", ["read 2,000 log lines from 6 services, 3.1% errors"], 0, 0);

    private ChatCompletionsServer server = null!;

    public async Task InitializeAsync() => server = await ChatCompletionsServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task WriteDetailedAsync_ModelAnswers_UsesItsIntentAndReason()
    {
        server.Answer = _ => """{"intent":"Generate the operational report for ops-logs.jsonl","reason":"The weekly ops review needs error rates for all 6 services read so far.","confidence":0.85}""";
        using var stack = new ReasoningStack(server.Endpoint);
        var writer = Assert.IsType<ChatRationaleWriter>(stack.Writer);

        var written = await writer.WriteDetailedAsync(GoodRequest, CancellationToken.None);

        Assert.Equal("openai", written.Kind);
        Assert.Null(written.Fallback);
        Assert.Equal("Generate the operational report for ops-logs.jsonl", written.Rationale.Intent);
        Assert.Equal("The weekly ops review needs error rates for all 6 services read so far.", written.Rationale.Reason);
        Assert.Equal(0.85, written.Rationale.Confidence);
        var data = JsonNode.Parse(Assert.Single(server.Calls).User)!;
        Assert.Equal(0.92, data["max_confidence"]!.GetValue<double>());
        Assert.Equal("generate.report", data["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task WriteDetailedAsync_ModelInflatesConfidence_IsClampedToTheEvidence()
    {
        server.Answer = _ => """{"intent":"Generate the operational report","reason":"The weekly ops review needs error rates per service right now.","confidence":0.99}""";
        using var stack = new ReasoningStack(server.Endpoint);
        var writer = Assert.IsType<ChatRationaleWriter>(stack.Writer);

        var clean = await writer.WriteDetailedAsync(GoodRequest, CancellationToken.None);
        var afterFailure = await writer.WriteDetailedAsync(GoodRequest with { Failures = 1, Retries = 1 }, CancellationToken.None);

        Assert.Equal(0.92, clean.Rationale.Confidence);
        Assert.Equal(0.72, afterFailure.Rationale.Confidence);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"intent\":\"Generate the report\",\"reason\":\"The weekly ops review needs it badly.\"}")]
    [InlineData("{\"intent\":\"Generate the report\",\"reason\":\"too short\",\"confidence\":0.8}")]
    [InlineData("{\"intent\":\"Do something nice\",\"reason\":\"The weekly ops review needs error rates per service.\",\"confidence\":0.8}")]
    [InlineData("{\"intent\":7,\"reason\":\"The weekly ops review needs error rates per service.\",\"confidence\":0.8}")]
    public async Task WriteDetailedAsync_MalformedAnswer_FallsBackToTheDeterministicWriter(string answer)
    {
        server.Answer = _ => answer;
        using var stack = new ReasoningStack(server.Endpoint);
        var writer = Assert.IsType<ChatRationaleWriter>(stack.Writer);

        var written = await writer.WriteDetailedAsync(GoodRequest, CancellationToken.None);

        Assert.Equal("deterministic", written.Kind);
        Assert.NotNull(written.Fallback);
        Assert.Equal(DeterministicRationaleWriter.Write(GoodRequest), written.Rationale);
    }

    [Fact]
    public async Task WriteAsync_ModelUnreachable_FallsBackToTheDeterministicWriter()
    {
        var endpoint = server.Endpoint;
        await server.DisposeAsync();
        server = await ChatCompletionsServer.StartAsync();
        using var stack = new ReasoningStack(endpoint);

        var rationale = await stack.Writer.WriteAsync(GoodRequest, CancellationToken.None);

        Assert.Equal(DeterministicRationaleWriter.Write(GoodRequest), rationale);
    }

    [Fact]
    public async Task AddReasoning_NoOpenAISettings_IsDeterministicWithNoJudge()
    {
        using var stack = new ReasoningStack(null);

        Assert.Null(stack.Judge);
        Assert.False(stack.Review.HasJudge);
        Assert.IsType<DeterministicRationaleWriter>(stack.Writer);
        Assert.Equal("deterministic (no OpenAI settings): policy only, no judge; deterministic rationale writer", stack.Settings.Description);
        Assert.Null(await stack.Review.ReviewAsync(new JudgeRequest("a", new("Generate the report", "Weekly ops review needs error rates", 0.9), ["generate.report"], []), CancellationToken.None));
    }

    [Fact]
    public void AddReasoning_OpenAISettings_RegistersTheChatJudgeWithTheBudgetAndDescribesItWithoutTheKey()
    {
        using var stack = new ReasoningStack(server.Endpoint, new Dictionary<string, string?> { ["OpenAI:JudgeBudgetSeconds"] = "1.5", ["OpenAI:JudgeFailClosed"] = "true" });

        Assert.IsType<ChatRationaleJudge>(stack.Judge);
        Assert.True(stack.Review.HasJudge);
        Assert.Equal(TimeSpan.FromSeconds(1.5), stack.Review.Options.JudgeBudget);
        Assert.True(stack.Review.Options.FailClosed);
        Assert.Equal(
            $"Azure OpenAI deployment {ReasoningStack.Deployment} at {server.Endpoint.GetLeftPart(UriPartial.Authority)} (API key): judge (budget 1.5 s, fail-closed: an unavailable judge denies) and model rationale writer",
            stack.Settings.Description);
        Assert.DoesNotContain(ReasoningStack.ApiKey, stack.Settings.ToString(), StringComparison.Ordinal);
    }
}
