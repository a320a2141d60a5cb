using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Benchmarks;

/// <summary>How an agent of the synthetic population behaves.</summary>
internal enum AgentProfile
{
    /// <summary>Well behaved: the odd failed call and retry, rarely a stage out of order, a failed token or a mild signal.</summary>
    Steady,

    /// <summary>Flaky: more failed calls and retries, stages out of order, failed token verifications and signals.</summary>
    Noisy,

    /// <summary>Behaves like a stolen credential in its last hour: failed token verifications, a burst of API calls, a severe signal.</summary>
    Compromised,
}

/// <summary>
/// The synthetic ledger history of a population of agents over the last 24 hours. Each agent is registered
/// (a Management API user, <c>auth0|&lt;id&gt;</c>), then runs jobs (<c>detail.job_id</c>) through the policy's
/// stage graph: read.dataset, then generate.report and often share.output, with API calls, failed calls
/// and their retries, now and then a stage out of order (read.dataset straight to share.output), a failed
/// token verification or an outside signal. Each elevated stage follows the allow a real agent asks the
/// webhook for first: without one every elevated stage is an intent mismatch and every agent would be
/// quarantined.
/// Deterministic for a seed, whichever order agents are generated in.
/// </summary>
internal sealed class AgentWorkload
{
    private const string ReadDataset = "read.dataset";
    private const string GenerateReport = "generate.report";
    private const string ShareOutput = "share.output";
    private const string Audience = "https://api.reflexive.example";

    private static readonly TimeSpan History = TimeSpan.FromHours(24);
    private static readonly TimeSpan GenerateReportTtl = TimeSpan.FromSeconds(900);
    private static readonly TimeSpan ShareOutputTtl = TimeSpan.FromSeconds(300);
    private static readonly string[] Endpoints = ["/v1/datasets/sales", "/v1/datasets/ops", "/v1/reports", "/v1/reports/render", "/v1/share/email", "/v1/share/slack"];
    private static readonly string[] TokenProblems = ["expired", "bad_signature", "wrong_audience"];
    private static readonly string PolicySatisfied = ReasonCode.PolicySatisfied.ToWire();

    private readonly int[] budgets;
    private readonly AgentProfile[] profiles;
    private readonly int seed;
    private readonly DateTimeOffset now;

    /// <param name="agents">How many agents.</param>
    /// <param name="entries">Activity entries in all (events, signals and allows), besides one registration per agent.</param>
    /// <param name="now">The end of the 24-hour history.</param>
    /// <param name="seed">Makes the population reproducible.</param>
    /// <param name="skewed">Spread entries over agents like real traffic (exponential, 0.1 to 5 times the mean); else evenly.</param>
    public AgentWorkload(int agents, long entries, DateTimeOffset now, int seed, bool skewed)
    {
        this.seed = seed;
        this.now = now;
        Entries = entries;
        budgets = new int[agents];
        profiles = new AgentProfile[agents];
        var random = new Random(seed);
        var weights = new double[agents];
        for (var i = 0; i < agents; i++)
        {
            weights[i] = skewed ? Math.Clamp(-Math.Log(1 - random.NextDouble()), 0.1, 5) : 1;
            var roll = random.NextDouble();
            profiles[i] = roll < 0.03 ? AgentProfile.Compromised : roll < 0.10 ? AgentProfile.Noisy : AgentProfile.Steady;
        }

        var total = weights.Sum();
        long assigned = 0;
        for (var i = 0; i < agents; i++)
        {
            budgets[i] = (int)Math.Floor(entries * weights[i] / total);
            assigned += budgets[i];
        }

        for (var i = 0; assigned < entries; i = (i + 1) % agents)
        {
            budgets[i]++;
            assigned++;
        }
    }

    public int Agents => budgets.Length;

    /// <summary>Activity entries in all, registrations aside.</summary>
    public long Entries { get; }

    public static string AgentId(int index) => string.Create(CultureInfo.InvariantCulture, $"agent-{index:D6}");

    public static Principal PrincipalOf(string agentId) => new(PrincipalType.User, "auth0|" + agentId);

    public AgentProfile ProfileOf(int index) => profiles[index];

