using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Adapters.Tests;

/// <summary>
/// The behaviour every <see cref="ILedger"/> adapter must have. Each adapter's test class derives from this
/// one and supplies a fresh store, a second instance over the same store, and a way to tamper with it.
/// </summary>
/// <typeparam name="TLedger">The adapter.</typeparam>
public abstract class LedgerContractTests<TLedger> : IAsyncLifetime
    where TLedger : class, ILedger, IDisposable
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);

    private TLedger? ledger;

    /// <summary>The ledger under test, over a fresh, empty store.</summary>
    protected TLedger Ledger => ledger ?? throw new InvalidOperationException("The ledger is not open yet.");

    public Task InitializeAsync()
    {
        ledger = Open();
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync()
    {
        ledger?.Dispose();
        return Task.CompletedTask;
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
        var stored = await Ledger.ReadChainAsync("agent_a", CancellationToken.None).ToListAsync();
        Assert.Equal([a1, a2], stored);
    }

    [Fact]
    public async Task ReadRecentAsync_LongerChain_ReturnsTheLastEntriesOldestFirst()
    {
        var appended = new List<LedgerEntry>();
        for (var i = 0; i < 5; i++)
        {
            appended.Add(await Append("agent_a"));
        }

        await Append("agent_b");

        Assert.Equal(appended[2..], await Ledger.ReadRecentAsync("agent_a", 3, CancellationToken.None));
        Assert.Equal(appended, await Ledger.ReadRecentAsync("agent_a", 10, CancellationToken.None));
        Assert.Empty(await Ledger.ReadRecentAsync("agent_a", 0, CancellationToken.None));
        Assert.Empty(await Ledger.ReadRecentAsync("nobody", 3, CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_WithAgentAndGrant_StoresBothWithTheEntry()
    {
        var agent = Agent.Register("agent_omega", new Principal(PrincipalType.User, "auth0|agent_omega"), Now) with { RevokedScopes = ["share.output"] };
        var grant = Grant.Issue("agent_omega", ["generate.report"], Now, TimeSpan.FromMinutes(15));

        await Ledger.AppendAsync(Entry("agent_omega") with { Agent = agent, Grant = grant }, CancellationToken.None);

        Assert.Equivalent(agent, await Ledger.GetAgentAsync("agent_omega", CancellationToken.None), strict: true);
        var stored = await Ledger.GetGrantAsync(grant.Id, CancellationToken.None);
        Assert.Equal(grant.Scopes, stored!.Scopes);
        Assert.Equal(grant.ExpiresAt, stored.ExpiresAt);
        Assert.Equal([agent.Id], (await Ledger.ListAgentsAsync(CancellationToken.None)).Select(a => a.Id));
    }

    [Fact]
    public async Task AppendAsync_AgentWrittenAgain_KeepsTheFirstRegistrationAndTakesTheRest()
    {
        var principal = new Principal(PrincipalType.Client, "m2m-client");
        var registered = Agent.Register("agent_omega", principal, Now);
        var quarantined = registered with { TrustScore = 42.5, Status = AgentStatus.Quarantined, RevokedScopes = ["share.output", "generate.report"], RegisteredAt = Now.AddDays(1), UpdatedAt = Now.AddHours(1) };

        await Ledger.AppendAsync(Entry("agent_omega") with { Agent = registered }, CancellationToken.None);
        await Ledger.AppendAsync(Entry("agent_omega") with { Agent = quarantined }, CancellationToken.None);

        Assert.Equivalent(quarantined with { RegisteredAt = Now }, await Ledger.GetAgentAsync("agent_omega", CancellationToken.None), strict: true);
        Assert.Null(await Ledger.GetAgentAsync("agent_unknown", CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_AssessedAgent_KeepsItsIntegrityStateWithRescoreAt()
    {
        var breakdown = new Trust.TrustComponent { Name = Trust.TrustComponents.ExternalSignals, Penalty = 19.95, Evidence = ["agent_omega/2"], Detail = "1 external signals (1 severity after decay)." };
        var assessed = Agent.Register("agent_omega", new Principal(PrincipalType.User, "auth0|agent_omega"), Now) with
        {
            TrustScore = 80.05,
            AssessedHeadSeq = 2,
            Breakdown = [breakdown],
            RescoreAt = Now.AddMinutes(52).AddTicks(1_234_567),
        };
        var synced = assessed.Synced(assessed.DesiredRecord());

        await Ledger.AppendAsync(Entry("agent_omega") with { Agent = synced }, CancellationToken.None);

        Assert.Equivalent(synced, await Ledger.GetAgentAsync("agent_omega", CancellationToken.None), strict: true);
        Assert.Equal(synced.RescoreAt, (await Ledger.ListAgentsAsync(CancellationToken.None)).Single().RescoreAt);
    }

    [Fact]
    public async Task AppendAsync_GrantRevokedLater_ChangesOnlyTheRevocation()
    {
        var grant = Grant.Issue("agent_omega", ["generate.report"], Now, TimeSpan.FromMinutes(15));
        await Ledger.AppendAsync(Entry("agent_omega") with { Grant = grant }, CancellationToken.None);

        await Ledger.AppendAsync(Entry("agent_omega") with { Grant = grant.Revoke(Now.AddMinutes(1), "quarantine") with { Scopes = ["share.output"] } }, CancellationToken.None);

        var stored = await Ledger.GetGrantAsync(grant.Id, CancellationToken.None);
        Assert.Equal(["generate.report"], stored!.Scopes);
        Assert.Equal(Now.AddMinutes(1), stored.RevokedAt);
        Assert.Equal("quarantine", stored.RevocationReason);
        Assert.Equal(GrantStatus.Revoked, stored.StatusAt(Now.AddMinutes(2)));
        Assert.Null(await Ledger.GetGrantAsync("grt_unknown", CancellationToken.None));
    }

    [Fact]
    public async Task ListActiveGrantsAsync_LeavesOutExpiredAndRevoked()
    {
        var active = Grant.Issue("agent_omega", ["generate.report"], Now, TimeSpan.FromMinutes(15));
        var expired = Grant.Issue("agent_omega", ["generate.report"], Now.AddHours(-1), TimeSpan.FromMinutes(15));
        var revoked = Grant.Issue("agent_omega", ["share.output"], Now, TimeSpan.FromMinutes(5)).Revoke(Now, "quarantine");
        foreach (var grant in new[] { active, expired, revoked })
        {
            await Ledger.AppendAsync(Entry("agent_omega") with { Grant = grant }, CancellationToken.None);
        }

        var grants = await Ledger.ListActiveGrantsAsync("agent_omega", Now, CancellationToken.None);

        Assert.Equal([active.Id], grants.Select(g => g.Id));
        Assert.Equal(GrantStatus.Revoked, (await Ledger.GetGrantAsync(revoked.Id, CancellationToken.None))!.StatusAt(Now));
    }

    [Fact]
    public async Task ListActiveGrantsAsync_SeveralAgents_ListsOnlyTheAgentsOwnInIssueOrder()
    {
        var later = Grant.Issue("agent_omega", ["share.output"], Now.AddMinutes(1), TimeSpan.FromMinutes(15));
        var earlier = Grant.Issue("agent_omega", ["generate.report"], Now, TimeSpan.FromMinutes(15));
        var other = Grant.Issue("agent_beta", ["generate.report"], Now, TimeSpan.FromMinutes(15));
        await Ledger.AppendAsync(Entry("agent_omega") with { Grant = later }, CancellationToken.None);
        await Ledger.AppendAsync(Entry("agent_omega") with { Grant = earlier }, CancellationToken.None);
        await Ledger.AppendAsync(Entry("agent_beta") with { Grant = other }, CancellationToken.None);

        var grants = await Ledger.ListActiveGrantsAsync("agent_omega", Now.AddMinutes(2), CancellationToken.None);

        Assert.Equal([earlier.Id, later.Id], grants.Select(g => g.Id));
        Assert.Empty(await Ledger.ListActiveGrantsAsync("agent_omega", Now.AddMinutes(16), CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_SameRequestIdInsideWindow_ReturnsTheFirstEntryAndWritesNothing()
    {
        var grant = Grant.Issue("agent_omega", ["generate.report"], Now, TimeSpan.FromMinutes(15));
        var first = await Ledger.AppendAsync(Entry("agent_omega") with { RequestId = "req-1", ReplayWindowStart = Now.AddMinutes(-10) }, CancellationToken.None);

        var second = await Ledger.AppendAsync(Entry("agent_omega") with { RequestId = "req-1", ReplayWindowStart = Now.AddMinutes(-10), Grant = grant }, CancellationToken.None);

        Assert.True(second.Replayed);
        Assert.Equal(first.Entry, second.Entry);
        Assert.Single(await Ledger.ReadChainAsync("agent_omega", CancellationToken.None).ToListAsync());
        Assert.Null(await Ledger.GetGrantAsync(grant.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_SameRequestIdAfterWindow_AppendsAgain()
    {
        await Ledger.AppendAsync(Entry("agent_omega") with { RequestId = "req-1" }, CancellationToken.None);

        var later = await Ledger.AppendAsync(Entry("agent_omega", Now.AddMinutes(11)) with { RequestId = "req-1", ReplayWindowStart = Now.AddMinutes(1) }, CancellationToken.None);

        Assert.False(later.Replayed);
        Assert.Equal(2, later.Entry.Seq);
    }

    [Fact]
    public async Task AppendAsync_SameRequestIdAfterWindowThenAgainInside_ReplaysTheNewerEntry()
    {
        await Ledger.AppendAsync(Entry("agent_omega") with { RequestId = "req-1" }, CancellationToken.None);
        var newer = await Ledger.AppendAsync(Entry("agent_omega", Now.AddMinutes(11)) with { RequestId = "req-1", ReplayWindowStart = Now.AddMinutes(1) }, CancellationToken.None);

        var again = await Ledger.AppendAsync(Entry("agent_omega", Now.AddMinutes(12)) with { RequestId = "req-1", ReplayWindowStart = Now.AddMinutes(2) }, CancellationToken.None);

        Assert.True(again.Replayed);
        Assert.Equal(newer.Entry, again.Entry);
        Assert.Equal(2, await Ledger.ReadChainAsync("agent_omega", CancellationToken.None).CountAsync());
    }

    [Fact]
    public async Task FindByRequestIdAsync_ReturnsTheEntryOnlyInsideTheWindow()
    {
        var first = await Ledger.AppendAsync(Entry("agent_omega") with { RequestId = "req-1" }, CancellationToken.None);
        await Ledger.AppendAsync(Entry("agent_beta") with { RequestId = "req-2" }, CancellationToken.None);

        Assert.Equal(first.Entry, await Ledger.FindByRequestIdAsync("req-1", Now.AddMinutes(-10), CancellationToken.None));
        Assert.Equal(first.Entry, await Ledger.FindByRequestIdAsync("req-1", Now, CancellationToken.None));
        Assert.Null(await Ledger.FindByRequestIdAsync("req-1", Now.AddTicks(10), CancellationToken.None));
        Assert.Null(await Ledger.FindByRequestIdAsync("req-unknown", Now.AddMinutes(-10), CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_SameRequestIdRacingOnSeveralInstances_ExactlyOneWins()
    {
        using var second = OpenAnotherInstance();
        using var third = OpenAnotherInstance();
        ILedger[] instances = [Ledger, second, third];

        for (var round = 0; round < 5; round++)
        {
            var requestId = $"race-{round}";
            var racers = Enumerable.Range(0, 9).Select(i => Task.Run(() =>
                instances[i % instances.Length].AppendAsync(Entry("agent_omega") with { RequestId = requestId, ReplayWindowStart = Now.AddMinutes(-10) }, CancellationToken.None)));

            var results = await Task.WhenAll(racers);

            var winner = Assert.Single(results, r => !r.Replayed);
            Assert.All(results, r => Assert.Equal(winner.Entry, r.Entry));
        }

        var chain = await Ledger.ReadChainAsync("agent_omega", CancellationToken.None).ToListAsync();
        Assert.Equal(["race-0", "race-1", "race-2", "race-3", "race-4"], chain.Select(e => e.RequestId));
    }

    [Fact]
    public async Task CountSinceAsync_CountsOneKindFromTheGivenTime()
    {
        await Ledger.AppendAsync(Entry("agent_omega", Now.AddMinutes(-5)), CancellationToken.None);
        await Ledger.AppendAsync(Entry("agent_omega", Now), CancellationToken.None);
        await Ledger.AppendAsync(Entry("agent_omega", Now) with { Kind = LedgerEntryKind.RequestRejected }, CancellationToken.None);

        Assert.Equal(1, await Ledger.CountSinceAsync("agent_omega", LedgerEntryKind.ElevationDecided, Now.AddMinutes(-1), CancellationToken.None));
        Assert.Equal(2, await Ledger.CountSinceAsync("agent_omega", LedgerEntryKind.ElevationDecided, Now.AddMinutes(-10), CancellationToken.None));
    }

    [Fact]
    public async Task ListChainsAsync_ListsEveryChainOnceInOrdinalOrder()
    {
        foreach (var chain in new[] { "agent_b", "$service", "agent_a", "agent_b", "Agent_c" })
        {
            await Append(chain);
        }

        Assert.Equal(["$service", "Agent_c", "agent_a", "agent_b"], await Ledger.ListChainsAsync(CancellationToken.None));
        Assert.Empty(await Ledger.ReadChainAsync("agent_none", CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task ListAgentsAsync_ManyAgents_ListsAllOrderedById()
    {
        var ids = Enumerable.Range(0, 30).Select(i => $"agent_{(i * 7) % 30:D2}").ToList();
        foreach (var id in ids)
        {
            await Ledger.AppendAsync(Entry(id) with { Agent = Agent.Register(id, new Principal(PrincipalType.User, "auth0|" + id), Now) }, CancellationToken.None);
        }

        var agents = await Ledger.ListAgentsAsync(CancellationToken.None);

        Assert.Equal(ids.Order(StringComparer.Ordinal), agents.Select(a => a.Id));
    }

    [Fact]
    public async Task AppendAsync_ManyConcurrentWritersOnOneAndManyChains_NeverForkAChain()
    {
        using var second = OpenAnotherInstance();
        var writers = Enumerable.Range(0, 400).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Ledger : second).AppendAsync(Entry(i % 4 == 0 ? "hot_agent" : $"agent_{i % 10}"), CancellationToken.None)));

        var results = await Task.WhenAll(writers);

        var verification = await new LedgerVerifier(Ledger).VerifyAsync(null, CancellationToken.None);
        Assert.All(verification, chain => Assert.True(chain.IsIntact, chain.FirstBroken?.Problem));
        Assert.Equal(400, verification.Sum(chain => chain.VerifiedEntries));
        Assert.Equal(100, verification.Single(chain => chain.ChainId == "hot_agent").VerifiedEntries);
        Assert.Equal(400, results.Select(r => r.Entry.Id).Distinct().Count());
    }

    [Fact]
    public async Task AppendAsync_ConcurrentWritersOnSeveralInstancesToOneAgent_KeepEveryEntryInOneContiguousChain()
    {
        using var second = OpenAnotherInstance();
        using var third = OpenAnotherInstance();
        ILedger[] instances = [Ledger, second, third];

        var results = await Task.WhenAll(Enumerable.Range(0, 150).Select(i => Task.Run(() =>
            instances[i % instances.Length].AppendAsync(Entry("hot_agent") with { Payload = $$"""{"writer":{{i}}}""" }, CancellationToken.None))));

        var chain = await Ledger.ReadChainAsync("hot_agent", CancellationToken.None).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 150).Select(i => (long)i), chain.Select(e => e.Seq));
        Assert.Equal(results.Select(r => r.Entry).OrderBy(e => e.Seq), chain);
        Assert.Equal(Enumerable.Range(0, 150).Select(i => $$"""{"writer":{{i}}}""").Order(StringComparer.Ordinal), chain.Select(e => e.Payload).Order(StringComparer.Ordinal));
        var verification = Assert.Single(await new LedgerVerifier(Ledger).VerifyAsync(null, CancellationToken.None));
        Assert.True(verification.IsIntact, verification.FirstBroken?.Problem);
        Assert.Equal(chain[^1].Hash, verification.HeadHash);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentWritersOnSeveralInstancesToManyAgents_KeepEveryChainContiguous()
    {
        using var second = OpenAnotherInstance();
        using var third = OpenAnotherInstance();
        ILedger[] instances = [Ledger, second, third];

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() =>
            instances[i % instances.Length].AppendAsync(Entry($"agent_{i % 20:D2}"), CancellationToken.None))));

        var verification = await new LedgerVerifier(second).VerifyAsync(null, CancellationToken.None);
        Assert.Equal(20, verification.Count);
        Assert.All(verification, chain =>
        {
            Assert.True(chain.IsIntact, chain.FirstBroken?.Problem);
            Assert.Equal(15, chain.VerifiedEntries);
        });
        Assert.Equal(300, results.Select(r => r.Entry.Id).Distinct().Count());
    }

    [Fact]
    public async Task VerifyAsync_LongChain_VerifiesEveryEntryAcrossPages()
    {
        LedgerEntry last = null!;
        for (var i = 0; i < 2_500; i++)
        {
            last = await Append("agent_long");
        }

        var result = Assert.Single(await new LedgerVerifier(Ledger).VerifyAsync("agent_long", CancellationToken.None));

        Assert.True(result.IsIntact, result.FirstBroken?.Problem);
        Assert.Equal(2_500, result.VerifiedEntries);
        Assert.Equal(last.Hash, result.HeadHash);
    }

    [Fact]
    public async Task VerifyAsync_RowEditedByHand_NamesTheEntry()
    {
        for (var i = 0; i < 5; i++)
        {
            await Append("agent_omega");
        }

        await TamperPayloadAsync("agent_omega", 3, """{"decision":"allow"}""");

        var result = Assert.Single(await new LedgerVerifier(Ledger).VerifyAsync("agent_omega", CancellationToken.None));
        Assert.Equal("agent_omega/3", result.FirstBroken!.EntryId);
    }

    [Fact]
    public async Task VerifyAsync_RowDeletedByHand_NamesTheGap()
    {
        for (var i = 0; i < 4; i++)
        {
            await Append("agent_omega");
        }

        await DeleteEntryAsync("agent_omega", 2);

        var result = Assert.Single(await new LedgerVerifier(Ledger).VerifyAsync("agent_omega", CancellationToken.None));
        Assert.Equal("agent_omega/3", result.FirstBroken!.EntryId);
    }

    [Fact]
    public async Task Open_ExistingStore_KeepsItsEntries()
    {
        var entry = await Append("agent_omega");
        Ledger.Dispose();

        using var reopened = OpenAnotherInstance();

        Assert.Equal([entry], await reopened.ReadChainAsync("agent_omega", CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task PingAsync_ReachableStore_Succeeds()
    {
        await Ledger.PingAsync(CancellationToken.None);
    }

    /// <summary>Opens the ledger under test over a fresh store.</summary>
    [Fact]
    public async Task GetAgentActivityAsync_AfterItsOwnAppends_CountsDecisionsAndGrantsExactly()
    {
        var since = Now.AddSeconds(-60);
        await Ledger.AppendAsync(Registration("agent_a"), CancellationToken.None);
        var registered = await Activity(Ledger, since, Now);
        var grant = Grant.Issue("agent_a", ["generate.report"], Now, TimeSpan.FromMinutes(15));
        await Ledger.AppendAsync(Entry("agent_a", Now.AddSeconds(-30)), CancellationToken.None);
        await Ledger.AppendAsync(Entry("agent_a") with { Grant = grant }, CancellationToken.None);

        var afterGrant = await Activity(Ledger, since, Now);
        var windowMoved = await Activity(Ledger, Now.AddSeconds(-10), Now);
        await Ledger.AppendAsync(Entry("agent_a") with { Kind = LedgerEntryKind.GrantRevoked, Grant = grant.Revoke(Now, "operator") }, CancellationToken.None);
        var afterRevoke = await Activity(Ledger, Now.AddSeconds(-10), Now);

        Assert.Equal(("agent_a", 0, 0), (registered.Agent!.Id, registered.RecentEntries, registered.ActiveGrants));
        Assert.Equal((2, 1), (afterGrant.RecentEntries, afterGrant.ActiveGrants));
        Assert.Equal((1, 1), (windowMoved.RecentEntries, windowMoved.ActiveGrants));
        Assert.Equal((1, 0), (afterRevoke.RecentEntries, afterRevoke.ActiveGrants));
    }

    [Fact]
    public async Task GetAgentActivityAsync_GrantExpires_IsNoLongerActive()
    {
        var grant = Grant.Issue("agent_a", ["generate.report"], Now, TimeSpan.FromMinutes(15));
        await Ledger.AppendAsync(Registration("agent_a") with { Grant = grant }, CancellationToken.None);
        var before = await Activity(Ledger, Now, Now);

        var after = await Activity(Ledger, Now, grant.ExpiresAt);

        Assert.Equal(1, before.ActiveGrants);
        Assert.Equal(0, after.ActiveGrants);
    }

    [Fact]
    public async Task GetAgentActivityAsync_AnotherInstanceRevokesAndQuarantines_NextReadSeesIt()
    {
        var grant = Grant.Issue("agent_a", ["generate.report"], Now, TimeSpan.FromMinutes(15));
        await Ledger.AppendAsync(Registration("agent_a") with { Grant = grant }, CancellationToken.None);
        await Ledger.AppendAsync(Entry("agent_a"), CancellationToken.None);
        var before = await Activity(Ledger, Now.AddSeconds(-60), Now);
        using (var other = OpenAnotherInstance())
        {
            var agent = (await other.GetAgentAsync("agent_a", CancellationToken.None))!;
            await other.AppendAsync(
                Entry("agent_a") with { Kind = LedgerEntryKind.GrantRevoked, Grant = grant.Revoke(Now, "quarantine"), Agent = agent.Quarantine(["generate.report"], Now) },
                CancellationToken.None);
            await other.AppendAsync(Entry("agent_a"), CancellationToken.None);
        }

        var after = await Activity(Ledger, Now.AddSeconds(-60), Now);

        Assert.Equal((AgentStatus.Active, 1, 1), (before.Agent!.Status, before.RecentEntries, before.ActiveGrants));
        Assert.Equal((AgentStatus.Quarantined, 2, 0), (after.Agent!.Status, after.RecentEntries, after.ActiveGrants));
        Assert.Equal(["generate.report"], after.Agent.RevokedScopes);
    }

    [Fact]
    public async Task GetAgentActivityAsync_AnotherInstanceWritesBetweenItsOwnAppends_NextReadSeesBoth()
    {
        var grant = Grant.Issue("agent_a", ["generate.report"], Now, TimeSpan.FromMinutes(15));
        await Ledger.AppendAsync(Registration("agent_a") with { Grant = grant }, CancellationToken.None);
        await Activity(Ledger, Now.AddSeconds(-60), Now);
        using (var other = OpenAnotherInstance())
        {
            await other.AppendAsync(Entry("agent_a") with { Kind = LedgerEntryKind.GrantRevoked, Grant = grant.Revoke(Now, "operator") }, CancellationToken.None);
        }

        await Ledger.AppendAsync(Entry("agent_a"), CancellationToken.None);
        var after = await Activity(Ledger, Now.AddSeconds(-60), Now);

        Assert.Equal((1, 0), (after.RecentEntries, after.ActiveGrants));
    }

    protected abstract TLedger Open();

    /// <summary>Opens another instance over the same store, as a second process or host instance would.</summary>
    protected abstract TLedger OpenAnotherInstance();

    /// <summary>Replaces an entry's payload behind the ledger's back, as an attacker with storage access would.</summary>
    protected abstract Task TamperPayloadAsync(string chainId, long seq, string payload);

    /// <summary>Deletes an entry behind the ledger's back.</summary>
    protected abstract Task DeleteEntryAsync(string chainId, long seq);

    protected async Task<LedgerEntry> Append(string chain) => (await Ledger.AppendAsync(Entry(chain), CancellationToken.None)).Entry;

    protected static LedgerAppend Entry(string chain, DateTimeOffset? at = null) => new()
    {
        ChainId = chain,
        Kind = LedgerEntryKind.ElevationDecided,
        OccurredAt = at ?? Now,
        RecordedAt = at ?? Now,
        Payload = """{"decision":"deny"}""",
    };

    private static Task<AgentActivity> Activity(ILedger ledger, DateTimeOffset since, DateTimeOffset now) =>
        ledger.GetAgentActivityAsync("agent_a", LedgerEntryKind.ElevationDecided, since, now, CancellationToken.None);

    private static LedgerAppend Registration(string agentId) => Entry(agentId) with
    {
        Kind = LedgerEntryKind.AgentRegistered,
        Agent = Agent.Register(agentId, new Principal(PrincipalType.User, "auth0|" + agentId), Now),
    };
}
