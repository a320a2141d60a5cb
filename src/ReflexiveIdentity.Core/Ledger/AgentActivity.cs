using ReflexiveIdentity.Agents;

namespace ReflexiveIdentity.Ledger;

/// <summary>An agent and the counts an elevation decision needs, read together.</summary>
/// <param name="Agent">The agent, or null when it has never been seen.</param>
/// <param name="RecentEntries">Its entries of the asked kind within the window.</param>
/// <param name="ActiveGrants">Its grants neither revoked nor expired.</param>
public sealed record AgentActivity(Agent? Agent, int RecentEntries, int ActiveGrants);
