using Microsoft.Data.Sqlite;
using ReflexiveIdentity.Adapters.Ledger;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Adapters.Tests;

public sealed class SqliteLedgerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);
    private readonly TempLedgerFile file = new();
    private readonly SqliteLedger ledger;

    public SqliteLedgerTests() => ledger = SqliteLedger.Open(file.Path);

    public void Dispose()
    {
        ledger.Dispose();
        file.Dispose();
    }

    [Fact]
    public async Task AppendAsync_TwoChains_NumbersAndLinksEachChainOnItsOwn()
    {
        var a1 = await Append("agent_a");
        var b1 = await Append("agent_b");
        var a2 = await Append("agent_a");

        Assert.Equal((1, 1, 2), (a1.Seq, b1.Seq, a2.Seq));
        Assert.Equal(LedgerChain.GenesisHash, b1.PrevHash);
        Assert.Equal(a1.Hash, a2.PrevHash);
        var stored = await ledger.ReadChainAsync("agent_a", CancellationToken.None).ToListAsync();
        Assert.Equal([a1, a2], stored);
    }

    [Fact]
    public async Task AppendAsync_WithAgentAndGrant_StoresBothWithTheEntry()
    {
        var agent = Agent.Register("agent_omega", new Principal(PrincipalType.User, "auth0|agent_omega"), Now) with { RevokedScopes = ["share.output"] };
        var grant = Grant.Issue("agent_omega", ["generate.report"], Now, TimeSpan.FromMinutes(15));

        await ledger.AppendAsync(Entry("agent_omega") with { Agent = agent, Grant = grant }, CancellationToken.None);

        Assert.Equivalent(agent, await ledger.GetAgentAsync("agent_omega", CancellationToken.None), strict: true);
        var stored = await ledger.GetGrantAsync(grant.Id, CancellationToken.None);
        Assert.Equal(grant.Scopes, stored!.Scopes);
        Assert.Equal(grant.ExpiresAt, stored.ExpiresAt);
        Assert.Equal([agent.Id], (await ledger.ListAgentsAsync(CancellationToken.None)).Select(a => a.Id));
    }

    [Fact]
    public async Task ListActiveGrantsAsync_LeavesOutExpiredAndRevoked()
    {
        var active = Grant.Issue("agent_omega", ["generate.report"], Now, TimeSpan.FromMinutes(15));
        var expired = Grant.Issue("agent_omega", ["generate.report"], Now.AddHours(-1), TimeSpan.FromMinutes(15));
        var revoked = Grant.Issue("agent_omega", ["share.output"], Now, TimeSpan.FromMinutes(5)).Revoke(Now, "quarantine");
        foreach (var grant in new[] { active, expired, revoked })
        {
            await ledger.AppendAsync(Entry("agent_omega") with { Grant = grant }, CancellationToken.None);
        }

        var grants = await ledger.ListActiveGrantsAsync("agent_omega", Now, CancellationToken.None);

        Assert.Equal([active.Id], grants.Select(g => g.Id));
        Assert.Equal(GrantStatus.Revoked, (await ledger.GetGrantAsync(revoked.Id, CancellationToken.None))!.StatusAt(Now));
    }

    [Fact]
    public async Task AppendAsync_SameRequestIdInsideWindow_ReturnsTheFirstEntryAndWritesNothing()
    {
        var grant = Grant.Issue("agent_omega", ["generate.report"], Now, TimeSpan.FromMinutes(15));
        var first = await ledger.AppendAsync(Entry("agent_omega") with { RequestId = "req-1", ReplayWindowStart = Now.AddMinutes(-10) }, CancellationToken.None);

        var second = await ledger.AppendAsync(Entry("agent_omega") with { RequestId = "req-1", ReplayWindowStart = Now.AddMinutes(-10), Grant = grant }, CancellationToken.None);

        Assert.True(second.Replayed);
        Assert.Equal(first.Entry, second.Entry);
        Assert.Single(await ledger.ReadChainAsync("agent_omega", CancellationToken.None).ToListAsync());
        Assert.Null(await ledger.GetGrantAsync(grant.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_SameRequestIdAfterWindow_AppendsAgain()
    {
        await ledger.AppendAsync(Entry("agent_omega") with { RequestId = "req-1" }, CancellationToken.None);

        var later = await ledger.AppendAsync(Entry("agent_omega", Now.AddMinutes(11)) with { RequestId = "req-1", ReplayWindowStart = Now.AddMinutes(1) }, CancellationToken.None);

        Assert.False(later.Replayed);
        Assert.Equal(2, later.Entry.Seq);
    }

    [Fact]
    public async Task CountSinceAsync_CountsOneKindFromTheGivenTime()
    {
        await ledger.AppendAsync(Entry("agent_omega", Now.AddMinutes(-5)), CancellationToken.None);
        await ledger.AppendAsync(Entry("agent_omega", Now), CancellationToken.None);
        await ledger.AppendAsync(Entry("agent_omega", Now) with { Kind = LedgerEntryKind.RequestRejected }, CancellationToken.None);

        Assert.Equal(1, await ledger.CountSinceAsync("agent_omega", LedgerEntryKind.ElevationDecided, Now.AddMinutes(-1), CancellationToken.None));
        Assert.Equal(2, await ledger.CountSinceAsync("agent_omega", LedgerEntryKind.ElevationDecided, Now.AddMinutes(-10), CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_ManyConcurrentWritersOnOneAndManyChains_NeverForkAChain()
    {
        using var second = SqliteLedger.Open(file.Path);
        var writers = Enumerable.Range(0, 400).Select(i => Task.Run(() =>
            (i % 2 == 0 ? ledger : second).AppendAsync(Entry(i % 4 == 0 ? "hot_agent" : $"agent_{i % 10}"), CancellationToken.None)));

        var results = await Task.WhenAll(writers);

        var verification = await new LedgerVerifier(ledger).VerifyAsync(null, CancellationToken.None);
        Assert.All(verification, chain => Assert.True(chain.IsIntact, chain.FirstBroken?.Problem));
        Assert.Equal(400, verification.Sum(chain => chain.VerifiedEntries));
        Assert.Equal(100, verification.Single(chain => chain.ChainId == "hot_agent").VerifiedEntries);
        Assert.Equal(400, results.Select(r => r.Entry.Id).Distinct().Count());
    }

    [Fact]
    public async Task VerifyAsync_RowEditedByHand_NamesTheEntry()
    {
        for (var i = 0; i < 5; i++)
        {
            await Append("agent_omega");
        }

        file.Tamper("UPDATE ledger_entries SET payload = '{\"decision\":\"allow\"}' WHERE chain_id = 'agent_omega' AND seq = 3;");

        var result = Assert.Single(await new LedgerVerifier(ledger).VerifyAsync("agent_omega", CancellationToken.None));
        Assert.Equal("agent_omega/3", result.FirstBroken!.EntryId);
    }

    [Fact]
    public async Task VerifyAsync_RowDeletedByHand_NamesTheGap()
    {
        for (var i = 0; i < 4; i++)
        {
            await Append("agent_omega");
        }

        file.Tamper("DELETE FROM ledger_entries WHERE chain_id = 'agent_omega' AND seq = 2;");

        var result = Assert.Single(await new LedgerVerifier(ledger).VerifyAsync("agent_omega", CancellationToken.None));
        Assert.Equal("agent_omega/3", result.FirstBroken!.EntryId);
    }

    [Fact]
    public async Task Entries_AreAppendOnly_UpdateIsRefusedByTheSchema()
    {
        await Append("agent_omega");
        using var connection = new SqliteConnection($"Data Source={file.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE ledger_entries SET payload = '{}';";

        var error = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());

        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_ExistingFile_KeepsItsEntries()
    {
        var entry = await Append("agent_omega");
        ledger.Dispose();

        using var reopened = SqliteLedger.Open(file.Path);

        Assert.Equal([entry], await reopened.ReadChainAsync("agent_omega", CancellationToken.None).ToListAsync());
    }

    [Fact]
    public void Open_FileFromANewerVersion_IsRefusedWithAClearMessage()
    {
        file.Tamper("PRAGMA user_version = 99;");

        var error = Assert.Throws<InvalidOperationException>(() => SqliteLedger.Open(file.Path));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    private async Task<LedgerEntry> Append(string chain) => (await ledger.AppendAsync(Entry(chain), CancellationToken.None)).Entry;

    private static LedgerAppend Entry(string chain, DateTimeOffset? at = null) => new()
    {
        ChainId = chain,
        Kind = LedgerEntryKind.ElevationDecided,
        OccurredAt = at ?? Now,
        RecordedAt = at ?? Now,
        Payload = """{"decision":"deny"}""",
    };
}
