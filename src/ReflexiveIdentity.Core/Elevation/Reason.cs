namespace ReflexiveIdentity.Elevation;

/// <summary>One machine-readable reason with a human-readable detail.</summary>
/// <param name="Code">The stable code.</param>
/// <param name="Detail">What exactly happened, for the operator reading the ledger.</param>
public sealed record Reason(ReasonCode Code, string Detail);

/// <summary>Why one requested scope was not granted.</summary>
/// <param name="Scope">The scope.</param>
/// <param name="Code">The stable code.</param>
/// <param name="Detail">What exactly failed.</param>
public sealed record ScopeDenial(string Scope, ReasonCode Code, string Detail);
