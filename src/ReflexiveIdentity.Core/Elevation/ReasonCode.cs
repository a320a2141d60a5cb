namespace ReflexiveIdentity.Elevation;

/// <summary>
/// The stable, machine-readable reasons behind decisions and rejections. Their wire form
/// (<see cref="ReasonCodes.ToWire(ReasonCode)"/>) is part of the HTTP contract: never rename one.
/// </summary>
public enum ReasonCode
{
    /// <summary>Every deterministic check passed for the granted scopes.</summary>
    PolicySatisfied,

    /// <summary>The effective trust score is below the global threshold or a scope's minimum.</summary>
    TrustBelowThreshold,

    /// <summary>The agent is quarantined.</summary>
    AgentQuarantined,

    /// <summary>The rationale's confidence is below the scope's minimum.</summary>
    ConfidenceBelowThreshold,

    /// <summary>The rationale's intent does not mention what the scope is for.</summary>
    IntentScopeMismatch,

    /// <summary>The rationale's reason is too short or a stock phrase.</summary>
    ReasonTooVague,

    /// <summary>No rationale, or one without intent or reason.</summary>
    MissingRationale,

    /// <summary>A requested scope is not in the policy.</summary>
    UnknownScope,

    /// <summary>The agent asked for elevations too often.</summary>
    RateLimited,

    /// <summary>The agent already holds the maximum number of active grants.</summary>
    MaxActiveGrants,

    /// <summary>The judge found the rationale inconsistent with the request.</summary>
    JudgeInconsistent,

    /// <summary>The judge did not answer in time.</summary>
    JudgeUnavailable,

    /// <summary>The scope was revoked by the immune response.</summary>
    ScopeRevoked,

    /// <summary>Only baseline scopes were requested: there is nothing to elevate.</summary>
    NoElevatedScopeRequested,
}

/// <summary>Wire names of <see cref="ReasonCode"/>.</summary>
public static class ReasonCodes
{
    private static readonly Dictionary<ReasonCode, string> Wire = Enum.GetValues<ReasonCode>()
        .ToDictionary(code => code, code => SnakeCase.From(code.ToString()));

    private static readonly Dictionary<string, ReasonCode> FromWireName = Wire.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The snake_case wire name, e.g. <c>trust_below_threshold</c>.</summary>
    public static string ToWire(this ReasonCode code) => Wire[code];

    /// <summary>Parses a wire name back; false for a name this version does not know.</summary>
    public static bool TryParse(string wire, out ReasonCode code) => FromWireName.TryGetValue(wire, out code);
}
