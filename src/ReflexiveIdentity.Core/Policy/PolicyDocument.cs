using System.Reflection;
using System.Text.Json;

namespace ReflexiveIdentity.Policy;

/// <summary>
/// The policy as data (<c>policy.json</c>): per-scope rules, the trust threshold and elevation limits.
/// <see cref="Parse"/> validates everything and names the offending field.
/// </summary>
public sealed record PolicyDocument
{
    /// <summary>Below this trust score an agent is blocked and quarantined.</summary>
    public required double TrustThreshold { get; init; }

    /// <summary>The score at or above which a quarantined agent may be restored.</summary>
    public required double RestoreAt { get; init; }

    /// <summary>How many elevation requests an agent may make per <see cref="RateLimitWindow"/>.</summary>
    public required int RateLimitMaxRequests { get; init; }

    /// <summary>The sliding window of the elevation rate limit.</summary>
    public required TimeSpan RateLimitWindow { get; init; }

    /// <summary>How many grants an agent may hold at once.</summary>
    public required int MaxActiveGrants { get; init; }

    /// <summary>The shortest specific reason, in characters.</summary>
    public required int ReasonMinLength { get; init; }

    /// <summary>The fewest words a specific reason has.</summary>
    public required int ReasonMinWords { get; init; }

    /// <summary>Stock phrases that make a reason vague when the reason is nothing more than one of them.</summary>
    public required IReadOnlyList<string> VaguePhrases { get; init; }

    /// <summary>The rules of every known scope, by name.</summary>
    public required IReadOnlyDictionary<string, ScopeRule> Scopes { get; init; }

    /// <summary>How the trust score is computed: component weights, half-lives and limits (<c>trust</c>; defaults when absent).</summary>
    public required Trust.TrustPolicy Trust { get; init; }

    /// <summary>The policy shipped with the service.</summary>
    public static PolicyDocument Default { get; } = Parse(ReadDefaultJson(), "built-in policy.json");

    /// <summary>The text of the shipped policy, for operators who want a starting point.</summary>
    public static string ReadDefaultJson()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ReflexiveIdentity.Policy.policy.json")
            ?? throw new InvalidOperationException("The built-in policy.json is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses and validates a policy; throws <see cref="PolicyValidationException"/> naming the bad field.</summary>
    /// <param name="json">The policy text.</param>
    /// <param name="source">Where it came from (a path), for the error message.</param>
    public static PolicyDocument Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new PolicyValidationException(source, "$", $"is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = PolicySection.Root(source, document.RootElement, "$");
            root.AllowOnly("trust_threshold", "restore_at", "elevation", "scopes", "trust");
            var threshold = root.Number("trust_threshold", 0, 100);
            var restoreAt = root.Number("restore_at", 0, 100);
            if (restoreAt < threshold)
            {
                throw new PolicyValidationException(source, "$.restore_at", $"must be at least trust_threshold ({threshold}), was {restoreAt}");
            }

            var elevation = root.Object("elevation");
            elevation.AllowOnly("rate_limit", "max_active_grants", "reason");
            var rateLimit = elevation.Object("rate_limit");
            rateLimit.AllowOnly("max_requests", "window_seconds");
            var reason = elevation.Object("reason");
            reason.AllowOnly("min_length", "min_words", "vague_phrases");

            var scopes = new Dictionary<string, ScopeRule>(StringComparer.Ordinal);
            foreach (var (name, rule) in root.Object("scopes").Properties())
            {
                rule.AllowOnly("critical", "baseline", "min_confidence", "min_trust", "max_ttl_seconds", "intent_keywords");
                scopes[name] = new ScopeRule
                {
                    Name = name,
                    Critical = rule.Boolean("critical"),
                    Baseline = rule.Boolean("baseline"),
                    MinConfidence = rule.Number("min_confidence", 0, 1),
                    MinTrust = rule.Number("min_trust", 0, 100),
                    MaxTtl = TimeSpan.FromSeconds(rule.Integer("max_ttl_seconds", 1, 86_400)),
                    IntentKeywords = rule.Words("intent_keywords", allowEmpty: false),
                };
            }

            if (scopes.Count == 0)
            {
                throw new PolicyValidationException(source, "$.scopes", "must declare at least one scope");
            }

            return new PolicyDocument
            {
                TrustThreshold = threshold,
                RestoreAt = restoreAt,
                RateLimitMaxRequests = rateLimit.Integer("max_requests", 1, 1_000_000),
                RateLimitWindow = TimeSpan.FromSeconds(rateLimit.Integer("window_seconds", 1, 86_400)),
                MaxActiveGrants = elevation.Integer("max_active_grants", 1, 10_000),
                ReasonMinLength = reason.Integer("min_length", 0, 4_096),
                ReasonMinWords = reason.Integer("min_words", 0, 512),
                VaguePhrases = reason.Words("vague_phrases", allowEmpty: true),
                Scopes = scopes,
                Trust = document.RootElement.TryGetProperty("trust", out var trust)
                    ? ReflexiveIdentity.Trust.TrustPolicy.Parse(trust, source)
                    : ReflexiveIdentity.Trust.TrustPolicy.Default,
            };
        }
    }
}
