using System.Text.Json.Nodes;

namespace ReflexiveIdentity.Auth0Emulation.Tenant;

/// <summary>A permission (a scope of an API) assigned to a user.</summary>
internal readonly record struct Permission(string ResourceServerIdentifier, string PermissionName);

/// <summary>A copy of a user taken under the tenant's lock; its metadata objects belong to the caller.</summary>
internal sealed record UserView(
    string UserId,
    string? Email,
    string? Name,
    JsonObject AppMetadata,
    JsonObject UserMetadata,
    IReadOnlyList<Permission> Permissions,
    IReadOnlyList<string> Roles,
    int LoginsCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A copy of an application. <see cref="Secret"/> is null for a public client and never leaves the emulator.</summary>
internal sealed record ClientView(
    string ClientId,
    string? Secret,
    string Name,
    string AppType,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>A client grant, its audience expanded.</summary>
internal sealed record ClientGrantView(string Id, string ClientId, string Audience, IReadOnlyList<string> Scope);

/// <summary>An API, its identifier expanded.</summary>
internal sealed record ApiView(string Identifier, string Name, IReadOnlyList<(string Value, string? Description)> Scopes)
{
    public bool Defines(string scope) => Scopes.Any(s => s.Value == scope);
}

/// <summary>A seeded refresh token, its audience expanded.</summary>
internal sealed record RefreshTokenView(string UserId, string ClientId, string Audience, IReadOnlyList<string> Scope);
