using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Policy;
using ReflexiveIdentity.Reasoning;

namespace ReflexiveIdentity.Core.Tests.Reasoning;

public sealed class DeterministicRationaleWriterTests
{
    private static readonly ElevationPolicy Policy = new(PolicyDocument.Default);

    [Theory]
    [InlineData("generate.report", "Generate the operational report for ops-logs.jsonl")]
    [InlineData("share.output", "Share the operational report with the ops channel")]
    public async Task WriteAsync_GoodEvidence_IsAcceptedByTheDefaultPolicy(string scope, string task)
    {
        var rationale = await new DeterministicRationaleWriter().WriteAsync(Request(scope, task), CancellationToken.None);

        var decision = Policy.Decide(ElevationFor(scope, rationale), Standing());

        Assert.Equal(DecisionKind.Allow, decision.Kind);
        Assert.Equal([scope], decision.GrantedScopes);
        Assert.Equal(0.92, rationale.Confidence);
        Assert.Equal(task, rationale.Intent);
        Assert.Contains("read 2,000 log lines from 6 services, 3.1% errors", rationale.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, 0.92)]
    [InlineData(1, 0, 0.77)]
    [InlineData(0, 1, 0.87)]
    [InlineData(1, 2, 0.67)]
    [InlineData(5, 0, 0.17)]
    [InlineData(6, 0, 0.1)]
    [InlineData(0, 40, 0.1)]
    public void ConfidenceFor_FailuresAndRetries_LowerItToAFloor(int failures, int retries, double expected)
    {
        var confidence = DeterministicRationaleWriter.ConfidenceFor(Request("generate.report", "Generate the report") with { Failures = failures, Retries = retries });

        Assert.Equal(expected, confidence);
    }

    [Fact]
    public void ConfidenceFor_NoEvidence_IsLowerSoShareOutputIsDenied()
    {
        var request = Request("share.output", "Share the operational report") with { Evidence = [] };

        var rationale = DeterministicRationaleWriter.Write(request);
        var decision = Policy.Decide(ElevationFor("share.output", rationale), Standing());

        Assert.Equal(0.72, rationale.Confidence);
        Assert.Equal(DecisionKind.Deny, decision.Kind);
        Assert.Equal(ReasonCode.ConfidenceBelowThreshold, Assert.Single(decision.DeniedScopes).Code);
    }

    [Fact]
    public void Write_OneFailureBeforeSharing_FallsBelowShareOutputsMinimumButNotGenerateReports()
    {
        var share = DeterministicRationaleWriter.Write(Request("share.output", "Share the report") with { Failures = 1 });
        var generate = DeterministicRationaleWriter.Write(Request("generate.report", "Generate the report") with { Failures = 1 });

        Assert.Equal(DecisionKind.Deny, Policy.Decide(ElevationFor("share.output", share), Standing()).Kind);
        Assert.Equal(DecisionKind.Allow, Policy.Decide(ElevationFor("generate.report", generate), Standing()).Kind);
        Assert.Contains("1 failed attempt and 0 retries", share.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_TaskWithoutTheScopesWords_AddsTheScopeToTheIntent()
    {
        var rationale = DeterministicRationaleWriter.Write(Request("share.output", "Post the weekly numbers to the ops channel"));

        Assert.Equal("Post the weekly numbers to the ops channel (share.output)", rationale.Intent);
        Assert.Equal(DecisionKind.Allow, Policy.Decide(ElevationFor("share.output", rationale), Standing()).Kind);
    }

    [Fact]
    public void Write_BlankTask_UsesTheScopesWords()
    {
        var rationale = DeterministicRationaleWriter.Write(Request("generate.report", "  "));

        Assert.Equal("Generate report", rationale.Intent);
        Assert.Equal(DecisionKind.Allow, Policy.Decide(ElevationFor("generate.report", rationale), Standing()).Kind);
    }

    [Fact]
    public void Kind_IsDeterministic() => Assert.Equal("deterministic", new DeterministicRationaleWriter().Kind);

    private static RationaleRequest Request(string scope, string task) =>
        new("agent_omega", scope, task, ["read 2,000 log lines from 6 services, 3.1% errors", "report built with 6 sections"], 0, 0);

    private static ElevationRequest ElevationFor(string scope, Rationale rationale) => new()
    {
        AgentId = "agent_omega",
        Principal = new Principal(PrincipalType.User, "auth0|agent_omega"),
        RequestedScopes = [scope],
        Rationale = rationale,
    };

    private static AgentStanding Standing() => new() { TrustScore = 100, Status = AgentStatus.Active, RevokedScopes = [], RecentRequests = 0, ActiveGrants = 0 };
}
