using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Elevation;

/// <summary>How the service answered one elevation request.</summary>
public sealed record ElevationOutcome
{
    /// <summary>The recorded decision (the answer to send).</summary>
    public required ElevationDecidedPayload Record { get; init; }

    /// <summary>The ledger entry that holds it, <c>chain/seq</c>.</summary>
    public required string EntryId { get; init; }

    /// <summary>True when the request id was seen before and this is the first answer again.</summary>
    public required bool Replayed { get; init; }

    /// <summary>True when the request id was seen before with a different body; nothing was decided.</summary>
    public bool RequestIdReused { get; init; }
}
