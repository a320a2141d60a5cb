using System.Globalization;

namespace ReflexiveIdentity.Ledger;

/// <summary>
/// One append-only, hash-chained record. <see cref="Hash"/> is SHA-256 over the canonical encoding of
/// every other field and <see cref="PrevHash"/> (see <see cref="LedgerChain"/>).
/// </summary>
public sealed record LedgerEntry
{
    /// <summary>The chain: an agent id, or a reserved <c>$</c>-prefixed id for the service's own records.</summary>
    public required string ChainId { get; init; }

    /// <summary>1-based position in the chain.</summary>
    public required long Seq { get; init; }

    /// <summary>The stored kind name (a <see cref="LedgerEntryKind"/> wire name).</summary>
    public required string Kind { get; init; }

    /// <summary>When the recorded thing happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>When the service appended the entry.</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>The <c>X-Reflexive-Request-Id</c> of a decided request, for idempotent replays.</summary>
    public string? RequestId { get; init; }

    /// <summary>The entry's data as canonical JSON, exactly as hashed.</summary>
    public required string Payload { get; init; }

    /// <summary>The previous entry's hash (<see cref="LedgerChain.GenesisHash"/> for seq 1).</summary>
    public required string PrevHash { get; init; }

    /// <summary>This entry's hash, lowercase hex.</summary>
    public required string Hash { get; init; }

    /// <summary>The entry's id as reason evidence and API responses name it: <c>chain/seq</c>.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{ChainId}/{Seq}");
}
