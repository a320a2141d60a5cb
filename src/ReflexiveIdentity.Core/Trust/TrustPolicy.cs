using System.Collections.Frozen;
using System.Text.Json;
using ReflexiveIdentity.Policy;

namespace ReflexiveIdentity.Trust;

/// <summary>
/// The <c>trust</c> section of the policy: how each component of the trust score turns ledger evidence
/// into points. Evidence decays by 2^(−age / half-life) and a component never takes off more than its
/// maximum penalty. <see cref="Parse"/> validates every field and names the offending one.
/// </summary>
public sealed record TrustPolicy
{
    /// <summary>The <c>trust</c> block shipped with the service; <see cref="Default"/> is parsed from it.</summary>
    internal const string DefaultJson = """
        {
          "recovery_step": 1,
          "components": {
            "token_verification_failures": { "weight": 10, "half_life_seconds": 86400, "max_penalty": 40 },
            "elevation_denials": { "weight": 2, "half_life_seconds": 21600, "max_penalty": 20 },
            "repetitive_retries": { "weight": 1, "half_life_seconds": 3600, "max_penalty": 20, "allowance": 5 },
            "unexpected_command_sequences": {
              "weight": 5,
              "half_life_seconds": 43200,
              "max_penalty": 30,
              "expected": {
                "start": ["read.dataset"],
                "read.dataset": ["read.dataset", "generate.report"],
                "generate.report": ["generate.report", "share.output"],
                "share.output": ["read.dataset", "share.output"]
              },
              "learn_after": 3,
              "learn_min_age_seconds": 86400
            },
            "abnormal_api_usage": {
              "weight": 0.1,
              "half_life_seconds": 3600,
              "max_penalty": 20,
              "window_seconds": 3600,
              "baseline_windows": 24,
              "factor": 3,
              "min_calls": 30
            },
            "inconsistent_reasoning": {
              "half_life_seconds": 43200,
              "max_penalty": 30,
              "weights": { "judge_inconsistent": 3, "confidence_inflation": 4, "intent_action_mismatch": 6 },
              "inflated_confidence": 0.9
            },
            "external_signals": { "weight": 20, "half_life_seconds": 86400, "max_penalty": 50 }
          }
        }
        """;

    private const int MaxSeconds = 31_536_000;

    /// <summary>
    /// How many points (of the score as published, rounded to a whole number) decay alone must move an agent's
    /// score before a sweep records and publishes it again; <c>trust.recovery_step</c>, 1 to 100, default 1.
    /// </summary>
    public double RecoveryStep { get; init; } = 1;

    /// <summary>The agent's own token failed verification (<c>token_verification_failed</c> events); one unit each.</summary>
    public required PenaltyRule TokenVerificationFailures { get; init; }

    /// <summary>Elevations denied or blocked and signed requests rejected; one unit each.</summary>
    public required PenaltyRule ElevationDenials { get; init; }

    /// <summary>Retries beyond the decayed allowance.</summary>
    public required RetryPenaltyRule RepetitiveRetries { get; init; }

    /// <summary>Stage transitions outside the expected graph.</summary>
    public required SequencePenaltyRule UnexpectedCommandSequences { get; init; }

    /// <summary>API calls well above the agent's own baseline.</summary>
    public required ApiUsagePenaltyRule AbnormalApiUsage { get; init; }

    /// <summary>Judge verdicts, inflated confidence and intent/action mismatches.</summary>
    public required ReasoningPenaltyRule InconsistentReasoning { get; init; }

    /// <summary>Outside signals; one unit per unit of severity.</summary>
    public required PenaltyRule ExternalSignals { get; init; }

    /// <summary>The trust policy shipped with the service.</summary>
    public static TrustPolicy Default { get; } = ParseDefault();

