namespace ReflexiveIdentity.Ledger.Payloads;

/// <summary>What a <c>signal_recorded</c> entry holds: who says what about the agent, and how strongly (severity in [0, 1]).</summary>
public sealed record SignalRecordedPayload(string Source, string Kind, double Severity, string? Detail);
