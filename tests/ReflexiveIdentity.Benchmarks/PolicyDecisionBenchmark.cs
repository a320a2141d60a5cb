using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Policy;

namespace ReflexiveIdentity.Benchmarks;

/// <summary>The deterministic policy decision in-process (target: p99 under 20 microseconds).</summary>
[MemoryDiagnoser]
[Config(typeof(PercentilesConfig))]
public class PolicyDecisionBenchmark
{
    private readonly ElevationPolicy policy = new(PolicyDocument.Default);

    private readonly ElevationRequest allow = new()
    {
        AgentId = "agent_omega",
        Principal = new Principal(PrincipalType.User, "auth0|agent_omega"),
        RequestedScopes = ["read.dataset", "generate.report", "share.output"],
        Rationale = new Rationale("Generate and share the weekly operational report", "Weekly ops review needs error rates per service", 0.93),
    };

    private readonly ElevationRequest deny = new()
    {
        AgentId = "agent_omega",
        Principal = new Principal(PrincipalType.User, "auth0|agent_omega"),
        RequestedScopes = ["generate.report", "share.output"],
        Rationale = new Rationale("Delete old backups", "need it", 0.4),
    };

    private readonly AgentStanding standing = new()
    {
        TrustScore = 92,
        Status = AgentStatus.Active,
        RevokedScopes = [],
        RecentRequests = 3,
        ActiveGrants = 1,
    };

    [Benchmark(Baseline = true)]
    public ElevationDecision DecideAllow() => policy.Decide(allow, standing);

    [Benchmark]
    public ElevationDecision DecideDeny() => policy.Decide(deny, standing);

    private sealed class PercentilesConfig : ManualConfig
    {
        public PercentilesConfig()
        {
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, new P99Column(), StatisticColumn.Max);
        }
    }
}
