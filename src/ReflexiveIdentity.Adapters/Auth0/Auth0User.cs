using System.Text.Json.Nodes;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>The fields of a Management API user that Reflexive Identity reads.</summary>
public sealed record Auth0User
{
    /// <summary><c>user_id</c>, e.g. <c>auth0|agent_omega</c>.</summary>
    public required string UserId { get; init; }

    /// <summary><c>email</c>, when the user has one.</summary>
    public string? Email { get; init; }

    /// <summary><c>name</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>app_metadata</c>: where an agent's trust score, status, revoked scopes and breakdown live.</summary>
    public JsonObject? AppMetadata { get; init; }
}
