namespace ReflexiveIdentity.Ledger.Payloads;

/// <summary>What an <c>agent_registered</c> entry records.</summary>
public sealed record AgentRegisteredPayload(PrincipalRecord Principal, double TrustScore);
