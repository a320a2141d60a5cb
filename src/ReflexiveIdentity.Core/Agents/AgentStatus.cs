namespace ReflexiveIdentity.Agents;

/// <summary>Whether an agent may be elevated at all.</summary>
public enum AgentStatus
{
    /// <summary>The agent may ask for elevations.</summary>
    Active,

    /// <summary>The immune response has cut the agent off until an operator restores it.</summary>
    Quarantined,
}
