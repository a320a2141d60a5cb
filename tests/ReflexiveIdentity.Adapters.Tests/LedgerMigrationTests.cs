using ReflexiveIdentity.Adapters.Ledger;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Adapters.Tests;

[Collection(UsesAzurite.Name)]
public sealed class LedgerMigrationTests(AzuriteFixture azurite) : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);
    private readonly TempLedgerFile sourceFile = new();
    private readonly TempLedgerFile backFile = new();
    private readonly string prefix = AzuriteFixture.NewPrefix();
    private readonly List<Grant> grants = [];
    private SqliteLedger source = null!;
    private TablesLedger tables = null!;

    public Task InitializeAsync()
    {
        source = SqliteLedger.Open(sourceFile.Path);
        tables = azurite.Open(prefix);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        source.Dispose();
        tables.Dispose();
        await azurite.DeleteTablesAsync(prefix);
    }

    public void Dispose()
    {
        sourceFile.Dispose();
        backFile.Dispose();
    }

    [Fact]
    public async Task MigrateAsync_SqliteToTablesToSqlite_KeepsChainsAgentsAndGrantsEqual()
    {
        var entries = await SeedAsync();
        var progress = new List<LedgerMigrationProgress>();

        var toTables = await LedgerMigration.MigrateAsync(source, tables, new Recorder(progress), CancellationToken.None);
        using var back = SqliteLedger.Open(backFile.Path);
        var toSqlite = await LedgerMigration.MigrateAsync(tables, back, null, CancellationToken.None);

        foreach (var result in new[] { toTables, toSqlite })
        {
            Assert.True(result.IsIntact);
            Assert.Equal((3, (long)entries, 0L), (result.Chains, result.EntriesCopied, result.EntriesSkipped));
            Assert.Equal((2, 0, grants.Count, 0), (result.AgentsCopied, result.AgentsUnchanged, result.GrantsCopied, result.GrantsUnchanged));
            Assert.Equal(entries, result.Verification.Sum(chain => chain.VerifiedEntries));
        }

        await AssertSameLedgerAsync(source, tables);
        await AssertSameLedgerAsync(source, back);
        Assert.Equal((3, 3, (long)entries), (progress[^1].ChainsDone, progress[^1].ChainsTotal, progress[^1].EntriesCopied));
        var replay = await tables.AppendAsync(Entry("agent_a", Now.AddMinutes(1)) with { RequestId = "req-7", ReplayWindowStart = Now.AddMinutes(-10) }, CancellationToken.None);
        Assert.True(replay.Replayed);
        Assert.Equal("req-7", replay.Entry.RequestId);
    }

    [Fact]
    public async Task MigrateAsync_RunAgain_SkipsEverythingAlreadyCopied()
    {
        var entries = await SeedAsync();
        await LedgerMigration.MigrateAsync(source, tables, null, CancellationToken.None);

        var again = await LedgerMigration.MigrateAsync(source, tables, null, CancellationToken.None);

        Assert.Equal((0L, (long)entries), (again.EntriesCopied, again.EntriesSkipped));
        Assert.Equal((0, 2, 0, grants.Count), (again.AgentsCopied, again.AgentsUnchanged, again.GrantsCopied, again.GrantsUnchanged));
        Assert.True(again.IsIntact);
    }

    [Fact]
    public async Task MigrateAsync_StoppedHalfwayThrough_CopiesOnlyTheRest()
    {
        var entries = await SeedAsync();
        var longChain = await source.ReadChainAsync("agent_a", CancellationToken.None).ToListAsync();
        await tables.ImportAsync(longChain[..700], CancellationToken.None);

        var resumed = await LedgerMigration.MigrateAsync(source, tables, null, CancellationToken.None);

        Assert.Equal((entries - 700L, 700L), (resumed.EntriesCopied, resumed.EntriesSkipped));
        await AssertSameLedgerAsync(source, tables);
    }

    [Fact]
    public async Task MigrateAsync_TargetHoldsADifferentChain_RefusesToForkIt()
    {
        await SeedAsync();
        await tables.AppendAsync(Entry("agent_b") with { Payload = """{"decision":"allow"}""" }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LedgerMigration.MigrateAsync(source, tables, null, CancellationToken.None));

        Assert.Contains("agent_b", error.Message, StringComparison.Ordinal);
        Assert.Contains("fork", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Three chains (one of 1,200 entries, so it spans several import batches), two agents, grants in every state.</summary>
    private async Task<int> SeedAsync()
    {
        var omega = Agent.Register("agent_a", new Principal(PrincipalType.User, "auth0|agent_a"), Now);
        var beta = Agent.Register("agent_b", new Principal(PrincipalType.Client, "client_b"), Now) with { Status = AgentStatus.Quarantined, RevokedScopes = ["share.output"], TrustScore = 61.25 };
        grants.AddRange(
        [
            Grant.Issue("agent_a", ["generate.report"], Now, TimeSpan.FromMinutes(15)),
            Grant.Issue("agent_a", ["generate.report", "share.output"], Now.AddHours(-1), TimeSpan.FromMinutes(15)),
            Grant.Issue("agent_b", ["share.output"], Now, TimeSpan.FromMinutes(5)).Revoke(Now, "quarantine"),
        ]);
        var count = 0;
        await Append(Entry("agent_a") with { Agent = omega });
        await Append(Entry("agent_b") with { Agent = beta, Grant = grants[2] });
        await Append(Entry("$service") with { Kind = LedgerEntryKind.RequestRejected });
        for (var i = 0; i < 1_197; i++)
        {
            await Append(Entry("agent_a", Now.AddSeconds(i)) with { RequestId = i % 100 == 7 ? $"req-{i}" : null, Grant = i < 2 ? grants[i] : null });
        }

        return count;

        async Task Append(LedgerAppend append)
        {
            await source.AppendAsync(append, CancellationToken.None);
            count++;
        }
    }

    private async Task AssertSameLedgerAsync(ILedger expected, ILedger actual)
    {
        var chains = await expected.ListChainsAsync(CancellationToken.None);
        Assert.Equal(chains, await actual.ListChainsAsync(CancellationToken.None));
        foreach (var chain in chains)
        {
            Assert.Equal(
                await expected.ReadChainAsync(chain, CancellationToken.None).ToListAsync(),
                await actual.ReadChainAsync(chain, CancellationToken.None).ToListAsync());
        }

        Assert.Equivalent(await expected.ListAgentsAsync(CancellationToken.None), await actual.ListAgentsAsync(CancellationToken.None), strict: true);
        foreach (var grant in grants)
        {
            Assert.Equivalent(await expected.GetGrantAsync(grant.Id, CancellationToken.None), await actual.GetGrantAsync(grant.Id, CancellationToken.None), strict: true);
        }

        Assert.Equivalent(
            await expected.ListActiveGrantsAsync("agent_a", Now, CancellationToken.None),
            await actual.ListActiveGrantsAsync("agent_a", Now, CancellationToken.None),
            strict: true);
        Assert.Equal(
            await expected.FindByRequestIdAsync("req-107", Now, CancellationToken.None),
            await actual.FindByRequestIdAsync("req-107", Now, CancellationToken.None));
    }

    private static LedgerAppend Entry(string chain, DateTimeOffset? at = null) => new()
    {
        ChainId = chain,
        Kind = LedgerEntryKind.ElevationDecided,
        OccurredAt = at ?? Now,
        RecordedAt = at ?? Now,
        Payload = """{"decision":"deny"}""",
    };

    /// <summary>Records progress on the caller's thread (<see cref="Progress{T}"/> would post it elsewhere).</summary>
    private sealed class Recorder(List<LedgerMigrationProgress> reports) : IProgress<LedgerMigrationProgress>
    {
        public void Report(LedgerMigrationProgress value) => reports.Add(value);
    }
}
