using System.Diagnostics.CodeAnalysis;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>A permission (scope) of an API given directly to a user.</summary>
/// <param name="ResourceServerIdentifier">The API's identifier (audience), e.g. <c>https://reflexive-identity/agents</c>.</param>
/// <param name="PermissionName">The scope, e.g. <c>share.output</c>.</param>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Auth0's own name for a scope given to a user.")]
public sealed record UserPermission(string ResourceServerIdentifier, string PermissionName);
