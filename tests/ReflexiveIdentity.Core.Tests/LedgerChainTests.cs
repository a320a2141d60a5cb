using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Core.Tests;

public sealed class LedgerChainTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_FirstEntry_StartsAtSeqOneFromGenesis()
    {
        var entry = LedgerChain.Next(null, Append("{}"));

        Assert.Equal(1, entry.Seq);
        Assert.Equal(LedgerChain.GenesisHash, entry.PrevHash);
        Assert.Equal(LedgerChain.ComputeHash(entry), entry.Hash);
        Assert.Equal(64, entry.Hash.Length);
    }

    [Fact]
    public void ComputeHash_DependsOnEveryField()
    {
        var entry = LedgerChain.Next(null, Append("""{"a":1}""") with { RequestId = "r1" });
        var variants = new[]
        {
            entry with { ChainId = "other" },
            entry with { Seq = 2 },
            entry with { Kind = "request_rejected" },
            entry with { OccurredAt = entry.OccurredAt.AddTicks(10) },
            entry with { RecordedAt = entry.RecordedAt.AddTicks(10) },
            entry with { RequestId = null },
            entry with { RequestId = "r2" },
            entry with { Payload = """{"a":2}""" },
            entry with { PrevHash = new string('1', 64) },
        };

        Assert.All(variants, variant => Assert.NotEqual(entry.Hash, LedgerChain.ComputeHash(variant)));
    }

    [Fact]
    public async Task VerifyAsync_IntactChain_ReportsEntriesAndHead()
    {
        var chain = Chain(5);

        var result = await LedgerChain.VerifyAsync("agent_omega", chain.ToAsyncEnumerable(), CancellationToken.None);

        Assert.True(result.IsIntact);
        Assert.Equal(5, result.VerifiedEntries);
        Assert.Equal(chain[^1].Hash, result.HeadHash);
    }

    [Fact]
    public async Task VerifyAsync_EditedPayload_NamesThatEntry()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Payload = """{"decision":"allow"}""" };

        var result = await LedgerChain.VerifyAsync("agent_omega", chain.ToAsyncEnumerable(), CancellationToken.None);

        Assert.False(result.IsIntact);
        Assert.Equal("agent_omega/3", result.FirstBroken!.EntryId);
        Assert.Contains("was edited", result.FirstBroken.Problem, StringComparison.Ordinal);
        Assert.Equal(2, result.VerifiedEntries);
    }

    [Fact]
    public async Task VerifyAsync_RehashedEntry_BreaksTheNextLink()
    {
        var chain = Chain(4);
        var forged = chain[1] with { Payload = """{"forged":true}""" };
        chain[1] = forged with { Hash = LedgerChain.ComputeHash(forged) };

        var result = await LedgerChain.VerifyAsync("agent_omega", chain.ToAsyncEnumerable(), CancellationToken.None);

        Assert.Equal("agent_omega/3", result.FirstBroken!.EntryId);
        Assert.Contains("prev_hash", result.FirstBroken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_MissingEntry_NamesTheGap()
    {
        var chain = Chain(4);
        chain.RemoveAt(1);

        var result = await LedgerChain.VerifyAsync("agent_omega", chain.ToAsyncEnumerable(), CancellationToken.None);

        Assert.Equal(3, result.FirstBroken!.Seq);
        Assert.Contains("expected seq 2", result.FirstBroken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatTime_RoundTripsThroughParse()
    {
        var time = Start.AddTicks(1234567);

        Assert.Equal(time, LedgerChain.ParseTime(LedgerChain.FormatTime(time)));
        Assert.Equal("2026-12-04T16:00:00.1234567Z", LedgerChain.FormatTime(time));
    }

    private static List<LedgerEntry> Chain(int length)
    {
        var entries = new List<LedgerEntry>();
        for (var i = 0; i < length; i++)
        {
            entries.Add(LedgerChain.Next(entries.LastOrDefault(), Append($$"""{"i":{{i}}}""")));
        }

        return entries;
    }

    private static LedgerAppend Append(string payload) => new()
    {
        ChainId = "agent_omega",
        Kind = LedgerEntryKind.ElevationDecided,
        OccurredAt = Start,
        RecordedAt = Start,
        Payload = payload,
    };
}
