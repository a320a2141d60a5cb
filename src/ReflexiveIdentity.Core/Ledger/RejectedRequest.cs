namespace ReflexiveIdentity.Ledger;

/// <summary>A request refused before any decision, as the rejection log records it.</summary>
public sealed record RejectedRequest
{
    /// <summary>
    /// The agent the request was about, only when the request was authenticated (signed) and named a
    /// valid agent id; otherwise the rejection goes to the service's own chain, so that unsigned traffic
    /// cannot write into an agent's history.
    /// </summary>
    public string? AgentId { get; init; }

    /// <summary>Method and route.</summary>
    public required string Route { get; init; }

    /// <summary>The HTTP status answered.</summary>
    public required int Status { get; init; }

    /// <summary>The problem code answered.</summary>
    public required string Code { get; init; }

    /// <summary>The problem detail answered.</summary>
    public required string Detail { get; init; }

    /// <summary>SHA-256 of the body bytes read, lowercase hex.</summary>
    public required string BodySha256 { get; init; }

    /// <summary>How many body bytes were read.</summary>
    public required long BodyBytes { get; init; }

    /// <summary>The request id header, if any.</summary>
    public string? RequestId { get; init; }

    /// <summary>The caller's address.</summary>
    public string? RemoteIp { get; init; }
}
