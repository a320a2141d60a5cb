namespace ReflexiveIdentity.Ledger;

/// <summary>What a ledger entry records. The wire names (<see cref="LedgerEntryKinds.ToWire"/>) are stored and hashed: never rename one.</summary>
public enum LedgerEntryKind
{
    /// <summary>An agent was seen for the first time and registered.</summary>
    AgentRegistered,

    /// <summary>An elevation request was decided (allow, deny or block).</summary>
    ElevationDecided,

    /// <summary>A request was rejected before a decision (signature, size, content type, malformed or invalid body).</summary>
    RequestRejected,

    /// <summary>A grant was revoked before its expiry.</summary>
    GrantRevoked,

    /// <summary>Behaviour telemetry an agent reported (<c>POST .../events</c>) or agent_omega recorded itself.</summary>
    EventRecorded,

    /// <summary>An outside signal about an agent (<c>POST .../signals</c>): policy engine, peer consensus, monitoring.</summary>
    SignalRecorded,

    /// <summary>The integrity sweep (or the immediate response) recomputed the agent's trust score.</summary>
    TrustRecomputed,

    /// <summary>The immune response quarantined the agent: critical scopes and active grants revoked.</summary>
    AgentQuarantined,

    /// <summary>An operator lifted a quarantine.</summary>
    AgentRestored,

    /// <summary>The agent's record in the identity provider (Auth0) was brought up to date.</summary>
    DirectorySynced,
}

/// <summary>Wire names of <see cref="LedgerEntryKind"/>.</summary>
public static class LedgerEntryKinds
{
    private static readonly Dictionary<LedgerEntryKind, string> Wire = Enum.GetValues<LedgerEntryKind>()
        .ToDictionary(kind => kind, kind => SnakeCase.From(kind.ToString()));

    private static readonly Dictionary<string, LedgerEntryKind> FromWireName = Wire.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The snake_case wire name, e.g. <c>elevation_decided</c>.</summary>
    public static string ToWire(this LedgerEntryKind kind) => Wire[kind];

    /// <summary>Parses a stored name; false for a name this version does not know.</summary>
    public static bool TryParse(string wire, out LedgerEntryKind kind) => FromWireName.TryGetValue(wire, out kind);
}