    /// <summary>Parses and validates the <c>trust</c> section; throws <see cref="PolicyValidationException"/> naming the bad field.</summary>
    /// <param name="trustSection">The value of the policy's <c>trust</c> property.</param>
    /// <param name="source">Where the policy came from (a path), for the error message.</param>
    public static TrustPolicy Parse(JsonElement trustSection, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var trust = PolicySection.Root(source, trustSection, "$.trust");
        trust.AllowOnly("recovery_step", "components");
        var components = trust.Object("components");
        components.AllowOnly([.. TrustComponents.All]);

        var retries = components.Object(TrustComponents.RepetitiveRetries);
        retries.AllowOnly("weight", "half_life_seconds", "max_penalty", "allowance");

        var sequences = components.Object(TrustComponents.UnexpectedCommandSequences);
        sequences.AllowOnly("weight", "half_life_seconds", "max_penalty", "expected", "learn_after", "learn_min_age_seconds");

        var api = components.Object(TrustComponents.AbnormalApiUsage);
        api.AllowOnly("weight", "half_life_seconds", "max_penalty", "window_seconds", "baseline_windows", "factor", "min_calls");

        var reasoning = components.Object(TrustComponents.InconsistentReasoning);
        reasoning.AllowOnly("half_life_seconds", "max_penalty", "weights", "inflated_confidence");
        var reasoningWeights = reasoning.Object("weights");
        reasoningWeights.AllowOnly("judge_inconsistent", "confidence_inflation", "intent_action_mismatch");

        return new TrustPolicy
        {
            RecoveryStep = trust.Has("recovery_step") ? trust.Number("recovery_step", 1, 100) : 1,
            TokenVerificationFailures = Simple(components.Object(TrustComponents.TokenVerificationFailures)),
            ElevationDenials = Simple(components.Object(TrustComponents.ElevationDenials)),
            RepetitiveRetries = new RetryPenaltyRule
            {
                Weight = Weight(retries),
                HalfLife = HalfLife(retries),
                MaxPenalty = MaxPenalty(retries),
                Allowance = retries.Number("allowance", 0, 1_000_000),
            },
            UnexpectedCommandSequences = new SequencePenaltyRule
            {
                Weight = Weight(sequences),
                HalfLife = HalfLife(sequences),
                MaxPenalty = MaxPenalty(sequences),
                Expected = StageGraph(sequences.Object("expected")),
                LearnAfter = sequences.Integer("learn_after", 1, 1_000_000),
                LearnMinAge = TimeSpan.FromSeconds(sequences.Integer("learn_min_age_seconds", 0, MaxSeconds)),
            },
            AbnormalApiUsage = new ApiUsagePenaltyRule
            {
                Weight = Weight(api),
                HalfLife = HalfLife(api),
                MaxPenalty = MaxPenalty(api),
                Window = TimeSpan.FromSeconds(api.Integer("window_seconds", 1, 604_800)),
                BaselineWindows = api.Integer("baseline_windows", 1, 1_000),
                Factor = api.Number("factor", 1, 1_000),
                MinCalls = api.Integer("min_calls", 0, 1_000_000),
            },
            InconsistentReasoning = new ReasoningPenaltyRule
            {
                HalfLife = HalfLife(reasoning),
                MaxPenalty = MaxPenalty(reasoning),
                JudgeInconsistentWeight = reasoningWeights.Number("judge_inconsistent", 0, 100),
                ConfidenceInflationWeight = reasoningWeights.Number("confidence_inflation", 0, 100),
                IntentActionMismatchWeight = reasoningWeights.Number("intent_action_mismatch", 0, 100),
                InflatedConfidence = reasoning.Number("inflated_confidence", 0, 1),
            },
            ExternalSignals = Simple(components.Object(TrustComponents.ExternalSignals)),
        };
    }

    private static PenaltyRule Simple(PolicySection component)
    {
        component.AllowOnly("weight", "half_life_seconds", "max_penalty");
        return new PenaltyRule { Weight = Weight(component), HalfLife = HalfLife(component), MaxPenalty = MaxPenalty(component) };
    }

    private static TrustPolicy ParseDefault()
    {
        using var document = JsonDocument.Parse(DefaultJson);
        return Parse(document.RootElement, "built-in trust policy");
    }

    private static double Weight(PolicySection component) => component.Number("weight", 0, 100);

    private static TimeSpan HalfLife(PolicySection component) => TimeSpan.FromSeconds(component.Integer("half_life_seconds", 1, MaxSeconds));

    private static double MaxPenalty(PolicySection component) => component.Number("max_penalty", 0, 100);

    /// <summary>This object as a stage graph: <c>start</c> or a stage scope, to the stage scopes allowed next.</summary>
    private static FrozenDictionary<string, IReadOnlySet<string>> StageGraph(PolicySection section)
    {
        var (source, path) = (section.Source, section.Path);
        var graph = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var property in section.Element.EnumerateObject())
        {
            var fromPath = $"{path}.{property.Name}";
            if (!IsStageName(property.Name))
            {
                throw new PolicyValidationException(source, fromPath, "a stage name must be non-empty and contain no spaces");
            }

            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                throw new PolicyValidationException(source, fromPath, "must be an array of stage scopes");
            }

            var next = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var item in property.Value.EnumerateArray())
            {
                var stage = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                if (stage is null || !IsStageName(stage) || stage == SequencePenaltyRule.Start)
                {
                    throw new PolicyValidationException(source, $"{fromPath}[{index}]", $"must be a stage scope (non-empty, no spaces, not \"{SequencePenaltyRule.Start}\")");
                }

                next.Add(stage);
                index++;
            }

            graph[property.Name] = next.ToFrozenSet(StringComparer.Ordinal);
        }

        return graph.ContainsKey(SequencePenaltyRule.Start)
            ? graph.ToFrozenDictionary(StringComparer.Ordinal)
            : throw section.Invalid(SequencePenaltyRule.Start, "is required: it lists the stages a job may begin with");
    }

    private static bool IsStageName(string name) => name.Length > 0 && !name.Any(char.IsWhiteSpace);
}

