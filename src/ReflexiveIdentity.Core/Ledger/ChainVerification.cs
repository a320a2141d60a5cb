namespace ReflexiveIdentity.Ledger;

/// <summary>The first entry that breaks a chain and what is wrong with it.</summary>
/// <param name="EntryId">The entry's id, <c>chain/seq</c>.</param>
/// <param name="Seq">Its seq.</param>
/// <param name="Problem">What does not hold.</param>
public sealed record BrokenEntry(string EntryId, long Seq, string Problem);

/// <summary>The result of verifying one chain.</summary>
public sealed record ChainVerification
{
    private ChainVerification()
    {
    }

    /// <summary>The chain verified.</summary>
    public required string ChainId { get; init; }

    /// <summary>How many entries verified before the end or the first break.</summary>
    public required long VerifiedEntries { get; init; }

    /// <summary>The hash of the last good entry (the chain head when intact).</summary>
    public string? HeadHash { get; init; }

    /// <summary>The first broken entry, or null when the chain is intact.</summary>
    public BrokenEntry? FirstBroken { get; init; }

    /// <summary>True when every entry verified.</summary>
    public bool IsIntact => FirstBroken is null;

    /// <summary>An intact chain of <paramref name="entries"/> entries.</summary>
    public static ChainVerification Intact(string chainId, long entries, string headHash) =>
        new() { ChainId = chainId, VerifiedEntries = entries, HeadHash = headHash };

    /// <summary>A chain broken at <paramref name="firstBroken"/>.</summary>
    public static ChainVerification Broken(string chainId, long verifiedEntries, BrokenEntry firstBroken) =>
        new() { ChainId = chainId, VerifiedEntries = verifiedEntries, FirstBroken = firstBroken };
}