    /// <summary>The agent's registration followed by its activity, in time order.</summary>
    public List<LedgerAppend> HistoryOf(int index)
    {
        var random = new Random(RandomSeed(index));
        var agentId = AgentId(index);
        var rates = Rates.Of(profiles[index]);
        var jobs = new List<List<Step>>();
        var remaining = budgets[index];
        List<Step>? incident = null;
        if (profiles[index] == AgentProfile.Compromised)
        {
            incident = Truncate(Incident(random), remaining);
            remaining -= incident.Count;
        }

        while (remaining > 0)
        {
            var job = Truncate(Job(random, rates, jobs.Count), remaining);
            remaining -= job.Count;
            jobs.Add(job);
        }

        var registeredAt = now - History - TimeSpan.FromMinutes(10);
        var appends = new List<LedgerAppend>(budgets[index] + 1);
        var slot = (History - TimeSpan.FromMinutes(10)) / Math.Max(1, jobs.Count);
        for (var j = 0; j < jobs.Count; j++)
        {
            var start = now - History + TimeSpan.FromMinutes(5) + (slot * j) + (slot * random.NextDouble() / 2);
            var gap = Math.Clamp(slot.TotalSeconds / (2 * (jobs[j].Count + 1)), 0.05, 8);
            Write(appends, agentId, jobs[j], start, gap, random);
        }

        if (incident is not null)
        {
            Write(appends, agentId, incident, now - TimeSpan.FromMinutes(6 + (44 * random.NextDouble())), 5, random);
        }

        var agent = Agent.Register(agentId, PrincipalOf(agentId), registeredAt);
        var registration = new LedgerAppend
        {
            ChainId = agentId,
            Kind = LedgerEntryKind.AgentRegistered,
            OccurredAt = registeredAt,
            RecordedAt = registeredAt,
            Payload = LedgerJsonContext.Serialize(new AgentRegisteredPayload(new PrincipalRecord("user", agent.Principal.Id), agent.TrustScore)),
            Agent = agent,
        };
        return [registration, .. appends.OrderBy(append => append.OccurredAt)];
    }

    /// <summary>
    /// New activity for an already loaded agent, ending at <paramref name="at"/>: a short job, and for one in
    /// five a failed token verification twice and a severe signal, which should quarantine it.
    /// </summary>
    public List<LedgerAppend> FollowUpOf(int index, DateTimeOffset at)
    {
        const int job = 100_000;
        var random = new Random(RandomSeed(index) + 1);
        var steps = new List<Step> { new(Kind.StageStarted, ReadDataset, job), new(Kind.ApiCall, ReadDataset, job), new(Kind.StageCompleted, ReadDataset, job) };
        if (random.NextDouble() < 0.2)
        {
            steps.AddRange([new(Kind.TokenFailure, null, job), new(Kind.TokenFailure, null, job), new(Kind.SevereSignal, null, job)]);
        }

        var appends = new List<LedgerAppend>(steps.Count);
        Write(appends, AgentId(index), steps, at - TimeSpan.FromSeconds(steps.Count + 1), 1, random);

        // Reported as it happens: the service records it now.
        return [.. appends.Select(append => append with { RecordedAt = at })];
    }

    /// <summary>Each agent's own random sequence, the same in every run (<see cref="HashCode"/> is seeded per process).</summary>
    private int RandomSeed(int index) => unchecked((seed * 1_000_003) + (index * 7919));

    private static List<Step> Truncate(List<Step> steps, int budget) => steps.Count > budget ? steps[..budget] : steps;

    private static List<Step> Job(Random random, Rates rates, int job)
    {
        var steps = new List<Step>(16);
        if (random.NextDouble() < rates.TokenFailure)
        {
            steps.Add(new Step(Kind.TokenFailure, null, job));
        }

        if (random.NextDouble() < rates.Signal)
        {
            steps.Add(new Step(Kind.Signal, null, job));
        }

        Stage(steps, random, rates, ReadDataset, job, random.Next(1, 4));
        var outOfOrder = random.NextDouble() < rates.OutOfOrder;
        if (!outOfOrder)
        {
            steps.Add(new Step(Kind.Allow, GenerateReport, job));
            Stage(steps, random, rates, GenerateReport, job, random.Next(0, 3));
        }

        if (outOfOrder || random.NextDouble() < 0.5)
        {
            steps.Add(new Step(Kind.Allow, ShareOutput, job));
            Stage(steps, random, rates, ShareOutput, job, 1);
        }

        return steps;
    }

    private static void Stage(List<Step> steps, Random random, Rates rates, string scope, int job, int calls)
    {
        steps.Add(new Step(Kind.StageStarted, scope, job));
        for (var i = 0; i < calls; i++)
        {
            if (random.NextDouble() < rates.FailedCall)
            {
                steps.Add(new Step(Kind.FailedApiCall, scope, job));
                steps.Add(new Step(Kind.Retry, scope, job));
            }

            steps.Add(new Step(Kind.ApiCall, scope, job));
        }

        steps.Add(new Step(Kind.StageCompleted, scope, job));
    }

    /// <summary>A compromised agent's last hour: failed token verifications, a severe signal, a burst of calls.</summary>
    private static List<Step> Incident(Random random)
    {
        const int job = 99_999;
        var steps = new List<Step>();
        steps.AddRange(Enumerable.Range(0, random.Next(3, 6)).Select(_ => new Step(Kind.TokenFailure, null, job)));
        steps.Add(new Step(Kind.SevereSignal, null, job));
        steps.AddRange(Enumerable.Range(0, random.Next(35, 50)).Select(_ => new Step(Kind.ApiCall, ReadDataset, job)));
        return steps;
    }

