using ReflexiveIdentity.Policy;

namespace ReflexiveIdentity.Core.Tests;

public sealed class PolicyDocumentTests
{
    [Fact]
    public void Default_ShippedPolicy_ParsesWithTheThreeAgentScopes()
    {
        var policy = PolicyDocument.Default;

        Assert.Equal(70, policy.TrustThreshold);
        Assert.Equal(["generate.report", "read.dataset", "share.output"], policy.Scopes.Keys.Order(StringComparer.Ordinal));
        Assert.True(policy.Scopes["read.dataset"].Baseline);
        Assert.True(policy.Scopes["share.output"].Critical);
    }

    [Theory]
    [InlineData("\"min_confidence\": 0.8", "\"min_confidence\": 1.5", "$.scopes.share.output.min_confidence", "between 0 and 1")]
    [InlineData("\"trust_threshold\": 70", "\"trust_threshold\": \"high\"", "$.trust_threshold", "must be a number")]
    [InlineData("\"max_ttl_seconds\": 300", "\"max_ttl_seconds\": 0", "$.scopes.share.output.max_ttl_seconds", "between 1 and 86400")]
    [InlineData("\"restore_at\": 80", "\"restore_at\": 60", "$.restore_at", "at least trust_threshold")]
    [InlineData("\"critical\": true,\n      \"baseline\": false,\n      \"min_confidence\": 0.8", "\"critical\": true,\n      \"baseline\": false,\n      \"min_confidense\": 0.8", "$.scopes.share.output.min_confidense", "not a known setting")]
    public void Parse_BadField_NamesTheField(string original, string replacement, string field, string problem)
    {
        var json = PolicyDocument.ReadDefaultJson();
        Assert.Contains(original, json, StringComparison.Ordinal);
        var bad = ReplaceLast(json, original, replacement);

        var error = Assert.Throws<PolicyValidationException>(() => PolicyDocument.Parse(bad, "policy.json"));

        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("policy.json: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_ShippedTrustBlock_IsTheBuiltInTrustPolicy()
    {
        var shipped = System.Text.Json.Nodes.JsonNode.Parse(PolicyDocument.ReadDefaultJson())!["trust"];

        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(shipped, System.Text.Json.Nodes.JsonNode.Parse(global::ReflexiveIdentity.Trust.TrustPolicy.DefaultJson)));
    }

    [Fact]
    public void Parse_NotJson_SaysSo()
    {
        var error = Assert.Throws<PolicyValidationException>(() => PolicyDocument.Parse("{ not json", "p.json"));

        Assert.Contains("is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingScopes_NamesScopes()
    {
        var error = Assert.Throws<PolicyValidationException>(() => PolicyDocument.Parse("""{"trust_threshold": 70, "restore_at": 80, "elevation": {"rate_limit": {"max_requests": 1, "window_seconds": 1}, "max_active_grants": 1, "reason": {"min_length": 1, "min_words": 1, "vague_phrases": []}}}""", "p.json"));

        Assert.Equal("$.scopes", error.Field);
    }

    private static string ReplaceLast(string text, string original, string replacement)
    {
        var index = text.LastIndexOf(original, StringComparison.Ordinal);
        return text[..index] + replacement + text[(index + original.Length)..];
    }
}
