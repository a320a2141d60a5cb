using System.Globalization;
using System.Text.Json;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Http.Endpoints;
using ReflexiveIdentity.Integrity;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Policy;

namespace ReflexiveIdentity.Http.Dashboard;

/// <summary>
/// Assembles what the dashboard shows from the ledger: each agent's score, status, scopes and grants,
/// its trust over time (from the <c>trust_recomputed</c> entries of its integrity chain) and the latest
/// entries of every agent's chains. Chains are read front to back (the ledger has no tail read), keeping
/// only the newest <see cref="TimelineLimit"/> entries and <see cref="HistoryLimit"/> trust points in memory.
/// </summary>
public sealed class IntegrityDashboard(ILedger ledger, PolicyDocument policy, TimeProvider time)
{
    /// <summary>The most timeline entries a snapshot carries.</summary>
    public const int TimelineLimit = 100;

    /// <summary>The most trust points a snapshot carries per agent.</summary>
    public const int HistoryLimit = 100;

    /// <summary>How many of an agent's newest integrity entries (recomputations, quarantines, syncs) are read for its trust history.</summary>
    private const int RecentIntegrityEntries = 3 * HistoryLimit;

    /// <summary>The dashboard as it stands now.</summary>
    public async Task<DashboardBody> SnapshotAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var agents = await ledger.ListAgentsAsync(cancellationToken).ConfigureAwait(false);
        var bodies = new List<DashboardAgentBody>(agents.Count);
        var timeline = new List<(LedgerEntry Entry, TimelineEntryBody Body)>();
        foreach (var agent in agents)
        {
            var grants = await ledger.ListActiveGrantsAsync(agent.Id, now, cancellationToken).ConfigureAwait(false);
            var history = new BoundedQueue<TrustPointBody>(HistoryLimit);
            var entries = new BoundedQueue<LedgerEntry>(TimelineLimit);

            // Only the chains' tails are read, so a snapshot costs the same however long an agent has lived.
            history.Add(new TrustPointBody(agent.RegisteredAt, Agent.InitialTrustScore));
            foreach (var entry in await ledger.ReadRecentAsync(agent.Id, TimelineLimit, cancellationToken).ConfigureAwait(false))
            {
                entries.Add(entry);
            }

            foreach (var entry in await ledger.ReadRecentAsync(IntegrityChains.For(agent.Id), RecentIntegrityEntries, cancellationToken).ConfigureAwait(false))
            {
                entries.Add(entry);
                if (entry.Kind == LedgerEntryKind.TrustRecomputed.ToWire() && Read<TrustRecomputedPayload>(entry) is { } recomputed)
                {
                    history.Add(new TrustPointBody(entry.OccurredAt, recomputed.TrustScore));
                }
            }

            timeline.AddRange(entries.Items.Select(entry => (entry, Summarise(entry, agent.Id))));
            bodies.Add(new DashboardAgentBody
            {
                AgentId = agent.Id,
                TrustScore = agent.TrustScore,
                Status = agent.Status.ToString().ToLowerInvariant(),
                Scopes = ScopesOf(agent, grants),
                ActiveGrants = grants.Select(grant => GrantsEndpoint.ToBody(grant, now)).ToList(),
                TrustHistory = history.Items.ToList(),
            });
        }

