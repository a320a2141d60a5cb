namespace ReflexiveIdentity.Integrity;

/// <summary>What the immune response did for one agent.</summary>
public sealed record AgentResponse
{
    /// <summary>The agent.</summary>
    public required string AgentId { get; init; }

    /// <summary>True when there was new evidence and the score was recomputed.</summary>
    public bool Assessed { get; init; }

    /// <summary>True when the score was recomputed with nothing new in the chain: decay alone moved it by the recovery step.</summary>
    public bool ByDecay { get; init; }

    /// <summary>The score before.</summary>
    public double PreviousScore { get; init; }

    /// <summary>The score after.</summary>
    public double Score { get; init; }

    /// <summary>True when this response quarantined the agent.</summary>
    public bool Quarantined { get; init; }

    /// <summary>True when the identity provider was brought up to date.</summary>
    public bool Synced { get; init; }

    /// <summary>How many identity-provider (Management API) operations were made.</summary>
    public int DirectoryCalls { get; init; }

    /// <summary>Why nothing was done, when nothing was.</summary>
    public string? Skipped { get; init; }
}

/// <summary>What one integrity sweep did.</summary>
public sealed record SweepReport
{
    /// <summary>When the sweep ran.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Chains verified.</summary>
    public required int ChainsVerified { get; init; }

    /// <summary>Chains that failed verification, with the first broken entry.</summary>
    public required IReadOnlyList<string> BrokenChains { get; init; }

    /// <summary>Agents known to the ledger.</summary>
    public required int Agents { get; init; }

    /// <summary>Each agent the sweep acted on (assessed or synced).</summary>
    public required IReadOnlyList<AgentResponse> Responses { get; init; }

    /// <summary>False when no identity provider is configured: scores were recorded but nothing was written to Auth0.</summary>
    public required bool DirectoryConnected { get; init; }

    /// <summary>Identity-provider operations made in all.</summary>
    public int DirectoryCalls => Responses.Sum(r => r.DirectoryCalls);

    /// <summary>Agents whose score was recomputed.</summary>
    public int AssessedAgents => Responses.Count(r => r.Assessed);

    /// <summary>Agents whose score was recomputed because decay alone moved it (a subset of <see cref="AssessedAgents"/>).</summary>
    public int DecayedAgents => Responses.Count(r => r.ByDecay);

    /// <summary>Agents this sweep quarantined.</summary>
    public int QuarantinedAgents => Responses.Count(r => r.Quarantined);
}
