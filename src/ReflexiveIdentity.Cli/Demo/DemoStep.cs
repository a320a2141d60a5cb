namespace ReflexiveIdentity.Cli.Demo;

/// <summary>One step of the demo's timeline: what happened, the decision and reason codes where one was made, and the trust score after it.</summary>
internal sealed record DemoStep
{
    public required string Step { get; init; }

    public string AgentId { get; init; } = "agent_omega";

    public string? Decision { get; init; }

    public IReadOnlyList<string> ReasonCodes { get; init; } = [];

    public double? TrustScore { get; init; }

    public string? Status { get; init; }

    public required string Detail { get; init; }

    /// <summary>True when the step went as the demo expects; the demo exits 0 only when every step did.</summary>
    public required bool Ok { get; init; }
}
