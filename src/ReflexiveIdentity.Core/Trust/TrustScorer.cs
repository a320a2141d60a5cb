using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Trust;

/// <summary>
/// Computes an agent's trust score from its ledger chain. Pure and deterministic: the same chain and time
/// give the same assessment. Score = clamp(100 − Σ penalties, 0, 100); each component's penalty is
/// min(max, weight × Σ evidence × 2^(−age / half-life)), where age = time − <see cref="LedgerEntry.OccurredAt"/>
/// (entries dated after the assessment count as age 0). Evidence older than ten half-lives is forgotten, so every
/// point taken off is backed by an entry the component lists.
/// </summary>
public sealed class TrustScorer
{
    /// <summary>
    /// How precisely <see cref="Outlook"/> finds the time the score will have moved: well under the sweep's schedule
    /// (five minutes by default), so a due agent is picked up by the first sweep after the move, not one later.
    /// </summary>
    public static readonly TimeSpan OutlookResolution = TimeSpan.FromMinutes(1);

    /// <summary>Evidence older than ten half-lives is forgotten: it neither counts nor is listed.</summary>
    private const double ForgottenBelow = 1.0 / 1024;

    private readonly TrustPolicy policy;
    private readonly FrozenSet<string> baselineScopes;
    private readonly TimeSpan longestHalfLife;

