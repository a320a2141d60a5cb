namespace ReflexiveIdentity.Ledger.Payloads;

/// <summary>What a <c>request_rejected</c> entry records: the reason and a hash of the body, never the body.</summary>
public sealed record RequestRejectedPayload
{
    /// <summary>The route, e.g. <c>POST /api/v1/elevations</c>.</summary>
    public required string Route { get; init; }

    /// <summary>The HTTP status answered.</summary>
    public required int Status { get; init; }

    /// <summary>The problem code answered.</summary>
    public required string Code { get; init; }

    /// <summary>The problem detail answered.</summary>
    public required string Detail { get; init; }

    /// <summary>SHA-256 of the body bytes read (at most the size limit plus one), lowercase hex.</summary>
    public required string BodySha256 { get; init; }

    /// <summary>How many body bytes were read.</summary>
    public required long BodyBytes { get; init; }

    /// <summary>The request id header, if any.</summary>
    public string? RequestId { get; init; }

    /// <summary>The caller's address.</summary>
    public string? RemoteIp { get; init; }
}
