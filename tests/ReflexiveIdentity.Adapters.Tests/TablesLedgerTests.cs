using Azure;
using Azure.Data.Tables;
using ReflexiveIdentity.Adapters.Ledger;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Adapters.Tests;

/// <summary>What only the Tables ledger does: key escaping, payload splitting, claims left by dead writers, verbatim import.</summary>
[Collection(UsesAzurite.Name)]
public sealed class TablesLedgerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);
    private readonly string prefix = AzuriteFixture.NewPrefix();
    private TablesLedger ledger = null!;

    public Task InitializeAsync()
    {
        ledger = azurite.Open(prefix);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        ledger.Dispose();
        await azurite.DeleteTablesAsync(prefix);
    }

    [Fact]
    public async Task AppendAsync_ChainAndRequestIdsWithCharactersKeysRefuse_RoundTrip()
    {
        const string chain = "odd/chain#1?50%\\x";
        var appended = await ledger.AppendAsync(Entry(chain) with { RequestId = "req/1#?%" }, CancellationToken.None);

        Assert.Equal([chain], await ledger.ListChainsAsync(CancellationToken.None));
        Assert.Equal([appended.Entry], await ledger.ReadChainAsync(chain, CancellationToken.None).ToListAsync());
        Assert.Equal(appended.Entry, await ledger.FindByRequestIdAsync("req/1#?%", Now.AddMinutes(-1), CancellationToken.None));
        Assert.Equal($"{chain}/1", appended.Entry.Id);
    }

    [Fact]
    public async Task AppendAsync_PayloadLongerThanOneProperty_IsStoredWhole()
    {
        var payload = "{\"detail\":\"" + string.Concat(Enumerable.Repeat("abcdefghij😀", 10_000)) + "\"}";

        var appended = await ledger.AppendAsync(Entry("agent_omega") with { Payload = payload }, CancellationToken.None);
        await ledger.AppendAsync(Entry("agent_omega"), CancellationToken.None);

        var stored = await ledger.ReadChainAsync("agent_omega", CancellationToken.None).ToListAsync();
        Assert.Equal(payload, stored[0].Payload);
        Assert.Equal(appended.Entry, stored[0]);
        Assert.True(Assert.Single(await new LedgerVerifier(ledger).VerifyAsync(null, CancellationToken.None)).IsIntact);
    }

    [Fact]
    public async Task AppendAsync_PayloadOverTheEntityLimit_IsRefusedBeforeWriting()
    {
        var payload = new string('x', TablesLedger.MaxPayloadChars + 1);

        await Assert.ThrowsAsync<ArgumentException>(() => ledger.AppendAsync(Entry("agent_omega") with { Payload = payload }, CancellationToken.None));

        Assert.Empty(await ledger.ReadChainAsync("agent_omega", CancellationToken.None).ToListAsync());
        Assert.Empty(await ledger.ListChainsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_ClaimLeftByAWriterThatDiedBeforeCommitting_IsTakenOverAfterTheLease()
    {
        await ledger.PingAsync(CancellationToken.None);
        await azurite.Table(prefix, "requests").AddEntityAsync(new TableEntity("req-dead", "claim") { ["State"] = "appending", ["ChainId"] = "agent_omega" });
        using var later = TablesLedger.Open(TablesConnection.Parse(azurite.ConnectionString), prefix, new ShiftedTime(TablesLedger.RequestClaimLease + TimeSpan.FromSeconds(5)));

        var taken = await later.AppendAsync(Entry("agent_omega") with { RequestId = "req-dead", ReplayWindowStart = Now.AddMinutes(-10) }, CancellationToken.None);
        var replay = await ledger.AppendAsync(Entry("agent_omega") with { RequestId = "req-dead", ReplayWindowStart = Now.AddMinutes(-10) }, CancellationToken.None);

        Assert.False(taken.Replayed);
        Assert.True(replay.Replayed);
        Assert.Equal(taken.Entry, replay.Entry);
        Assert.Single(await ledger.ReadChainAsync("agent_omega", CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task AppendAsync_ClaimLeftByAWriterThatDiedAfterCommitting_ReplaysItsEntry()
    {
        var committed = await ledger.AppendAsync(Entry("agent_omega") with { RequestId = "req-1", ReplayWindowStart = Now.AddMinutes(-10) }, CancellationToken.None);
        await ForgetSettlementAsync("req-1", "agent_omega");

        var found = await ledger.FindByRequestIdAsync("req-1", Now.AddMinutes(-10), CancellationToken.None);
        using var later = TablesLedger.Open(TablesConnection.Parse(azurite.ConnectionString), prefix, new ShiftedTime(TablesLedger.RequestClaimLease + TimeSpan.FromSeconds(5)));
        var again = await later.AppendAsync(Entry("agent_omega") with { RequestId = "req-1", ReplayWindowStart = Now.AddMinutes(-10) }, CancellationToken.None);

        Assert.Equal(committed.Entry, found);
        Assert.True(again.Replayed);
        Assert.Equal(committed.Entry, again.Entry);
        Assert.Single(await ledger.ReadChainAsync("agent_omega", CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task AppendAsync_AgentRecordWrittenByALaterEntry_IsNotOverwrittenByAnEarlierOne()
    {
        var principal = new Principal(PrincipalType.User, "auth0|agent_omega");
        var newest = Agent.Register("agent_omega", principal, Now) with { TrustScore = 40 };
        await ledger.AppendAsync(Entry("agent_omega") with { Agent = newest }, CancellationToken.None);
        var agents = azurite.Table(prefix, "agents");
        var record = (await agents.GetEntityAsync<TableEntity>("agent_omega", "agent")).Value;
        record["SourceSeq"] = 5L;
        await agents.UpdateEntityAsync(record, ETag.All, TableUpdateMode.Replace);

        await ledger.AppendAsync(Entry("agent_omega") with { Agent = newest with { TrustScore = 90 } }, CancellationToken.None);

        Assert.Equal(40, (await ledger.GetAgentAsync("agent_omega", CancellationToken.None))!.TrustScore);
    }

    [Fact]
    public async Task ImportAsync_EntriesOfAnotherChainWithTheSameId_AreRefusedAsAFork()
    {
        using var other = azurite.Open(AzuriteFixture.NewPrefix());
        for (var i = 0; i < 3; i++)
        {
            await ledger.AppendAsync(Entry("agent_omega"), CancellationToken.None);
            await other.AppendAsync(Entry("agent_omega") with { Payload = """{"decision":"allow"}""" }, CancellationToken.None);
        }

        var theirs = await other.ReadChainAsync("agent_omega", CancellationToken.None).ToListAsync();
        await other.DeleteTablesAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.ImportAsync(theirs, CancellationToken.None));
        Assert.Contains("agent_omega/3", error.Message, StringComparison.Ordinal);
        Assert.Contains("fork", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_SameEntriesTwiceAndAGap_SkipsWhatIsThereAndRefusesTheGap()
    {
        var source = new List<LedgerEntry>();
        for (var i = 0; i < 250; i++)
        {
            source.Add(LedgerChain.Next(source.LastOrDefault(), Entry("agent_omega", Now.AddSeconds(i)) with { RequestId = i % 50 == 0 ? $"req-{i}" : null }));
        }

        var first = await ledger.ImportAsync(source[..120], CancellationToken.None);
        var second = await ledger.ImportAsync(source, CancellationToken.None);
        var gap = await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.ImportAsync([LedgerChain.Next(LedgerChain.Next(source[^1], Entry("agent_omega")), Entry("agent_omega"))], CancellationToken.None));

        Assert.Equal((120, 130), (first, second));
        Assert.Equal(source, await ledger.ReadChainAsync("agent_omega", CancellationToken.None).ToListAsync());
        Assert.Equal(source[100], await ledger.FindByRequestIdAsync("req-100", Now, CancellationToken.None));
        Assert.Contains("gap", gap.Message, StringComparison.Ordinal);
        var appended = await ledger.AppendAsync(Entry("agent_omega"), CancellationToken.None);
        Assert.Equal((251L, source[^1].Hash), (appended.Entry.Seq, appended.Entry.PrevHash));
    }

    /// <summary>Puts the request back in the state a writer that died between commit and settlement leaves: claim appending, no index row.</summary>
    private async Task ForgetSettlementAsync(string requestId, string chainId)
    {
        var requests = azurite.Table(prefix, "requests");
        await foreach (var row in requests.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {requestId}")))
        {
            await requests.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        await requests.AddEntityAsync(new TableEntity(requestId, "claim") { ["State"] = "appending", ["ChainId"] = chainId });
    }

    private static LedgerAppend Entry(string chain, DateTimeOffset? at = null) => new()
    {
        ChainId = chain,
        Kind = LedgerEntryKind.ElevationDecided,
        OccurredAt = at ?? Now,
        RecordedAt = at ?? Now,
        Payload = """{"decision":"deny"}""",
    };

    /// <summary>The system clock moved on by <paramref name="shift"/>: a writer that looks at a claim later.</summary>
    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
