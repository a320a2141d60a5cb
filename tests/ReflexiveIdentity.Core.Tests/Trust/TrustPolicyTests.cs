using System.Text.Json;
using System.Text.Json.Nodes;
using ReflexiveIdentity.Policy;
using ReflexiveIdentity.Trust;

namespace ReflexiveIdentity.Core.Tests.Trust;

public sealed class TrustPolicyTests
{
    [Fact]
    public void Default_ShippedBlock_HasTheDocumentedValues()
    {
        var policy = TrustPolicy.Default;

        Assert.Equal(new PenaltyRule { Weight = 10, HalfLife = TimeSpan.FromHours(24), MaxPenalty = 40 }, policy.TokenVerificationFailures);
        Assert.Equal(new PenaltyRule { Weight = 2, HalfLife = TimeSpan.FromHours(6), MaxPenalty = 20 }, policy.ElevationDenials);
        Assert.Equal(new RetryPenaltyRule { Weight = 1, HalfLife = TimeSpan.FromHours(1), MaxPenalty = 20, Allowance = 5 }, policy.RepetitiveRetries);
        Assert.Equal(
            new ApiUsagePenaltyRule { Weight = 0.1, HalfLife = TimeSpan.FromHours(1), MaxPenalty = 20, Window = TimeSpan.FromHours(1), BaselineWindows = 24, Factor = 3, MinCalls = 30 },
            policy.AbnormalApiUsage);
        Assert.Equal(
            new ReasoningPenaltyRule { HalfLife = TimeSpan.FromHours(12), MaxPenalty = 30, JudgeInconsistentWeight = 3, ConfidenceInflationWeight = 4, IntentActionMismatchWeight = 6, InflatedConfidence = 0.9 },
            policy.InconsistentReasoning);
        Assert.Equal(new PenaltyRule { Weight = 20, HalfLife = TimeSpan.FromHours(24), MaxPenalty = 50 }, policy.ExternalSignals);

        var sequences = policy.UnexpectedCommandSequences;
        Assert.Equal((5, TimeSpan.FromHours(12), 30, 3, TimeSpan.FromHours(24)), (sequences.Weight, sequences.HalfLife, sequences.MaxPenalty, sequences.LearnAfter, sequences.LearnMinAge));
        Assert.Equal(["generate.report", "read.dataset", "share.output", "start"], sequences.Expected.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["read.dataset"], sequences.Expected["start"]);
        Assert.Equal(["generate.report", "read.dataset"], sequences.Expected["read.dataset"].Order(StringComparer.Ordinal));
        Assert.Equal(["generate.report", "share.output"], sequences.Expected["generate.report"].Order(StringComparer.Ordinal));
        Assert.Equal(["read.dataset", "share.output"], sequences.Expected["share.output"].Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("components.repetitive_retries.half_life_seconds", "0", "$.trust.components.repetitive_retries.half_life_seconds", "must be between 1 and 31536000, was 0")]
    [InlineData("components.repetitive_retries.half_life_seconds", "1.5", "$.trust.components.repetitive_retries.half_life_seconds", "must be a whole number")]
    [InlineData("components.elevation_denials.weight", "-1", "$.trust.components.elevation_denials.weight", "must be between 0 and 100, was -1")]
    [InlineData("components.external_signals.max_penalty", "101", "$.trust.components.external_signals.max_penalty", "must be between 0 and 100, was 101")]
    [InlineData("components.token_verification_failures.weight", "\"10\"", "$.trust.components.token_verification_failures.weight", "must be a number")]
    [InlineData("components.repetitive_retries.allowence", "5", "$.trust.components.repetitive_retries.allowence", "is not a known setting")]
    [InlineData("components.trust_fall", "{}", "$.trust.components.trust_fall", "is not a known setting")]
    [InlineData("thresholds", "{}", "$.trust.thresholds", "is not a known setting")]
    [InlineData("components.abnormal_api_usage", null, "$.trust.components.abnormal_api_usage", "is required")]
    [InlineData("components.abnormal_api_usage.factor", "0.5", "$.trust.components.abnormal_api_usage.factor", "must be between 1 and 1000")]
    [InlineData("components.abnormal_api_usage.baseline_windows", null, "$.trust.components.abnormal_api_usage.baseline_windows", "is required")]
    [InlineData("components.unexpected_command_sequences.learn_after", "0", "$.trust.components.unexpected_command_sequences.learn_after", "must be between 1 and 1000000")]
    [InlineData("components.unexpected_command_sequences.expected.start", null, "$.trust.components.unexpected_command_sequences.expected.start", "is required")]
    [InlineData("components.unexpected_command_sequences.expected.read.dataset", "[\"generate.report\", 7]", "$.trust.components.unexpected_command_sequences.expected.read.dataset[1]", "must be a stage scope")]
    [InlineData("components.unexpected_command_sequences.expected.share.output", "[\"start\"]", "$.trust.components.unexpected_command_sequences.expected.share.output[0]", "not \"start\"")]
    [InlineData("components.unexpected_command_sequences.expected.share.output", "\"read.dataset\"", "$.trust.components.unexpected_command_sequences.expected.share.output", "must be an array")]
    [InlineData("components.inconsistent_reasoning.inflated_confidence", "1.5", "$.trust.components.inconsistent_reasoning.inflated_confidence", "must be between 0 and 1, was 1.5")]
    [InlineData("components.inconsistent_reasoning.weight", "3", "$.trust.components.inconsistent_reasoning.weight", "is not a known setting")]
    [InlineData("components.inconsistent_reasoning.weights.judge_inconsistent", null, "$.trust.components.inconsistent_reasoning.weights.judge_inconsistent", "is required")]
    [InlineData("recovery_step", "0.5", "$.trust.recovery_step", "must be between 1 and 100, was 0.5")]
    [InlineData("recovery_step", "\"1\"", "$.trust.recovery_step", "must be a number")]
    public void Parse_BadField_NamesTheField(string path, string? value, string field, string problem)
    {
        var trust = JsonNode.Parse(TrustPolicy.DefaultJson)!.AsObject();
        Set(trust, path, value);
        using var document = JsonDocument.Parse(trust.ToJsonString());

        var error = Assert.Throws<PolicyValidationException>(() => TrustPolicy.Parse(document.RootElement, "policy.json"));

        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"policy.json: {field} ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5", 5)]
    [InlineData(null, 1)]
    public void Parse_RecoveryStep_ReadOrOneWhenAbsent(string? value, double expected)
    {
        var trust = JsonNode.Parse(TrustPolicy.DefaultJson)!.AsObject();
        Set(trust, "recovery_step", value);
        using var document = JsonDocument.Parse(trust.ToJsonString());

        Assert.Equal(expected, TrustPolicy.Parse(document.RootElement, "policy.json").RecoveryStep);
    }

