namespace ReflexiveIdentity.Integrity;

/// <summary>
/// The immune response records its own work (assessments, quarantines, syncs, restores) in a chain of
/// its own per agent, <c>$integrity:{agent_id}</c>, so an agent's chain holds only evidence and its head
/// tells the sweep exactly whether there is anything new to assess.
/// </summary>
public static class IntegrityChains
{
    private const string Prefix = "$integrity:";

    /// <summary>The integrity chain of <paramref name="agentId"/>.</summary>
    public static string For(string agentId) => Prefix + agentId;

    /// <summary>Whether a chain holds an agent's evidence (not a service chain).</summary>
    public static bool IsAgentChain(string chainId) => !chainId.StartsWith('$');
}
