using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;

namespace ReflexiveIdentity.Ledger;

/// <summary>
/// An entry to append, with the state changes that must land with it: the agent record and the grant
/// are projections of the ledger, written in the same unit as the entry that explains them.
/// </summary>
public sealed record LedgerAppend
{
    /// <summary>The chain to append to.</summary>
    public required string ChainId { get; init; }

    /// <summary>What is recorded.</summary>
    public required LedgerEntryKind Kind { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>When it is recorded (the service's clock).</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>The data, canonical JSON.</summary>
    public required string Payload { get; init; }

    /// <summary>
    /// The idempotency key. When set, and an entry with the same key was recorded at or after
    /// <see cref="ReplayWindowStart"/>, nothing is written and that entry is returned instead.
    /// </summary>
    public string? RequestId { get; init; }

    /// <summary>The start of the replay window for <see cref="RequestId"/>.</summary>
    public DateTimeOffset? ReplayWindowStart { get; init; }

    /// <summary>The agent record to insert or replace along with the entry.</summary>
    public Agent? Agent { get; init; }

    /// <summary>The grant to insert or replace along with the entry.</summary>
    public Grant? Grant { get; init; }
}

/// <summary>The entry that was appended, or the earlier one a replay returned.</summary>
/// <param name="Entry">The entry.</param>
/// <param name="Replayed">True when nothing was written because the request id was seen within its window.</param>
public sealed record LedgerAppendResult(LedgerEntry Entry, bool Replayed);