    [Fact]
    public void Parse_SectionNotAnObject_NamesTheSection()
    {
        using var document = JsonDocument.Parse("[]");

        var error = Assert.Throws<PolicyValidationException>(() => TrustPolicy.Parse(document.RootElement, "policy.json"));

        Assert.Equal("$.trust", error.Field);
    }

    [Fact]
    public void Parse_CustomGraph_ReplacesTheDefault()
    {
        var trust = JsonNode.Parse(TrustPolicy.DefaultJson)!.AsObject();
        Set(trust, "components.unexpected_command_sequences.expected", """{"start": ["read.dataset", "share.output"], "read.dataset": []}""");
        using var document = JsonDocument.Parse(trust.ToJsonString());

        var sequences = TrustPolicy.Parse(document.RootElement, "policy.json").UnexpectedCommandSequences;

        Assert.True(sequences.Allows("start", "share.output"));
        Assert.False(sequences.Allows("read.dataset", "read.dataset"));
        Assert.False(sequences.Allows("generate.report", "share.output"));
    }

    /// <summary>Sets (or, for a null value, removes) the property at a dotted path; scope names keep their dot.</summary>
    private static void Set(JsonObject root, string path, string? value)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('.'))
        {
            // "read" "dataset" -> "read.dataset": a scope name is the only dotted key.
            if (parts.Count > 0 && parts[^1] is "read" or "generate" or "share")
            {
                parts[^1] = $"{parts[^1]}.{part}";
            }
            else
            {
                parts.Add(part);
            }
        }

        var node = root;
        foreach (var part in parts.SkipLast(1))
        {
            node = node[part]!.AsObject();
        }

        if (value is null)
        {
            node.Remove(parts[^1]);
        }
        else
        {
            node[parts[^1]] = JsonNode.Parse(value);
        }
    }
}