        return new DashboardBody
        {
            GeneratedAt = now,
            TrustThreshold = policy.TrustThreshold,
            Agents = bodies,
            Timeline = timeline
                .OrderByDescending(item => item.Entry.OccurredAt)
                .ThenByDescending(item => item.Entry.RecordedAt)
                .ThenByDescending(item => item.Entry.Seq)
                .Take(TimelineLimit)
                .Select(item => item.Body)
                .ToList(),
        };
    }

    /// <summary>
    /// A baseline scope is held unless revoked; an elevated one only through an active grant. A revoked
    /// scope reads <c>revoked</c> even while a grant names it: the quarantine wins.
    /// </summary>
    private List<ScopeStateBody> ScopesOf(Agent agent, IReadOnlyList<Grant> grants) =>
        policy.Scopes.Values.Select(rule =>
        {
            var grant = rule.Baseline ? null : grants.FirstOrDefault(g => g.Scopes.Contains(rule.Name, StringComparer.Ordinal));
            var state = agent.RevokedScopes.Contains(rule.Name, StringComparer.Ordinal) ? "revoked"
                : rule.Baseline || grant is not null ? "held"
                : "not_held";
            return new ScopeStateBody
            {
                Scope = rule.Name,
                Critical = rule.Critical,
                Baseline = rule.Baseline,
                State = state,
                GrantId = state == "held" ? grant?.Id : null,
            };
        }).ToList();

    private static TimelineEntryBody Summarise(LedgerEntry entry, string agentId)
    {
        var body = new TimelineEntryBody { EntryId = entry.Id, At = entry.OccurredAt, AgentId = agentId, Kind = entry.Kind, ReasonCodes = [], Summary = entry.Kind.Replace('_', ' ') };
        if (!LedgerEntryKinds.TryParse(entry.Kind, out var kind))
        {
            return body;
        }

        return kind switch
        {
            LedgerEntryKind.AgentRegistered when Read<AgentRegisteredPayload>(entry) is { } p =>
                body with { TrustScore = p.TrustScore, Summary = $"registered as {p.Principal.Type} {p.Principal.Id}" },
            LedgerEntryKind.ElevationDecided when Read<ElevationDecidedPayload>(entry) is { } p => body with
            {
                Decision = p.Decision,
                ReasonCodes = p.Reasons.Select(r => r.Code).Concat(p.DeniedScopes.Select(d => d.Code)).Distinct(StringComparer.Ordinal).ToList(),
                TrustScore = p.TrustScore,
                Summary = p.GrantedScopes.Count > 0
                    ? $"{p.Decision}: granted {string.Join(", ", p.GrantedScopes)}"
                    : $"{p.Decision}: asked for {string.Join(", ", p.RequestedScopes)}",
            },
            LedgerEntryKind.RequestRejected when Read<RequestRejectedPayload>(entry) is { } p =>
                body with { ReasonCodes = [p.Code], Summary = Invariant($"rejected {p.Route} with {p.Status}") },
            LedgerEntryKind.GrantRevoked when Read<GrantRevokedPayload>(entry) is { } p =>
                body with { Summary = $"revoked {string.Join(", ", p.Scopes)} ({p.GrantId}) by {p.RevokedBy}: {p.Reason}" },
            LedgerEntryKind.EventRecorded when Read<EventRecordedPayload>(entry) is { } p =>
                body with { Summary = string.Join(' ', new[] { p.Kind, p.Scope, p.Outcome }.Where(part => part is not null)) },
            LedgerEntryKind.SignalRecorded when Read<SignalRecordedPayload>(entry) is { } p =>
                body with { ReasonCodes = [p.Kind], Summary = Invariant($"{p.Source} reports {p.Kind} (severity {p.Severity:0.##})") },
            LedgerEntryKind.TrustRecomputed when Read<TrustRecomputedPayload>(entry) is { } p => body with
            {
                ReasonCodes = p.Components.Where(c => c.Penalty > 0).OrderByDescending(c => c.Penalty).Select(c => c.Name).ToList(),
                TrustScore = p.TrustScore,
                Summary = Invariant($"trust {p.PreviousScore:0.#} → {p.TrustScore:0.#}"),
            },
            LedgerEntryKind.AgentQuarantined when Read<AgentQuarantinedPayload>(entry) is { } p => body with
            {
                ReasonCodes = [ReasonCode.TrustBelowThreshold.ToWire(), .. p.Components],
                TrustScore = p.TrustScore,
                Summary = Invariant($"quarantined below {p.Threshold:0.#}: revoked {string.Join(", ", p.RevokedScopes)} and {p.RevokedGrants.Count} grant(s)"),
            },
            LedgerEntryKind.AgentRestored when Read<AgentRestoredPayload>(entry) is { } p =>
                body with { TrustScore = p.TrustScore, Summary = $"restored by {p.RestoredBy}: {p.Reason}" },
            LedgerEntryKind.DirectorySynced when Read<DirectorySyncedPayload>(entry) is { } p =>
                body with { TrustScore = p.TrustScore, Summary = DirectorySummary(p) },
            _ => body,
        };
    }

    private static string DirectorySummary(DirectorySyncedPayload sync)
    {
        var parts = new List<string> { Invariant($"Auth0 updated: {sync.Status}, trust {sync.TrustScore:0.#}") };
        if (sync.ScopesRemoved.Count > 0)
        {
            parts.Add($"removed {string.Join(", ", sync.ScopesRemoved)}");
        }

        if (sync.ScopesRestored.Count > 0)
        {
            parts.Add($"restored {string.Join(", ", sync.ScopesRestored)}");
        }

        return string.Join("; ", parts);
    }

    /// <summary>The entry's payload, or null when it cannot be read as <typeparamref name="T"/>: one odd entry never hides the dashboard.</summary>
    private static T? Read<T>(LedgerEntry entry)
        where T : class
    {
        try
        {
            return LedgerJsonContext.Deserialize<T>(entry.Payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Keeps the last <c>capacity</c> items added.</summary>
    private sealed class BoundedQueue<T>(int capacity)
    {
        private readonly Queue<T> items = new(capacity);

        public int Count => items.Count;

        public IEnumerable<T> Items => items;

        public void Add(T item)
        {
            if (items.Count == capacity)
            {
                items.Dequeue();
            }

            items.Enqueue(item);
        }
    }
}
