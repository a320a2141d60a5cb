namespace ReflexiveIdentity.Agents;

/// <summary>Who an agent is in Auth0: a user (refresh-token agents) or an M2M client.</summary>
public enum PrincipalType
{
    /// <summary>An Auth0 user whose <c>app_metadata</c> carries the agent's state.</summary>
    User,

    /// <summary>An Auth0 M2M client whose <c>client_metadata</c> carries the agent's state.</summary>
    Client,
}

/// <summary>The Auth0 identity behind an agent.</summary>
/// <param name="Type">User or client.</param>
/// <param name="Id">The Auth0 user id (<c>auth0|...</c>) or client id.</param>
public sealed record Principal(PrincipalType Type, string Id);
