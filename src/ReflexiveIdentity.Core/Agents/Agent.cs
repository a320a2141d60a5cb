using System.Text.RegularExpressions;

namespace ReflexiveIdentity.Agents;

/// <summary>An agent as the service knows it: its principal, its current trust score and its status.</summary>
public sealed partial record Agent
{
    /// <summary>The score an agent starts with the first time it is seen.</summary>
    public const double InitialTrustScore = 100;

    /// <summary>The agent's id (<c>app_metadata.agent_id</c> in Auth0).</summary>
    public required string Id { get; init; }

    /// <summary>The Auth0 identity the agent was registered with.</summary>
    public required Principal Principal { get; init; }

    /// <summary>The service's authoritative trust score, 0..100.</summary>
    public required double TrustScore { get; init; }

    /// <summary>Active or quarantined.</summary>
    public required AgentStatus Status { get; init; }

    /// <summary>Scopes the immune response took away; they are denied until a restore.</summary>
    public IReadOnlyList<string> RevokedScopes { get; init; } = [];

    /// <summary>When the agent was first seen.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>When the record last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Registers an agent seen for the first time, at full trust.</summary>
    public static Agent Register(string id, Principal principal, DateTimeOffset now) => new()
    {
        Id = id,
        Principal = principal,
        TrustScore = InitialTrustScore,
        Status = AgentStatus.Active,
        RegisteredAt = now,
        UpdatedAt = now,
    };

    /// <summary>
    /// Whether <paramref name="id"/> is a usable agent id: 1 to 128 characters of letters, digits and
    /// <c>. _ - : @ |</c>, starting with a letter or digit. Ids starting with <c>$</c> are reserved for
    /// the service's own ledger chains.
    /// </summary>
    public static bool IsValidId(string? id) => id is not null && AgentIdPattern().IsMatch(id);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:@|\-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AgentIdPattern();
}
