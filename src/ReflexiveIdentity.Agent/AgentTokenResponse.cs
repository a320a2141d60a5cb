namespace ReflexiveIdentity.Omega;

/// <summary>What the identity provider answered to a token request.</summary>
/// <param name="AccessToken">The token, when one was issued.</param>
/// <param name="Error">The OAuth error code (e.g. <c>access_denied</c>), when refused.</param>
/// <param name="ErrorDescription">The provider's description, e.g. "Integrity check failed.".</param>
public sealed record AgentTokenResponse(string? AccessToken, string? Error, string? ErrorDescription)
{
    /// <summary>True when a token was issued.</summary>
    public bool Issued => AccessToken is not null;
}

/// <summary>How agent_omega gets its tokens: the identity provider's token endpoint, with a rationale when it asks for more.</summary>
public interface IAgentTokenClient
{
    /// <summary>Requests a token for <paramref name="scopes"/>, passing <paramref name="rationaleJson"/> (the rationale as JSON) when given.</summary>
    Task<AgentTokenResponse> RequestAsync(IReadOnlyList<string> scopes, string? rationaleJson, CancellationToken cancellationToken);
}
