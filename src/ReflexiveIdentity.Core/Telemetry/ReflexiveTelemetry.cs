using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Telemetry;

/// <summary>
/// The service's own traces and metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/>,
/// both named <see cref="Name"/>, which a host subscribes to (OpenTelemetry in both hosts). Plain
/// System.Diagnostics: with no listener every call here costs next to nothing. Tags carry codes,
/// outcomes, scopes and operation names only, never a secret, a token or rationale text; agent ids go
/// on spans, not on metrics (one time series per agent would not scale).
/// </summary>
public static class ReflexiveTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "ReflexiveIdentity";

    /// <summary>Counter: elevation requests answered, one per request (tags <c>outcome</c>, <c>reason_code</c>, <c>replayed</c>).</summary>
    public const string DecisionsMetric = "reflexive.elevation.decisions";

    /// <summary>Counter: reason codes given, one per distinct code of each answer (tags <c>outcome</c>, <c>reason_code</c>).</summary>
    public const string ReasonsMetric = "reflexive.elevation.reasons";

    /// <summary>Histogram (ms): time to answer an elevation request, from its first byte read to the response written (tag <c>outcome</c>).</summary>
    public const string DecisionDurationMetric = "reflexive.elevation.duration";

    /// <summary>Histogram: trust scores computed, one per assessment (tag <c>status</c> after the assessment).</summary>
    public const string TrustScoreMetric = "reflexive.trust.score";

    /// <summary>Counter: scopes revoked from agents by the immune response (tag <c>scope</c>).</summary>
    public const string RevocationsMetric = "reflexive.integrity.revocations";

    /// <summary>Counter: HTTP exchanges with Auth0, each attempt counted (tags <c>operation</c>, <c>status_code</c>, and <c>error.type</c> when no answer came).</summary>
    public const string Auth0CallsMetric = "reflexive.auth0.calls";

    /// <summary>Counter: Auth0 answers of 429 Too Many Requests (tag <c>operation</c>).</summary>
    public const string Auth0RateLimitedMetric = "reflexive.auth0.rate_limited";

    /// <summary>Span of one elevation request in the webhook, from signature check to response.</summary>
    public const string DecideSpan = "elevation.decide";

    /// <summary>Span of the deterministic policy's decision.</summary>
    public const string PolicySpan = "elevation.policy";

    /// <summary>Span of the rationale judge.</summary>
    public const string JudgeSpan = "elevation.judge";

    /// <summary>Span of one ledger append.</summary>
    public const string LedgerAppendSpan = "ledger.append";

    /// <summary>Span of one integrity sweep.</summary>
    public const string SweepSpan = "integrity.sweep";

    /// <summary>Span of the immediate immune response for one agent.</summary>
    public const string RespondSpan = "integrity.respond";

    // Static fields initialise in textual order: the source and the meter before the instruments.
    private static readonly string? Version = typeof(ReflexiveTelemetry).Assembly.GetName().Version?.ToString();
    private static readonly ActivitySource SourceInstance = new(Name, Version);
    private static readonly Meter MeterInstance = new(Name, Version);

    private static readonly Counter<long> Decisions = MeterInstance.CreateCounter<long>(DecisionsMetric, "{request}", "Elevation requests answered, by outcome and leading reason code.");
    private static readonly Counter<long> Reasons = MeterInstance.CreateCounter<long>(ReasonsMetric, "{reason}", "Reason codes given in elevation answers.");
    private static readonly Histogram<double> DecisionDuration = MeterInstance.CreateHistogram<double>(DecisionDurationMetric, "ms", "Time to answer an elevation request.");
    private static readonly Histogram<double> TrustScores = MeterInstance.CreateHistogram<double>(TrustScoreMetric, "{score}", "Trust scores computed by the immune response, 0 to 100.");
    private static readonly Counter<long> Revocations = MeterInstance.CreateCounter<long>(RevocationsMetric, "{scope}", "Scopes revoked from agents by the immune response.");
    private static readonly Counter<long> Auth0Calls = MeterInstance.CreateCounter<long>(Auth0CallsMetric, "{call}", "HTTP exchanges with Auth0, every attempt counted.");
    private static readonly Counter<long> Auth0RateLimited = MeterInstance.CreateCounter<long>(Auth0RateLimitedMetric, "{response}", "Auth0 answers of 429 Too Many Requests.");

    /// <summary>The source of every span the service starts.</summary>
    public static ActivitySource Source => SourceInstance;

    /// <summary>The meter of every instrument the service records.</summary>
    public static Meter Meter => MeterInstance;

    /// <summary>Starts <see cref="DecideSpan"/> for a webhook request (null when nobody listens).</summary>
    public static Activity? StartDecide(string route) =>
        Source.StartActivity(DecideSpan, ActivityKind.Internal)?.SetTag("reflexive.route", route);

    /// <summary>
    /// Starts <see cref="PolicySpan"/> around <c>ElevationPolicy.Decide</c>; end it with
    /// <see cref="CompletePolicy"/>. Tags the agent and the requested scopes.
    /// </summary>
    public static Activity? StartPolicy(string agentId, IEnumerable<string> requestedScopes)
    {
        var activity = Source.StartActivity(PolicySpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("reflexive.agent_id", agentId);
            activity.SetTag("reflexive.requested_scopes", string.Join(' ', requestedScopes));
        }

        return activity;
    }

    /// <summary>Tags the policy span with its decision (<c>allow</c>/<c>deny</c>/<c>block</c>) and reason codes.</summary>
    public static void CompletePolicy(Activity? activity, string decision, IEnumerable<string> reasonCodes)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("reflexive.decision", decision);
            activity.SetTag("reflexive.reason_codes", string.Join(',', reasonCodes.Distinct(StringComparer.Ordinal)));
        }
    }

    /// <summary>Starts <see cref="JudgeSpan"/> around a rationale judge call; end it with <see cref="CompleteJudge"/> or <see cref="Fail"/>.</summary>
    public static Activity? StartJudge(string judgeKind, string agentId, int scopeCount)
    {
        var activity = Source.StartActivity(JudgeSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("reflexive.judge.kind", judgeKind);
            activity.SetTag("reflexive.agent_id", agentId);
            activity.SetTag("reflexive.judge.scopes_asked", scopeCount);
        }

        return activity;
    }

    /// <summary>Tags the judge span with its verdict and how many scopes it kept (never the judge's detail text).</summary>
    public static void CompleteJudge(Activity? activity, string verdict, int scopesKept)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("reflexive.judge.verdict", verdict);
            activity.SetTag("reflexive.judge.scopes_kept", scopesKept);
        }
    }

    /// <summary>Starts <see cref="LedgerAppendSpan"/> for an append to <paramref name="store"/> (<c>sqlite</c>, <c>tables</c>).</summary>
    public static Activity? StartLedgerAppend(string store, LedgerAppend append)
    {
        ArgumentNullException.ThrowIfNull(append);
        var activity = Source.StartActivity(LedgerAppendSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", store);
            activity.SetTag("reflexive.chain_id", append.ChainId);
            activity.SetTag("reflexive.entry_kind", append.Kind.ToString());
        }

        return activity;
    }

    /// <summary>Tags the append span with the entry it wrote (or replayed).</summary>
    public static void CompleteLedgerAppend(Activity? activity, LedgerAppendResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("reflexive.entry_id", result.Entry.Id);
            activity.SetTag("reflexive.replayed", result.Replayed);
        }
    }

    /// <summary>Starts <see cref="SweepSpan"/>.</summary>
    public static Activity? StartSweep() => Source.StartActivity(SweepSpan, ActivityKind.Internal);

    /// <summary>Starts <see cref="RespondSpan"/> for one agent.</summary>
    public static Activity? StartRespond(string agentId) =>
        Source.StartActivity(RespondSpan, ActivityKind.Internal)?.SetTag("reflexive.agent_id", agentId);

    /// <summary>Marks a span failed with the exception's type (not its message, which may quote input).</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity.SetTag("error.type", exception.GetType().FullName);
        }
    }

    /// <summary>
    /// Records one answered elevation request: <paramref name="outcome"/> is <c>allow</c>, <c>deny</c>,
    /// <c>block</c>, <c>rejected</c> (refused before a decision; the reason code is the problem code) or
    /// <c>error</c>. The first code is the leading reason; every distinct code is counted in <see cref="ReasonsMetric"/>.
    /// </summary>
    public static void RecordDecision(string outcome, IReadOnlyList<string> reasonCodes, bool replayed, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(reasonCodes);
        var leading = reasonCodes.Count > 0 ? reasonCodes[0] : "none";
        Decisions.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason_code", leading), new KeyValuePair<string, object?>("replayed", replayed));
        foreach (var code in reasonCodes.Distinct(StringComparer.Ordinal))
        {
            Reasons.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason_code", code));
        }

        DecisionDuration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("outcome", outcome));
    }

    /// <summary>Records one computed trust score with the agent's status after the assessment (<c>active</c>, <c>quarantined</c>).</summary>
    public static void RecordTrustScore(double score, string status) =>
        TrustScores.Record(score, new KeyValuePair<string, object?>("status", status));

    /// <summary>Records scopes revoked from an agent, one count per scope.</summary>
    public static void RecordRevocations(IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        foreach (var scope in scopes)
        {
            Revocations.Add(1, new KeyValuePair<string, object?>("scope", scope));
        }
    }

    /// <summary>
    /// Records one HTTP exchange with Auth0: <paramref name="statusCode"/> is the answer's status, or null
    /// when none came (then <paramref name="errorType"/> names the failure). A 429 also counts in <see cref="Auth0RateLimitedMetric"/>.
    /// </summary>
    public static void RecordAuth0Call(string operation, int? statusCode, string? errorType)
    {
        var tags = new TagList { { "operation", operation }, { "status_code", statusCode ?? 0 } };
        if (statusCode is null)
        {
            tags.Add("error.type", errorType ?? "unknown");
        }

        Auth0Calls.Add(1, tags);
        if (statusCode == 429)
        {
            Auth0RateLimited.Add(1, new KeyValuePair<string, object?>("operation", operation));
        }
    }
}