/// <summary>A component that counts units of evidence: penalty = min(max, weight × Σ decayed units).</summary>
public sealed record PenaltyRule
{
    /// <summary>Points per unit of evidence, before decay.</summary>
    public required double Weight { get; init; }

    /// <summary>After this long a unit of evidence counts half.</summary>
    public required TimeSpan HalfLife { get; init; }

    /// <summary>The most points the component takes off the score.</summary>
    public required double MaxPenalty { get; init; }
}

/// <summary>Retries: penalty = min(max, weight × max(0, Σ decayed retries − allowance)).</summary>
public sealed record RetryPenaltyRule
{
    /// <summary>Points per retry beyond the allowance.</summary>
    public required double Weight { get; init; }

    /// <summary>After this long a retry counts half.</summary>
    public required TimeSpan HalfLife { get; init; }

    /// <summary>The most points the component takes off the score.</summary>
    public required double MaxPenalty { get; init; }

    /// <summary>How many decayed retries are free: every agent retries now and then.</summary>
    public required double Allowance { get; init; }
}

/// <summary>Stage transitions outside the expected graph, one unit each.</summary>
public sealed record SequencePenaltyRule
{
    /// <summary>The graph node a job begins from.</summary>
    public const string Start = "start";

    /// <summary>Points per unexpected transition.</summary>
    public required double Weight { get; init; }

    /// <summary>After this long an unexpected transition counts half.</summary>
    public required TimeSpan HalfLife { get; init; }

    /// <summary>The most points the component takes off the score.</summary>
    public required double MaxPenalty { get; init; }

    /// <summary>The configured stage graph: <see cref="Start"/> or a stage scope, to the stage scopes allowed next.</summary>
    public required IReadOnlyDictionary<string, IReadOnlySet<string>> Expected { get; init; }

    /// <summary>A transition outside the graph seen this many times at least <see cref="LearnMinAge"/> ago becomes expected for that agent.</summary>
    public required int LearnAfter { get; init; }

    /// <summary>How old an occurrence must be to teach a transition: recent behaviour cannot whitelist itself.</summary>
    public required TimeSpan LearnMinAge { get; init; }

    /// <summary>Whether the configured graph allows <paramref name="to"/> after <paramref name="from"/>.</summary>
    public bool Allows(string from, string to) => Expected.TryGetValue(from, out var next) && next.Contains(to);
}

/// <summary>
/// API calls against the agent's own baseline: when the calls in the latest window exceed
/// max(<see cref="MinCalls"/>, <see cref="Factor"/> × the mean of the earlier windows), each call in the
/// latest window is a unit of evidence.
/// </summary>
public sealed record ApiUsagePenaltyRule
{
    /// <summary>Points per call in an abnormal window.</summary>
    public required double Weight { get; init; }

    /// <summary>After this long a call counts half.</summary>
    public required TimeSpan HalfLife { get; init; }

    /// <summary>The most points the component takes off the score.</summary>
    public required double MaxPenalty { get; init; }

    /// <summary>The length of a window; the latest one ends at the assessment time.</summary>
    public required TimeSpan Window { get; init; }

    /// <summary>How many windows before the latest one form the agent's baseline.</summary>
    public required int BaselineWindows { get; init; }

    /// <summary>How many times the baseline rate counts as abnormal.</summary>
    public required double Factor { get; init; }

    /// <summary>At or below this many calls in the latest window nothing is abnormal.</summary>
    public required int MinCalls { get; init; }
}

/// <summary>
/// Reasoning that does not hold up: each kind of evidence carries its own weight; penalty =
/// min(max, Σ weight × decay).
/// </summary>
public sealed record ReasoningPenaltyRule
{
    /// <summary>After this long a piece of evidence counts half.</summary>
    public required TimeSpan HalfLife { get; init; }

    /// <summary>The most points the component takes off the score.</summary>
    public required double MaxPenalty { get; init; }

    /// <summary>Points per decision whose judge verdict was <c>inconsistent</c>.</summary>
    public required double JudgeInconsistentWeight { get; init; }

    /// <summary>Points per decision with confidence at or above <see cref="InflatedConfidence"/> that was denied as vague or off-intent.</summary>
    public required double ConfidenceInflationWeight { get; init; }

    /// <summary>Points per elevated stage that did not follow the intent just granted, or ran with no live allow.</summary>
    public required double IntentActionMismatchWeight { get; init; }

    /// <summary>The confidence from which a rationale denied as vague or off-intent counts as inflated.</summary>
    public required double InflatedConfidence { get; init; }
}
