using System.Globalization;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Policy;
using ReflexiveIdentity.Reasoning;

namespace ReflexiveIdentity.Elevation;

/// <summary>
/// The deterministic checks of an elevation request. Pure: the same request, standing and policy give
/// the same decision. A scope is granted only when every check passes for it; anything else is denied.
/// </summary>
public sealed class ElevationPolicy(PolicyDocument policy)
{
    private static readonly char[] WordSeparators = [' ', '\t', '\n', '\r', ',', '.', ';', ':', '!', '?', '(', ')', '"', '\'', '/', '-', '_'];

    /// <summary>The policy document this engine applies.</summary>
    public PolicyDocument Document => policy;

    /// <summary>Decides <paramref name="request"/> for an agent in <paramref name="standing"/>.</summary>
    public ElevationDecision Decide(ElevationRequest request, AgentStanding standing)
    {
        var trust = standing.TrustScore;
        var elevated = request.RequestedScopes.Where(scope => !IsBaseline(scope)).ToList();

        if (standing.Status == AgentStatus.Quarantined)
        {
            return ElevationDecision.Block(
                DenyAll(elevated, ReasonCode.AgentQuarantined, "the agent is quarantined"),
                new Reason(ReasonCode.AgentQuarantined, "The agent is quarantined; an operator must restore it before it can be elevated."),
                trust);
        }

        if (trust < policy.TrustThreshold)
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $"Trust score {trust:0.##} is below the threshold {policy.TrustThreshold:0.##}.");
            return ElevationDecision.Block(DenyAll(elevated, ReasonCode.TrustBelowThreshold, detail), new Reason(ReasonCode.TrustBelowThreshold, detail), trust);
        }

        if (elevated.Count == 0)
        {
            return ElevationDecision.Deny([], [new Reason(ReasonCode.NoElevatedScopeRequested, "Only baseline scopes were requested; they need no elevation.")], trust);
        }

        var denyAll = DenyAllReason(request, standing);
        if (denyAll is not null)
        {
            return ElevationDecision.Deny(DenyAll(elevated, denyAll.Code, denyAll.Detail), [denyAll], trust);
        }

        var granted = new List<string>();
        var denied = new List<ScopeDenial>();
        foreach (var scope in elevated)
        {
            var denial = CheckScope(scope, request.Rationale!, standing);
            if (denial is null)
            {
                granted.Add(scope);
            }
            else
            {
                denied.Add(denial);
            }
        }

        if (granted.Count == 0)
        {
            var reasons = denied.Select(d => new Reason(d.Code, $"{d.Scope}: {d.Detail}")).ToList();
            return ElevationDecision.Deny(denied, reasons, trust);
        }

        var lifetime = granted.Min(scope => policy.Scopes[scope].MaxTtl);
        var satisfied = new Reason(ReasonCode.PolicySatisfied, $"Every check passed for {string.Join(", ", granted)}.");
        return ElevationDecision.Allow(granted, denied, [satisfied, .. denied.Select(d => new Reason(d.Code, $"{d.Scope}: {d.Detail}"))], trust, lifetime);
    }

    /// <summary>
    /// Narrows an allow decision to what the judge's <paramref name="review"/> kept: scopes outside the
    /// decision's granted ones are never added (rule 1). Removed scopes join the denials with the review's
    /// codes; the grant lifetime is recomputed over the kept scopes; with nothing kept the decision becomes
    /// a deny. A decision that is not an allow is returned as is.
    /// </summary>
    public ElevationDecision Narrow(ElevationDecision decision, RationaleReviewOutcome review)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(review);
        if (decision.Kind != DecisionKind.Allow)
        {
            return decision;
        }

        var kept = decision.GrantedScopes.Where(scope => review.KeptScopes.Contains(scope, StringComparer.Ordinal)).ToList();
        var removed = decision.GrantedScopes.Except(kept, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var denied = decision.DeniedScopes.Concat(review.Denials.Where(d => removed.Contains(d.Scope))).ToList();
        denied.AddRange(removed.Where(scope => !denied.Any(d => d.Scope == scope)).Select(scope => new ScopeDenial(scope, ReasonCode.JudgeInconsistent, "the judge did not keep this scope")));
        var policyDenials = decision.DeniedScopes.Select(d => new Reason(d.Code, $"{d.Scope}: {d.Detail}"));
        if (kept.Count == 0)
        {
            return ElevationDecision.Deny(denied, [.. review.Reasons, .. policyDenials], decision.TrustScore);
        }

        var satisfied = new Reason(ReasonCode.PolicySatisfied, $"Every check passed for {string.Join(", ", kept)}.");
        var lifetime = kept.Min(scope => policy.Scopes[scope].MaxTtl);
        return ElevationDecision.Allow(kept, denied, [satisfied, .. policyDenials, .. review.Reasons], decision.TrustScore, lifetime);
    }

    /// <summary>Whether <paramref name="scope"/> is known to the policy.</summary>
    public bool IsKnown(string scope) => policy.Scopes.ContainsKey(scope);

    private bool IsBaseline(string scope) => policy.Scopes.TryGetValue(scope, out var rule) && rule.Baseline;

    private Reason? DenyAllReason(ElevationRequest request, AgentStanding standing)
    {
        var rationale = request.Rationale;
        if (rationale is null)
        {
            return new Reason(ReasonCode.MissingRationale, "No rationale was given; an elevation needs {intent, reason, confidence}.");
        }

        if (string.IsNullOrWhiteSpace(rationale.Intent) || string.IsNullOrWhiteSpace(rationale.Reason))
        {
            var missing = string.IsNullOrWhiteSpace(rationale.Intent) ? "intent" : "reason";
            return new Reason(ReasonCode.MissingRationale, $"The rationale's {missing} is empty.");
        }

        if (standing.RecentRequests >= policy.RateLimitMaxRequests)
        {
            return new Reason(
                ReasonCode.RateLimited,
                string.Create(CultureInfo.InvariantCulture, $"{standing.RecentRequests} elevation requests in the last {policy.RateLimitWindow.TotalSeconds:0} s; the limit is {policy.RateLimitMaxRequests}."));
        }

        if (standing.ActiveGrants >= policy.MaxActiveGrants)
        {
            return new Reason(ReasonCode.MaxActiveGrants, $"The agent already holds {standing.ActiveGrants} active grants; the limit is {policy.MaxActiveGrants}.");
        }

        return null;
    }

    private ScopeDenial? CheckScope(string scope, Rationale rationale, AgentStanding standing)
    {
        if (!policy.Scopes.TryGetValue(scope, out var rule))
        {
            return new ScopeDenial(scope, ReasonCode.UnknownScope, "the scope is not in the policy");
        }

        if (standing.RevokedScopes.Contains(scope, StringComparer.Ordinal))
        {
            return new ScopeDenial(scope, ReasonCode.ScopeRevoked, "the scope was revoked by the integrity sweep and needs a restore");
        }

        if (standing.TrustScore < rule.MinTrust)
        {
            return new ScopeDenial(scope, ReasonCode.TrustBelowThreshold, string.Create(CultureInfo.InvariantCulture, $"trust score {standing.TrustScore:0.##} is below the scope's minimum {rule.MinTrust:0.##}"));
        }

        if (rationale.Confidence < rule.MinConfidence)
        {
            return new ScopeDenial(scope, ReasonCode.ConfidenceBelowThreshold, string.Create(CultureInfo.InvariantCulture, $"confidence {rationale.Confidence:0.###} is below the scope's minimum {rule.MinConfidence:0.###}"));
        }

        if (!IntentMatches(rationale.Intent, rule))
        {
            return new ScopeDenial(scope, ReasonCode.IntentScopeMismatch, $"the intent names none of: {string.Join(", ", rule.IntentKeywords)}");
        }

        var vagueness = Vagueness(rationale.Reason);
        return vagueness is null ? null : new ScopeDenial(scope, ReasonCode.ReasonTooVague, vagueness);
    }

    private static bool IntentMatches(string intent, ScopeRule rule)
    {
        var words = intent.ToLowerInvariant().Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries);
        return rule.IntentKeywords.Any(keyword => words.Any(word => word.StartsWith(keyword, StringComparison.Ordinal)));
    }

    private string? Vagueness(string reason)
    {
        var normalized = reason.Trim().TrimEnd('.', '!', '?').ToLowerInvariant();
        if (policy.VaguePhrases.Contains(normalized, StringComparer.Ordinal))
        {
            return $"the reason \"{normalized}\" is a stock phrase; say what the scope is needed for";
        }

        if (normalized.Length < policy.ReasonMinLength)
        {
            return $"the reason has {normalized.Length} characters; at least {policy.ReasonMinLength} are needed";
        }

        var words = normalized.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries).Length;
        return words < policy.ReasonMinWords ? $"the reason has {words} words; at least {policy.ReasonMinWords} are needed" : null;
    }

    private static List<ScopeDenial> DenyAll(IEnumerable<string> scopes, ReasonCode code, string detail) =>
        scopes.Select(scope => new ScopeDenial(scope, code, detail)).ToList();
}
