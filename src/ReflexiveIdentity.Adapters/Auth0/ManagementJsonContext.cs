using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// Source-generated JSON for the Management API and the token endpoint: snake_case as Auth0 writes it,
/// missing required members and nulls in non-nullable members rejected (so an unexpected body fails
/// loudly instead of producing half-empty records).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(Auth0User))]
[JsonSerializable(typeof(UserPage))]
[JsonSerializable(typeof(Auth0Client))]
[JsonSerializable(typeof(IReadOnlyList<ClientGrant>))]
[JsonSerializable(typeof(ClientGrant))]
[JsonSerializable(typeof(PermissionPage))]
[JsonSerializable(typeof(PermissionsBody))]
[JsonSerializable(typeof(UserAppMetadataPatch))]
[JsonSerializable(typeof(ClientMetadataPatch))]
[JsonSerializable(typeof(ClientGrantScopePatch))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(Auth0ErrorBody))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;

/// <summary><c>PATCH /users/{id}</c>: only <c>app_metadata</c>, merged at its root, <c>null</c> deleting a key.</summary>
internal sealed record UserAppMetadataPatch(JsonObject AppMetadata);

/// <summary><c>PATCH /clients/{id}</c>: only <c>client_metadata</c>, merged, <c>null</c> deleting a key.</summary>
internal sealed record ClientMetadataPatch(IReadOnlyDictionary<string, string?> ClientMetadata);

/// <summary><c>POST|DELETE /users/{id}/permissions</c>.</summary>
internal sealed record PermissionsBody(IReadOnlyList<UserPermission> Permissions);

/// <summary><c>GET /users/{id}/permissions?include_totals=true</c>.</summary>
internal sealed record PermissionPage
{
    public required IReadOnlyList<UserPermission> Permissions { get; init; }

    public int Start { get; init; }

    public int Limit { get; init; }

    public int Total { get; init; }
}

/// <summary><c>PATCH /client-grants/{id}</c>: the whole scope list.</summary>
internal sealed record ClientGrantScopePatch(IReadOnlyList<string> Scope);

/// <summary>The token endpoint's answer to a client-credentials request.</summary>
internal sealed record TokenResponse
{
    public required string AccessToken { get; init; }

    public int? ExpiresIn { get; init; }

    public string? TokenType { get; init; }
}

/// <summary>
/// An Auth0 error body: the Management API's <c>{statusCode, error, message, errorCode}</c> or the
/// token endpoint's <c>{error, error_description}</c>.
/// </summary>
internal sealed record Auth0ErrorBody
{
    [JsonPropertyName("statusCode")]
    public int? StatusCode { get; init; }

    public string? Error { get; init; }

    public string? Message { get; init; }

    [JsonPropertyName("errorCode")]
    public string? ErrorCode { get; init; }

    public string? ErrorDescription { get; init; }
}
