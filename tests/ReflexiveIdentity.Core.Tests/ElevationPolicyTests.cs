using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Policy;

namespace ReflexiveIdentity.Core.Tests;

public sealed class ElevationPolicyTests
{
    private const string GoodReason = "Weekly ops review needs error rates per service";
    private static readonly ElevationPolicy Policy = new(PolicyDocument.Default);

    public static TheoryData<string, string[], string, string, double, double, string, string[], string> Cases => new()
    {
        // name, requested, intent, reason, confidence, trust, decision, granted, first reason code
        { "report with a specific rationale", ["read.dataset", "generate.report"], "Generate operational report", GoodReason, 0.91, 92, "Allow", ["generate.report"], "policy_satisfied" },
        { "share with a specific rationale", ["share.output"], "Share the weekly report with the ops channel", GoodReason, 0.9, 95, "Allow", ["share.output"], "policy_satisfied" },
        { "low confidence", ["generate.report"], "Generate operational report", GoodReason, 0.4, 92, "Deny", [], "confidence_below_threshold" },
        { "intent about something else", ["generate.report"], "Delete old backups", GoodReason, 0.9, 92, "Deny", [], "intent_scope_mismatch" },
        { "stock phrase reason", ["generate.report"], "Generate operational report", "Need it", 0.9, 92, "Deny", [], "reason_too_vague" },
        { "short reason", ["generate.report"], "Generate operational report", "for the review", 0.9, 92, "Deny", [], "reason_too_vague" },
        { "empty intent", ["generate.report"], "", GoodReason, 0.9, 92, "Deny", [], "missing_rationale" },
        { "trust below threshold", ["generate.report"], "Generate operational report", GoodReason, 0.9, 65, "Block", [], "trust_below_threshold" },
        { "trust below share minimum", ["share.output"], "Share the weekly report", GoodReason, 0.9, 75, "Deny", [], "trust_below_threshold" },
        { "only baseline requested", ["read.dataset"], "Read the dataset", GoodReason, 0.9, 92, "Deny", [], "no_elevated_scope_requested" },
        { "one of two granted", ["generate.report", "share.output"], "Generate the report", GoodReason, 0.9, 92, "Allow", ["generate.report"], "policy_satisfied" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_PolicyTable_GivesExpectedDecision(string name, string[] requested, string intent, string reason, double confidence, double trust, string decision, string[] granted, string firstCode)
    {
        var result = Policy.Decide(Request(requested, new Rationale(intent, reason, confidence)), Standing(trust));

        Assert.True(decision == result.Kind.ToString(), $"{name}: expected {decision}, got {result.Kind}");
        Assert.Equal(granted, result.GrantedScopes);
        Assert.Equal(firstCode, result.Reasons[0].Code.ToWire());
    }

    [Fact]
    public void Decide_NoRationale_DeniesEveryElevatedScopeWithMissingRationale()
    {
        var result = Policy.Decide(Request(["generate.report", "share.output"], null), Standing(92));

        Assert.Equal(DecisionKind.Deny, result.Kind);
        Assert.Equal(["generate.report", "share.output"], result.DeniedScopes.Select(d => d.Scope));
        Assert.All(result.DeniedScopes, d => Assert.Equal(ReasonCode.MissingRationale, d.Code));
    }

    [Fact]
    public void Decide_QuarantinedAgent_BlocksEvenWithFullTrust()
    {
        var result = Policy.Decide(Request(["generate.report"], Good()), Standing(100) with { Status = AgentStatus.Quarantined });

        Assert.Equal(DecisionKind.Block, result.Kind);
        Assert.Equal(ReasonCode.AgentQuarantined, Assert.Single(result.Reasons).Code);
    }

    [Fact]
    public void Decide_RevokedScope_IsDeniedWithScopeRevoked()
    {
        var result = Policy.Decide(Request(["generate.report", "share.output"], new Rationale("Generate and share the report", GoodReason, 0.95)), Standing(95) with { RevokedScopes = ["share.output"] });

        Assert.Equal(DecisionKind.Allow, result.Kind);
        Assert.Equal(["generate.report"], result.GrantedScopes);
        Assert.Equal(ReasonCode.ScopeRevoked, Assert.Single(result.DeniedScopes).Code);
    }

    [Fact]
    public void Decide_RateLimitReached_DeniesWithRateLimited()
    {
        var result = Policy.Decide(Request(["generate.report"], Good()), Standing(92) with { RecentRequests = PolicyDocument.Default.RateLimitMaxRequests });

        Assert.Equal(DecisionKind.Deny, result.Kind);
        Assert.Equal(ReasonCode.RateLimited, Assert.Single(result.Reasons).Code);
    }

    [Fact]
    public void Decide_MaxActiveGrantsReached_DeniesWithMaxActiveGrants()
    {
        var result = Policy.Decide(Request(["generate.report"], Good()), Standing(92) with { ActiveGrants = PolicyDocument.Default.MaxActiveGrants });

        Assert.Equal(ReasonCode.MaxActiveGrants, Assert.Single(result.Reasons).Code);
    }

    [Fact]
    public void Decide_ScopeNotInPolicy_IsDeniedNeverGranted()
    {
        // The HTTP layer answers 422 before this, but the policy itself must still fail closed.
        var result = Policy.Decide(Request(["delete.everything"], Good()), Standing(100));

        Assert.Equal(DecisionKind.Deny, result.Kind);
        Assert.Equal(ReasonCode.UnknownScope, Assert.Single(result.DeniedScopes).Code);
    }

    [Fact]
    public void Decide_NothingPasses_DefaultsToDenyNotAllow()
    {
        // Pins deny-by-default: with every per-scope check failing there is no path to allow.
        var result = Policy.Decide(Request(["generate.report", "share.output"], new Rationale("x", "y", 0)), Standing(100));

        Assert.Equal(DecisionKind.Deny, result.Kind);
        Assert.Empty(result.GrantedScopes);
        Assert.Equal(TimeSpan.Zero, result.GrantLifetime);
    }

    [Fact]
    public void Decide_TwoScopesGranted_LifetimeIsTheShorterMaximum()
    {
        var result = Policy.Decide(Request(["generate.report", "share.output"], new Rationale("Generate and share the report", GoodReason, 0.95)), Standing(95));

        Assert.Equal(["generate.report", "share.output"], result.GrantedScopes);
        Assert.Equal(PolicyDocument.Default.Scopes["share.output"].MaxTtl, result.GrantLifetime);
    }

    [Fact]
    public void ElevationDecision_AllowWithoutScopes_Throws()
    {
        Assert.Throws<ArgumentException>(() => ElevationDecision.Allow([], [], [new Reason(ReasonCode.PolicySatisfied, "x")], 100, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void ElevationDecision_DenyWithoutReasons_Throws()
    {
        Assert.Throws<ArgumentException>(() => ElevationDecision.Deny([], [], 100));
    }

    [Fact]
    public void ReasonCodes_WireNames_AreTheContractsNames()
    {
        Assert.Equal("policy_satisfied", ReasonCode.PolicySatisfied.ToWire());
        Assert.Equal("trust_below_threshold", ReasonCode.TrustBelowThreshold.ToWire());
        Assert.Equal("confidence_below_threshold", ReasonCode.ConfidenceBelowThreshold.ToWire());
        Assert.Equal("max_active_grants", ReasonCode.MaxActiveGrants.ToWire());
        Assert.True(ReasonCodes.TryParse("scope_revoked", out var code));
        Assert.Equal(ReasonCode.ScopeRevoked, code);
    }

    private static Rationale Good() => new("Generate operational report", GoodReason, 0.91);

    private static ElevationRequest Request(string[] scopes, Rationale? rationale) => new()
    {
        AgentId = "agent_omega",
        Principal = new Principal(PrincipalType.User, "auth0|agent_omega"),
        RequestedScopes = scopes,
        Rationale = rationale,
    };

    private static AgentStanding Standing(double trust) => new()
    {
        TrustScore = trust,
        Status = AgentStatus.Active,
        RevokedScopes = [],
        RecentRequests = 0,
        ActiveGrants = 0,
    };
}
