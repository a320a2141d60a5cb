namespace ReflexiveIdentity.Ledger.Payloads;

/// <summary>
/// What an <c>elevation_decided</c> entry records: the answer given (enough to replay it byte for byte
/// in meaning) and what was asked. The raw body is never stored, only its SHA-256.
/// </summary>
public sealed record ElevationDecidedPayload
{
    /// <summary><c>allow</c>, <c>deny</c> or <c>block</c>.</summary>
    public required string Decision { get; init; }

    /// <summary>The grant issued on allow.</summary>
    public string? GrantId { get; init; }

    /// <summary>Elevated scopes granted.</summary>
    public required IReadOnlyList<string> GrantedScopes { get; init; }

    /// <summary>Requested elevated scopes not granted, with why.</summary>
    public required IReadOnlyList<ScopeDenialRecord> DeniedScopes { get; init; }

    /// <summary>When the grant expires, on allow.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The effective trust score used.</summary>
    public required double TrustScore { get; init; }

    /// <summary>The trust score Auth0 reported, if any.</summary>
    public double? ReportedTrustScore { get; init; }

    /// <summary>Why.</summary>
    public required IReadOnlyList<ReasonRecord> Reasons { get; init; }

    /// <summary>Who judged the rationale and how.</summary>
    public required JudgeRecord Judge { get; init; }

    /// <summary>The scopes asked for.</summary>
    public required IReadOnlyList<string> RequestedScopes { get; init; }

    /// <summary>The token's audience.</summary>
    public string? Audience { get; init; }

    /// <summary>The principal the request named.</summary>
    public required PrincipalRecord Principal { get; init; }

    /// <summary>The rationale as given (null when none was).</summary>
    public RationaleRecord? Rationale { get; init; }

    /// <summary>The context the Action passed.</summary>
    public ContextRecord? Context { get; init; }

    /// <summary>SHA-256 of the raw request body, lowercase hex; a replayed request id must carry the same body.</summary>
    public required string BodySha256 { get; init; }
}

/// <summary>A recorded reason.</summary>
public sealed record ReasonRecord(string Code, string Detail);

/// <summary>A recorded scope denial.</summary>
public sealed record ScopeDenialRecord(string Scope, string Code, string Detail);

/// <summary>A recorded judge verdict: <c>kind</c> is <c>policy</c> for the deterministic checks alone.</summary>
public sealed record JudgeRecord(string Kind, string Verdict);

/// <summary>A recorded principal.</summary>
public sealed record PrincipalRecord(string Type, string Id);

/// <summary>A recorded rationale.</summary>
public sealed record RationaleRecord(string Intent, string Reason, double Confidence);

/// <summary>A recorded request context.</summary>
public sealed record ContextRecord(string? Trigger, string? ClientId, string? Ip, string? TransactionId);
