namespace ReflexiveIdentity.Elevation;

/// <summary>Why an agent says it needs more privilege.</summary>
/// <param name="Intent">What the agent is about to do.</param>
/// <param name="Reason">Why that needs the scope, specifically.</param>
/// <param name="Confidence">The agent's own confidence in the rationale, in [0, 1].</param>
public sealed record Rationale(string Intent, string Reason, double Confidence);
