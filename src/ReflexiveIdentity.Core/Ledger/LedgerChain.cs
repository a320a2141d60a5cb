using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReflexiveIdentity.Ledger;

/// <summary>
/// The chaining rules: the canonical encoding that is hashed, the genesis hash, and verification that
/// names the first broken entry.
/// </summary>
public static class LedgerChain
{
    /// <summary>The <c>prev_hash</c> of every chain's first entry.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private const string EncodingVersion = "reflexive-ledger-v1";

    /// <summary>The timestamp format stored and hashed: UTC, 7 fractional digits.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses a timestamp written by <see cref="FormatTime"/>.</summary>
    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Builds the next entry of a chain whose last entry is <paramref name="previous"/> (null for an empty chain).</summary>
    public static LedgerEntry Next(LedgerEntry? previous, LedgerAppend append) =>
        NextAfter(previous is null ? null : new ChainHead(previous.Seq, previous.Hash), append);

    /// <summary>Builds the next entry of a chain whose head is <paramref name="head"/> (null for an empty chain).</summary>
    public static LedgerEntry NextAfter(ChainHead? head, LedgerAppend append)
    {
        var seq = (head?.Seq ?? 0) + 1;
        var prevHash = head?.Hash ?? GenesisHash;
        var entry = new LedgerEntry
        {
            ChainId = append.ChainId,
            Seq = seq,
            Kind = append.Kind.ToWire(),
            OccurredAt = Truncate(append.OccurredAt),
            RecordedAt = Truncate(append.RecordedAt),
            RequestId = append.RequestId,
            Payload = append.Payload,
            PrevHash = prevHash,
            Hash = string.Empty,
        };
        return entry with { Hash = ComputeHash(entry) };
    }

    /// <summary>SHA-256 over the canonical, length-prefixed encoding of the entry and its <c>prev_hash</c>.</summary>
    public static string ComputeHash(LedgerEntry entry)
    {
        var canonical = new StringBuilder(256 + entry.Payload.Length)
            .Append(EncodingVersion).Append('\n');
        Field(canonical, "chain_id", entry.ChainId);
        Field(canonical, "seq", entry.Seq.ToString(CultureInfo.InvariantCulture));
        Field(canonical, "kind", entry.Kind);
        Field(canonical, "occurred_at", FormatTime(entry.OccurredAt));
        Field(canonical, "recorded_at", FormatTime(entry.RecordedAt));
        Field(canonical, "request_id", entry.RequestId);
        Field(canonical, "payload", entry.Payload);
        Field(canonical, "prev_hash", entry.PrevHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    /// <summary>Checks a chain's entries in order; the result names the first entry that breaks it.</summary>
    public static async Task<ChainVerification> VerifyAsync(string chainId, IAsyncEnumerable<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var expectedSeq = 1L;
        var prevHash = GenesisHash;
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            var problem =
                entry.Seq != expectedSeq ? string.Create(CultureInfo.InvariantCulture, $"expected seq {expectedSeq}, found {entry.Seq} (an entry is missing or was inserted)")
                : !string.Equals(entry.PrevHash, prevHash, StringComparison.Ordinal) ? "prev_hash does not match the previous entry's hash (an earlier entry was replaced)"
                : !string.Equals(entry.Hash, ComputeHash(entry), StringComparison.Ordinal) ? "hash does not match the entry's contents (the entry was edited)"
                : null;
            if (problem is not null)
            {
                return ChainVerification.Broken(chainId, expectedSeq - 1, new BrokenEntry($"{chainId}/{entry.Seq}", entry.Seq, problem));
            }

            prevHash = entry.Hash;
            expectedSeq++;
        }

        return ChainVerification.Intact(chainId, expectedSeq - 1, prevHash);
    }

    private static DateTimeOffset Truncate(DateTimeOffset time) => ParseTime(FormatTime(time));

    private static void Field(StringBuilder canonical, string name, string? value)
    {
        canonical.Append(name).Append(':');
        if (value is null)
        {
            canonical.Append("-1:");
        }
        else
        {
            canonical.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
        }

        canonical.Append('\n');
    }
}
