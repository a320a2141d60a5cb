using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using ReflexiveIdentity.Adapters.Ledger;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Http.Dashboard;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Policy;

namespace ReflexiveIdentity.Http.Tests;

/// <summary>The dashboard snapshot over a real SQLite ledger, with time under the test's control.</summary>
public sealed class IntegrityDashboardTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "reflexive-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider time = new(DateTimeOffset.FromUnixTimeSeconds(1_796_400_000));
    private readonly SqliteLedger ledger;
    private readonly IntegrityDashboard dashboard;

    public IntegrityDashboardTests()
    {
        Directory.CreateDirectory(directory);
        ledger = SqliteLedger.Open(Path.Combine(directory, "ledger.db"));
        dashboard = new IntegrityDashboard(ledger, PolicyDocument.Default, time);
    }

    [Fact]
    public async Task Snapshot_GrantExpires_ItsScopeIsNoLongerHeld()
    {
        await RegisterAsync();
        var grant = Grant.Issue("agent_omega", ["generate.report"], time.GetUtcNow(), TimeSpan.FromSeconds(900));
        await AppendAsync(LedgerEntryKind.ElevationDecided, """{"decision":"allow"}""", grant: grant);

        var granted = await dashboard.SnapshotAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(900));
        var expired = await dashboard.SnapshotAsync(CancellationToken.None);

        var scope = Assert.Single(granted.Agents).Scopes.Single(s => s.Scope == "generate.report");
        Assert.Equal(("held", grant.Id), (scope.State, scope.GrantId));
        var after = Assert.Single(expired.Agents);
        var expiredScope = after.Scopes.Single(s => s.Scope == "generate.report");
        Assert.Equal("not_held", expiredScope.State);
        Assert.Null(expiredScope.GrantId);
        Assert.Empty(after.ActiveGrants);
    }

    [Fact]
    public async Task Snapshot_UnreadablePayload_ShowsTheEntryByItsKind()
    {
        await RegisterAsync();
        await AppendAsync(LedgerEntryKind.SignalRecorded, "[]");

        var snapshot = await dashboard.SnapshotAsync(CancellationToken.None);

        var entry = snapshot.Timeline[0];
        Assert.Equal(("signal_recorded", "signal recorded", 0), (entry.Kind, entry.Summary, entry.ReasonCodes.Count));
    }

    [Fact]
    public async Task Snapshot_LongChain_KeepsTheNewestEntriesNewestFirst()
    {
        await RegisterAsync();
        for (var i = 1; i <= 150; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await AppendAsync(LedgerEntryKind.SignalRecorded, LedgerJsonContext.Serialize(new SignalRecordedPayload("monitoring", $"probe_{i}", 0.1, null)));
        }

        var snapshot = await dashboard.SnapshotAsync(CancellationToken.None);

        Assert.Equal(IntegrityDashboard.TimelineLimit, snapshot.Timeline.Count);
        Assert.Equal(Enumerable.Range(51, 100).Reverse().Select(i => $"probe_{i}"), snapshot.Timeline.Select(e => Assert.Single(e.ReasonCodes)));
        Assert.Equal("monitoring reports probe_150 (severity 0.1)", snapshot.Timeline[0].Summary);
    }

    public void Dispose()
    {
        ledger.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private Task RegisterAsync()
    {
        var agent = Agent.Register("agent_omega", new Principal(PrincipalType.User, "auth0|agent_omega"), time.GetUtcNow());
        return AppendAsync(LedgerEntryKind.AgentRegistered, LedgerJsonContext.Serialize(new AgentRegisteredPayload(new PrincipalRecord("user", "auth0|agent_omega"), 100)), agent);
    }

    private Task AppendAsync(LedgerEntryKind kind, string payload, Agent? agent = null, Grant? grant = null) =>
        ledger.AppendAsync(
            new LedgerAppend { ChainId = "agent_omega", Kind = kind, OccurredAt = time.GetUtcNow(), RecordedAt = time.GetUtcNow(), Payload = payload, Agent = agent, Grant = grant },
            CancellationToken.None);
}