    /// <summary>Creates a scorer applying <paramref name="policy"/>.</summary>
    /// <param name="policy">The trust section of the policy.</param>
    /// <param name="baselineScopes">
    /// The scopes every agent holds without elevation (the policy's <c>baseline</c> scopes). Any other scope is
    /// elevated: using one needs a live allow, and the first one used after an allow must be one it granted.
    /// </param>
    public TrustScorer(TrustPolicy policy, IEnumerable<string> baselineScopes)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(baselineScopes);
        this.policy = policy;
        this.baselineScopes = baselineScopes.ToFrozenSet(StringComparer.Ordinal);
        longestHalfLife = new[]
        {
            policy.TokenVerificationFailures.HalfLife,
            policy.ElevationDenials.HalfLife,
            policy.RepetitiveRetries.HalfLife,
            policy.UnexpectedCommandSequences.HalfLife,
            policy.AbnormalApiUsage.HalfLife,
            policy.InconsistentReasoning.HalfLife,
            policy.ExternalSignals.HalfLife,
        }.Max();
    }

    /// <summary>Assesses <paramref name="agentId"/> from its chain as of <paramref name="now"/>.</summary>
    /// <param name="agentId">The agent, which is also its chain id.</param>
    /// <param name="chain">The agent's ledger entries, in any order; entries of another chain are ignored.</param>
    /// <param name="now">The time the evidence is decayed to.</param>
    public TrustAssessment Assess(string agentId, IReadOnlyList<LedgerEntry> chain, DateTimeOffset now) => Scan(agentId, chain).Assess(now);

    /// <summary>
    /// Assesses <paramref name="agentId"/> as of <paramref name="now"/> and finds when decay alone (no new evidence)
    /// will first have moved its score far enough for <paramref name="moved"/>: the chain is read once and the
    /// score re-evaluated at later times, to within <see cref="OutlookResolution"/>, so the result is exact for caps,
    /// allowances, windows, learned transitions and forgotten evidence alike.
    /// </summary>
    /// <param name="agentId">The agent, which is also its chain id.</param>
    /// <param name="chain">The agent's ledger entries, in any order; entries of another chain are ignored.</param>
    /// <param name="now">The time the evidence is decayed to.</param>
    /// <param name="moved">Whether a score (second argument) differs enough from the score now (first argument) to be recorded.</param>
    public TrustOutlook Outlook(string agentId, IReadOnlyList<LedgerEntry> chain, DateTimeOffset now, Func<double, double, bool> moved)
    {
        ArgumentNullException.ThrowIfNull(moved);
        var scan = Scan(agentId, chain);
        var assessment = scan.Assess(now);
        var score = assessment.Score;
        if (score >= 100)
        {
            return new TrustOutlook(assessment, null);
        }

        // Past ten half-lives of the slowest component every piece of evidence dated up to now is forgotten.
        var horizon = now + (longestHalfLife * 11);
        if (!moved(score, scan.Assess(horizon).Score))
        {
            // Usually nothing decay can do moves the score enough (less than a step left to recover); when even full
            // recovery would, something the horizon does not cover (evidence dated ahead) holds it: look again then.
            return new TrustOutlook(assessment, moved(score, 100) ? horizon : null);
        }

        var (low, high) = (now, horizon);
        while (high - low > OutlookResolution)
        {
            var middle = low + ((high - low) / 2);
            if (moved(score, scan.Assess(middle).Score))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return new TrustOutlook(assessment, high);
    }

    /// <summary>2^(−age / half-life) at <paramref name="now"/> (1 for evidence dated ahead); 0 once it is forgotten.</summary>
    private static double Decay(LedgerEntry entry, TimeSpan halfLife, DateTimeOffset now)
    {
        var age = now - entry.OccurredAt;
        if (age <= TimeSpan.Zero)
        {
            return 1;
        }

        var decay = Math.Pow(2, -(age / halfLife));
        return decay < ForgottenBelow ? 0 : decay;
    }

    private ChainScan Scan(string agentId, IReadOnlyList<LedgerEntry> chain)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(chain);
        var scan = new ChainScan(policy, baselineScopes, agentId);
        for (var i = 0; i < chain.Count; i++)
        {
            scan.Read(chain[i]);
        }

        scan.ReadTimeline();
        return scan;
    }

    /// <summary>
    /// The evidence of one chain, read once (each payload parsed once) and then assessed at any time: decay, windows
    /// and learning depend on the time of assessment, what the entries say does not.
    /// </summary>
    private sealed class ChainScan(TrustPolicy policy, FrozenSet<string> baselineScopes, string agentId)
    {
        private const string InconsistentVerdict = "inconsistent";
        private const string JobIdProperty = "job_id";

        private static readonly string ElevationDecided = LedgerEntryKind.ElevationDecided.ToWire();
        private static readonly string RequestRejected = LedgerEntryKind.RequestRejected.ToWire();
        private static readonly string EventRecorded = LedgerEntryKind.EventRecorded.ToWire();
        private static readonly string SignalRecorded = LedgerEntryKind.SignalRecorded.ToWire();
        private static readonly string NoElevatedScopeRequested = ReasonCode.NoElevatedScopeRequested.ToWire();
        private static readonly string ReasonTooVague = ReasonCode.ReasonTooVague.ToWire();
        private static readonly string IntentScopeMismatch = ReasonCode.IntentScopeMismatch.ToWire();
        private static readonly string Allow = DecisionKind.Allow.ToString().ToLowerInvariant();
        private static readonly string Deny = DecisionKind.Deny.ToString().ToLowerInvariant();
        private static readonly string Block = DecisionKind.Block.ToString().ToLowerInvariant();

        private readonly Evidence tokens = new();
        private readonly Evidence denials = new();
        private readonly Evidence retries = new();
        private readonly Evidence reasoning = new();
        private readonly Evidence signals = new();

        private List<Step>? timeline;
        private List<Transition>? unexpected;
        private List<LedgerEntry>? apiCalls;
        private long headSeq;
        private int ignored;
        private DateTimeOffset firstSeen = DateTimeOffset.MaxValue;

        public void Read(LedgerEntry entry)
        {
            if (!string.Equals(entry.ChainId, agentId, StringComparison.Ordinal))
            {
                ignored++;
                return;
            }

            headSeq = Math.Max(headSeq, entry.Seq);
            if (entry.OccurredAt < firstSeen)
            {
                firstSeen = entry.OccurredAt;
            }

            var kind = entry.Kind;
            if (kind == EventRecorded)
            {
                ReadEvent(entry);
            }
            else if (kind == ElevationDecided)
            {
                ReadDecision(entry);
            }
            else if (kind == SignalRecorded)
            {
                ReadSignal(entry);
            }
            else if (kind == RequestRejected && Parse<RequestRejectedPayload>(entry) is not null)
            {
                denials.Add(entry, 1, policy.ElevationDenials.HalfLife);
            }
        }

        public TrustAssessment Assess(DateTimeOffset now)
        {
            var components = new[]
            {
                Simple(TrustComponents.TokenVerificationFailures, tokens.At(now), policy.TokenVerificationFailures, "failed token verifications"),
                Simple(TrustComponents.ElevationDenials, denials.At(now), policy.ElevationDenials, "denied, blocked or rejected requests"),
                Retries(now),
                Sequences(now),
                ApiUsage(now),
                Reasoning(now),
                Signals(now),
            };

            var total = 0.0;
            foreach (var component in components)
            {
                total += component.Penalty;
            }

            return new TrustAssessment
            {
                AgentId = agentId,
                Score = Round(Math.Clamp(100 - total, 0, 100)),
                AssessedAt = now,
                HeadSeq = headSeq,
                Components = components,
                IgnoredEntries = ignored,
            };
        }

        private void ReadEvent(LedgerEntry entry)
        {
            var payload = Parse<EventRecordedPayload>(entry);
            if (payload is null)
            {
                return;
            }

            switch (payload.Kind)
            {
                case null:
                    ignored++;
                    break;
                case AgentEventKinds.TokenVerificationFailed:
                    tokens.Add(entry, 1, policy.TokenVerificationFailures.HalfLife);
                    break;
                case AgentEventKinds.Retry:
                    retries.Add(entry, 1, policy.RepetitiveRetries.HalfLife);
                    break;
                case AgentEventKinds.ApiCall:
                    (apiCalls ??= []).Add(entry);
                    break;
                case AgentEventKinds.StageStarted when string.IsNullOrEmpty(payload.Scope):
                    ignored++;
                    break;
                case AgentEventKinds.StageStarted:
                    (timeline ??= []).Add(new Step(entry, payload.Scope, JobId(payload.Detail), Granted: null, Until: default));
                    break;
                default:
                    break;
            }
        }

        private void ReadDecision(LedgerEntry entry)
        {
            var payload = Parse<ElevationDecidedPayload>(entry);
            if (payload is null)
            {
                return;
            }

            if (payload.Decision is null || payload.Reasons is null || payload.DeniedScopes is null || payload.GrantedScopes is null)
            {
                ignored++;
                return;
            }

            if ((payload.Decision == Deny || payload.Decision == Block) && !OnlyNothingToElevate(payload.Reasons))
            {
                denials.Add(entry, 1, policy.ElevationDenials.HalfLife);
            }

            var rule = policy.InconsistentReasoning;
            var judged = payload.Judge?.Verdict == InconsistentVerdict;
            var inflated = payload.Rationale is { } rationale && rationale.Confidence >= rule.InflatedConfidence && DeniedAsVagueOrOffIntent(payload);
            var units = (judged ? rule.JudgeInconsistentWeight : 0) + (inflated ? rule.ConfidenceInflationWeight : 0);
            if (judged || inflated)
            {
                reasoning.Add(entry, units, rule.HalfLife, (judged ? Finding.JudgeInconsistent : Finding.None) | (inflated ? Finding.InflatedConfidence : Finding.None));
            }

            if (payload.Decision == Allow)
            {
                // An allow without an expiry grants nothing usable: fail closed.
                (timeline ??= []).Add(new Step(entry, Scope: null, JobId: null, payload.GrantedScopes, payload.ExpiresAt ?? entry.OccurredAt));
            }
        }

        private void ReadSignal(LedgerEntry entry)
        {
            var payload = Parse<SignalRecordedPayload>(entry);
            if (payload is null)
            {
                return;
            }

            if (payload.Source is null || payload.Kind is null)
            {
                ignored++;
                return;
            }

            signals.Add(entry, Math.Clamp(payload.Severity, 0, 1), policy.ExternalSignals.HalfLife);
        }

        /// <summary>
        /// Walks stage starts and allows in time order: stage transitions against the graph (per job when events
        /// carry <c>detail.job_id</c>), and elevated stages against the grants and the intent just stated. None of
        /// this depends on the time of assessment, so it runs once, after the last <see cref="Read"/>.
        /// </summary>
        public void ReadTimeline()
        {
            if (timeline is null)
            {
                return;
            }

            timeline.Sort(static (a, b) =>
            {
                var byTime = a.Entry.OccurredAt.CompareTo(b.Entry.OccurredAt);
                return byTime != 0 ? byTime : a.Entry.Seq.CompareTo(b.Entry.Seq);
            });

            var graph = policy.UnexpectedCommandSequences;
            var mismatchWeight = policy.InconsistentReasoning.IntentActionMismatchWeight;
            var lastStage = SequencePenaltyRule.Start;
            Dictionary<string, string>? lastStageByJob = null;
            Dictionary<string, DateTimeOffset>? grantedUntil = null;
            Step? pendingAllow = null;

            foreach (var step in timeline)
            {
                if (step.Granted is { } granted)
                {
                    grantedUntil ??= new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                    foreach (var scope in granted)
                    {
                        if (!grantedUntil.TryGetValue(scope, out var until) || until < step.Until)
                        {
                            grantedUntil[scope] = step.Until;
                        }
                    }

                    pendingAllow = step;
                    continue;
                }

                var stage = step.Scope!;
                string from;
                if (step.JobId is null)
                {
                    from = lastStage;
                    lastStage = stage;
                }
                else
                {
                    lastStageByJob ??= new Dictionary<string, string>(StringComparer.Ordinal);
                    from = lastStageByJob.GetValueOrDefault(step.JobId, SequencePenaltyRule.Start);
                    lastStageByJob[step.JobId] = stage;
                }

                if (!graph.Allows(from, stage))
                {
                    (unexpected ??= []).Add(new Transition(step.Entry, from, stage));
                }

                if (baselineScopes.Contains(stage))
                {
                    continue;
                }

                var at = step.Entry.OccurredAt;
                var live = grantedUntil is not null && grantedUntil.TryGetValue(stage, out var liveUntil) && at < liveUntil;
                var offIntent = pendingAllow is { } allow && at < allow.Until && !Contains(allow.Granted!, stage);
                pendingAllow = null;
                if (!live || offIntent)
                {
                    reasoning.Add(step.Entry, mismatchWeight, policy.InconsistentReasoning.HalfLife, Finding.IntentMismatch);
                }
            }
        }

        private TrustComponent Sequences(DateTimeOffset now)
        {
            var rule = policy.UnexpectedCommandSequences;
            var sequences = new Evidence();
            var learnedTransitions = 0;
            List<string>? penalizedTransitions = null;
            var learnedBy = now - rule.LearnMinAge;
            Dictionary<(string From, string To), int>? oldOccurrences = null;
            foreach (var transition in unexpected ?? [])
            {
                if (transition.Entry.OccurredAt <= learnedBy)
                {
                    oldOccurrences ??= [];
                    var key = (transition.From, transition.To);
                    oldOccurrences[key] = oldOccurrences.GetValueOrDefault(key) + 1;
                }
            }

            HashSet<(string From, string To)>? learned = null;
            foreach (var transition in unexpected ?? [])
            {
                var key = (transition.From, transition.To);
                if (oldOccurrences is not null && oldOccurrences.GetValueOrDefault(key) >= rule.LearnAfter)
                {
                    if ((learned ??= []).Add(key))
                    {
                        learnedTransitions++;
                    }

                    continue;
                }

                if (Decay(transition.Entry, rule.HalfLife, now) > 0)
                {
                    sequences.Add(transition.Entry, 1, rule.HalfLife);
                    var name = $"{transition.From} -> {transition.To}";
                    penalizedTransitions ??= [];
                    if (!penalizedTransitions.Contains(name, StringComparer.Ordinal))
                    {
                        penalizedTransitions.Add(name);
                    }
                }
            }

            var tally = sequences.At(now);
            var detail = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{tally.Count} stage transitions outside the expected graph ({tally.Units:0.##} after decay)");
            if (penalizedTransitions is not null)
            {
                detail.Append(": ").AppendJoin(", ", penalizedTransitions.Take(3));
                if (penalizedTransitions.Count > 3)
                {
                    detail.Append(", ...");
                }
            }

            detail.Append(CultureInfo.InvariantCulture, $"; {learnedTransitions} learned for this agent.");
            return Component(TrustComponents.UnexpectedCommandSequences, Math.Min(rule.MaxPenalty, rule.Weight * tally.Units), tally.Ids(), detail.ToString());
        }

        private static TrustComponent Simple(string name, Tally tally, PenaltyRule rule, string what) =>
            Component(name, Math.Min(rule.MaxPenalty, rule.Weight * tally.Units), tally.Ids(), Format($"{tally.Count} {what} ({tally.Units:0.##} after decay)."));

        private TrustComponent Retries(DateTimeOffset now)
        {
            var rule = policy.RepetitiveRetries;
            var retries = this.retries.At(now);
            var excess = Math.Max(0, retries.Units - rule.Allowance);
            return Component(
                TrustComponents.RepetitiveRetries,
                Math.Min(rule.MaxPenalty, rule.Weight * excess),
                excess > 0 ? retries.Ids() : [],
                Format($"{retries.Count} retries ({retries.Units:0.##} after decay) against a free allowance of {rule.Allowance:0.##}."));
        }

        private TrustComponent ApiUsage(DateTimeOffset now)
        {
            var rule = policy.AbnormalApiUsage;
            var apiUsage = new Evidence();
            var windowStart = now - rule.Window;
            var baselineStart = windowStart - (rule.Window * rule.BaselineWindows);
            var current = 0;
            var baselineCalls = 0;
            if (apiCalls is not null)
            {
                foreach (var call in apiCalls)
                {
                    if (call.OccurredAt > windowStart)
                    {
                        current++;
                    }
                    else if (call.OccurredAt > baselineStart)
                    {
                        baselineCalls++;
                    }
                }
            }

            // An agent younger than the baseline is compared with the windows it has lived through, not with empty ones.
            var windows = firstSeen < windowStart
                ? (int)Math.Min(rule.BaselineWindows, Math.Ceiling((windowStart - firstSeen) / rule.Window))
                : 0;
            var baseline = windows > 0 ? (double)baselineCalls / windows : 0;
            var threshold = Math.Max(rule.MinCalls, rule.Factor * baseline);
            if (apiCalls is not null && current > threshold)
            {
                foreach (var call in apiCalls)
                {
                    if (call.OccurredAt > windowStart)
                    {
                        apiUsage.Add(call, 1, rule.HalfLife);
                    }
                }
            }

            var tally = apiUsage.At(now);
            return Component(
                TrustComponents.AbnormalApiUsage,
                Math.Min(rule.MaxPenalty, rule.Weight * tally.Units),
                tally.Ids(),
                Format($"{current} API calls in the last {rule.Window.TotalSeconds:0} s against a baseline of {baseline:0.##} per window over {windows} windows; abnormal above {threshold:0.##}."));
        }

        private TrustComponent Reasoning(DateTimeOffset now)
        {
            var tally = reasoning.At(now);
            return Component(
                TrustComponents.InconsistentReasoning,
                Math.Min(policy.InconsistentReasoning.MaxPenalty, tally.Units),
                tally.Ids(),
                Format($"{tally.CountOf(Finding.JudgeInconsistent)} inconsistent judge verdicts, {tally.CountOf(Finding.InflatedConfidence)} inflated confidences, {tally.CountOf(Finding.IntentMismatch)} elevated stages off the stated intent or without a live allow."));
        }

        private TrustComponent Signals(DateTimeOffset now)
        {
            var tally = signals.At(now);
            return Component(
                TrustComponents.ExternalSignals,
                Math.Min(policy.ExternalSignals.MaxPenalty, policy.ExternalSignals.Weight * tally.Units),
                tally.Ids(),
                Format($"{tally.Count} external signals ({tally.Units:0.##} severity after decay)."));
        }

        private static TrustComponent Component(string name, double penalty, IReadOnlyList<string> evidence, string detail) =>
            new() { Name = name, Penalty = Round(penalty), Evidence = evidence, Detail = detail };

        private T? Parse<T>(LedgerEntry entry)
            where T : class
        {
            try
            {
                return LedgerJsonContext.Deserialize<T>(entry.Payload);
            }
            catch (JsonException)
            {
                ignored++;
                return null;
            }
        }


        private static bool OnlyNothingToElevate(IReadOnlyList<ReasonRecord> reasons)
        {
            if (reasons.Count == 0)
            {
                return false;
            }

            foreach (var reason in reasons)
            {
                if (reason?.Code != NoElevatedScopeRequested)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool DeniedAsVagueOrOffIntent(ElevationDecidedPayload payload)
        {
            foreach (var denial in payload.DeniedScopes)
            {
                if (IsVagueOrOffIntent(denial?.Code))
                {
                    return true;
                }
            }

            foreach (var reason in payload.Reasons)
            {
                if (IsVagueOrOffIntent(reason?.Code))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsVagueOrOffIntent(string? code) => code == ReasonTooVague || code == IntentScopeMismatch;

        private static string? JobId(JsonElement? detail) =>
            detail is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(JobIdProperty, out var jobId)
                ? jobId.ValueKind switch
                {
                    JsonValueKind.String => jobId.GetString(),
                    JsonValueKind.Number => jobId.GetRawText(),
                    _ => null,
                }
                : null;

        private static bool Contains(IReadOnlyList<string> scopes, string scope)
        {
            foreach (var candidate in scopes)
            {
                if (string.Equals(candidate, scope, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        private static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

        private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A stage start (<see cref="Scope"/> set) or an allow (<see cref="Granted"/> set, live until <see cref="Until"/>).</summary>
    private readonly record struct Step(LedgerEntry Entry, string? Scope, string? JobId, IReadOnlyList<string>? Granted, DateTimeOffset Until);

    /// <summary>A stage transition outside the configured graph.</summary>
    private readonly record struct Transition(LedgerEntry Entry, string From, string To);

    /// <summary>Which finding a piece of inconsistent-reasoning evidence records (for the component's detail).</summary>
    [Flags]
    private enum Finding
    {
        None = 0,
        JudgeInconsistent = 1,
        InflatedConfidence = 2,
        IntentMismatch = 4,
    }

    /// <summary>One piece of a component's evidence: its entry, its units before decay, and how fast they decay.</summary>
    private readonly record struct Unit(LedgerEntry Entry, double Units, TimeSpan HalfLife, Finding Findings);

    /// <summary>The evidence of one component, undecayed, in the order it was found.</summary>
    private sealed class Evidence
    {
        private List<Unit>? units;

        public void Add(LedgerEntry entry, double units, TimeSpan halfLife, Finding findings = Finding.None) =>
            (this.units ??= []).Add(new Unit(entry, units, halfLife, findings));

        /// <summary>The evidence as of <paramref name="now"/>: decayed, forgotten evidence left out.</summary>
        public Tally At(DateTimeOffset now)
        {
            var tally = new Tally();
            if (units is not null)
            {
                foreach (var unit in units)
                {
                    tally.Add(unit, Decay(unit.Entry, unit.HalfLife, now));
                }
            }

            return tally;
        }
    }

    /// <summary>The evidence of one component at one time: its entries and their decayed units.</summary>
    private sealed class Tally
    {
        private List<Unit>? entries;

        public double Units { get; private set; }

        public int Count => entries?.Count ?? 0;

        /// <summary>Counts <paramref name="unit"/> decayed by <paramref name="decay"/>; nothing when it is forgotten.</summary>
        public void Add(Unit unit, double decay)
        {
            if (decay <= 0)
            {
                return;
            }

            Units += unit.Units * decay;
            (entries ??= []).Add(unit);
        }

        /// <summary>How many pieces of evidence record <paramref name="finding"/>.</summary>
        public int CountOf(Finding finding)
        {
            var count = 0;
            foreach (var unit in entries ?? [])
            {
                count += (unit.Findings & finding) != 0 ? 1 : 0;
            }

            return count;
        }

        public string[] Ids()
        {
            if (entries is null)
            {
                return [];
            }

            entries.Sort(static (a, b) => a.Entry.Seq.CompareTo(b.Entry.Seq));
            var ids = new string[entries.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = entries[i].Entry.Id;
            }

            return ids;
        }
    }
}
