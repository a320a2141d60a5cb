namespace ReflexiveIdentity.Omega;

/// <summary>Stands in for the token client when agent_omega has no Auth0 settings: every request is refused, naming what to set.</summary>
public sealed class UnconfiguredAgentTokenClient(string missingSettings) : IAgentTokenClient
{
    /// <inheritdoc />
    public Task<AgentTokenResponse> RequestAsync(IReadOnlyList<string> scopes, string? rationaleJson, CancellationToken cancellationToken) =>
        Task.FromResult(new AgentTokenResponse(null, "agent_not_configured", $"agent_omega cannot get tokens: set {missingSettings}."));
}