    private static void Write(List<LedgerAppend> appends, string agentId, List<Step> steps, DateTimeOffset start, double gapSeconds, Random random)
    {
        var at = start;
        JsonElement? jobDetail = null;
        foreach (var step in steps)
        {
            at += TimeSpan.FromSeconds(gapSeconds * (0.5 + random.NextDouble()));
            jobDetail ??= Json($$"""{"job_id":"job-{{step.Job}}"}""");
            appends.Add(step.Kind switch
            {
                Kind.StageStarted => Event(agentId, at, AgentEventKinds.StageStarted, step.Scope, null, jobDetail),
                Kind.StageCompleted => Event(agentId, at, AgentEventKinds.StageCompleted, step.Scope, "success", jobDetail),
                Kind.ApiCall or Kind.FailedApiCall => Event(
                    agentId,
                    at,
                    AgentEventKinds.ApiCall,
                    null,
                    step.Kind == Kind.ApiCall ? "success" : "failure",
                    Json($$"""{"job_id":"job-{{step.Job}}","endpoint":"{{Endpoints[random.Next(Endpoints.Length)]}}"}""")),
                Kind.Retry => Event(agentId, at, AgentEventKinds.Retry, null, null, Json($$"""{"job_id":"job-{{step.Job}}","of":"api_call"}""")),
                Kind.TokenFailure => Event(agentId, at, AgentEventKinds.TokenVerificationFailed, null, "failure", Json($$"""{"reason":"{{TokenProblems[random.Next(TokenProblems.Length)]}}"}""")),
                Kind.Signal => Signal(agentId, at, "peer_consensus", 0.1 + (0.3 * random.NextDouble())),
                Kind.SevereSignal => Signal(agentId, at, "monitoring", 0.75 + (0.2 * random.NextDouble())),
                Kind.Allow => Allow(agentId, at, step.Scope!, random),
                _ => throw new InvalidOperationException($"Unknown step {step.Kind}."),
            });
        }
    }

    private static LedgerAppend Event(string agentId, DateTimeOffset at, string kind, string? scope, string? outcome, JsonElement? detail) =>
        Append(agentId, at, LedgerEntryKind.EventRecorded, LedgerJsonContext.Serialize(new EventRecordedPayload { Kind = kind, Scope = scope, Outcome = outcome, Detail = detail, Source = "api" }));

    private static LedgerAppend Signal(string agentId, DateTimeOffset at, string source, double severity) =>
        Append(agentId, at, LedgerEntryKind.SignalRecorded, LedgerJsonContext.Serialize(new SignalRecordedPayload(source, "anomaly", Math.Round(severity, 2), "synthetic benchmark signal")));

    /// <summary>The webhook's allow for <paramref name="scope"/>, with the grant it issued.</summary>
    private static LedgerAppend Allow(string agentId, DateTimeOffset at, string scope, Random random)
    {
        var grant = Grant.Issue(agentId, [scope], at, scope == ShareOutput ? ShareOutputTtl : GenerateReportTtl);
        var share = scope == ShareOutput;
        var payload = new ElevationDecidedPayload
        {
            Decision = "allow",
            GrantId = grant.Id,
            GrantedScopes = [scope],
            DeniedScopes = [],
            ExpiresAt = grant.ExpiresAt,
            TrustScore = 100,
            Reasons = [new ReasonRecord(PolicySatisfied, "every deterministic check passed")],
            Judge = new JudgeRecord("policy", "consistent"),
            RequestedScopes = [scope],
            Audience = Audience,
            Principal = new PrincipalRecord("user", PrincipalOf(agentId).Id),
            Rationale = share
                ? new RationaleRecord("Share the weekly report", "Deliver the ops report to the on-call channel", 0.85)
                : new RationaleRecord("Generate operational report", "Weekly ops review needs error rates per service", 0.8),
            BodySha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(grant.Id + random.Next()))),
        };
        return Append(agentId, at, LedgerEntryKind.ElevationDecided, LedgerJsonContext.Serialize(payload)) with { Grant = grant };
    }

    private static LedgerAppend Append(string agentId, DateTimeOffset at, LedgerEntryKind kind, string payload) => new()
    {
        ChainId = agentId,
        Kind = kind,
        OccurredAt = at,
        RecordedAt = at + TimeSpan.FromMilliseconds(150),
        Payload = payload,
    };

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private enum Kind
    {
        StageStarted,
        StageCompleted,
        ApiCall,
        FailedApiCall,
        Retry,
        TokenFailure,
        Signal,
        SevereSignal,
        Allow,
    }

    /// <summary>One planned entry of a job; times are given when the job is written.</summary>
    private readonly record struct Step(Kind Kind, string? Scope, int Job);

    /// <summary>Per-job and per-call odds of each kind of trouble.</summary>
    private sealed record Rates(double FailedCall, double OutOfOrder, double TokenFailure, double Signal)
    {
        public static Rates Of(AgentProfile profile) => profile switch
        {
            AgentProfile.Steady => new Rates(FailedCall: 0.03, OutOfOrder: 0.01, TokenFailure: 0.003, Signal: 0.005),
            AgentProfile.Noisy => new Rates(FailedCall: 0.10, OutOfOrder: 0.10, TokenFailure: 0.04, Signal: 0.05),
            _ => new Rates(FailedCall: 0.05, OutOfOrder: 0.03, TokenFailure: 0.01, Signal: 0.01),
        };
    }
}
