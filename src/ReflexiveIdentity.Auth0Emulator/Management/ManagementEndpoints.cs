using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ReflexiveIdentity.Auth0Emulation.Tenant;
using ReflexiveIdentity.Auth0Emulation.Tokens;

namespace ReflexiveIdentity.Auth0Emulation.Management;

/// <summary>The Management API subset under <c>/api/v2</c>; <see cref="ManagementApiGate"/> stands in front of it.</summary>
internal static class ManagementEndpoints
{
    private const int MaxClientMetadataKeys = 10;
    private const int MaxClientMetadataValueLength = 255;

    private static readonly HashSet<string> UserPatchFields = new(StringComparer.Ordinal) { "app_metadata", "user_metadata", "email", "name" };
    private static readonly HashSet<string> PermissionsFields = new(StringComparer.Ordinal) { "permissions" };
    private static readonly HashSet<string> ClientPatchFields = new(StringComparer.Ordinal) { "client_metadata" };
    private static readonly HashSet<string> GrantPatchFields = new(StringComparer.Ordinal) { "scope" };

    public static void MapManagementApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v2");
        api.MapGet("/users", SearchUsers).WithMetadata(new ManagementScopes("read:users"));
        api.MapGet("/users/{id}", GetUser).WithMetadata(new ManagementScopes("read:users", "read:users_app_metadata"));
        api.MapPatch("/users/{id}", UpdateUserAsync).WithMetadata(new ManagementScopes("update:users", "update:users_app_metadata"));
        api.MapGet("/users/{id}/permissions", GetPermissions).WithMetadata(new ManagementScopes("read:users"));
        api.MapPost("/users/{id}/permissions", AddPermissionsAsync).WithMetadata(new ManagementScopes("update:users"));
        api.MapDelete("/users/{id}/permissions", RemovePermissionsAsync).WithMetadata(new ManagementScopes("update:users"));
        api.MapGet("/clients/{id}", GetClient).WithMetadata(new ManagementScopes("read:clients"));
        api.MapPatch("/clients/{id}", UpdateClientAsync).WithMetadata(new ManagementScopes("update:clients"));
        api.MapGet("/client-grants", ListClientGrants).WithMetadata(new ManagementScopes("read:client_grants"));
        api.MapPatch("/client-grants/{id}", UpdateClientGrantAsync).WithMetadata(new ManagementScopes("update:client_grants"));
        api.Map("/{**path}", () => ManagementError.Create(StatusCodes.Status404NotFound, "Not Found", null));
    }

    private static JsonHttpResult<JsonNode> Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        TypedResults.Json(body, EmulatorJsonContext.Default.JsonNode, statusCode: status);

    private static IResult UserNotFound() => ManagementError.NotFound("The user does not exist.", "inexistent_user");

    private static IResult SearchUsers(HttpRequest request, TenantState tenant)
    {
        var (paging, error) = Paging.Read(request.Query);
        if (error is not null)
        {
            return error;
        }

        if (request.Query["search_engine"].ToString() is { Length: > 0 } engine && engine is not ("v3" or "v2"))
        {
            return ManagementError.InvalidQuery($"Query validation error: 'search_engine' must be v3, not '{engine}'.");
        }

        UserQuery query;
        try
        {
            query = UserQuery.Parse(request.Query["q"]);
        }
        catch (UserQueryException e)
        {
            return ManagementError.InvalidQuery(e.Message);
        }

        var matches = tenant.ListUsers().Select(UserJson.ToJson).Where(query.Matches).ToList();
        var page = new JsonArray([.. paging.Apply(matches)]);
        return Json(paging.IncludeTotals
            ? new JsonObject
            {
                ["start"] = paging.Start,
                ["limit"] = paging.PerPage,
                ["length"] = page.Count,
                ["users"] = page,
                ["total"] = matches.Count,
            }
            : page);
    }

    private static IResult GetUser(string id, TenantState tenant) =>
        tenant.FindUser(id) is { } user ? Json(UserJson.ToJson(user)) : UserNotFound();

    private static async Task<IResult> UpdateUserAsync(string id, HttpRequest request, TenantState tenant)
    {
        var (body, error) = await ManagementBody.ReadObjectAsync(request, UserPatchFields).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }

        JsonObject? Metadata(string name, out IResult? wrong)
        {
            wrong = null;
            if (!body.TryGetPropertyValue(name, out var node))
            {
                return null;
            }

            // Patching with null clears the metadata, as an empty object does.
            if (node is null)
            {
                return [];
            }

            if (node is JsonObject metadata)
            {
                return metadata;
            }

            wrong = ManagementBody.WrongType(name, "object", node);
            return null;
        }

        var appMetadata = Metadata("app_metadata", out var appError);
        var userMetadata = Metadata("user_metadata", out var userError);
        var email = Text(body, "email", out var emailError);
        var name = Text(body, "name", out var nameError);
        if ((appError ?? userError ?? emailError ?? nameError) is { } invalid)
        {
            return invalid;
        }

        return tenant.UpdateUser(id, appMetadata, userMetadata, email, name) is { } user ? Json(UserJson.ToJson(user)) : UserNotFound();
    }

    private static string? Text(JsonObject body, string name, out IResult? error)
    {
        error = null;
        if (!body.TryGetPropertyValue(name, out var node))
        {
            return null;
        }

        if (node?.GetValueKind() == JsonValueKind.String)
        {
            return node.GetValue<string>();
        }

        error = ManagementBody.WrongType(name, "string", node);
        return null;
    }

    private static IResult GetPermissions(string id, HttpRequest request, TenantState tenant)
    {
        var (paging, error) = Paging.Read(request.Query);
        if (error is not null)
        {
            return error;
        }

        var user = tenant.FindUser(id);
        if (user is null)
        {
            return UserNotFound();
        }

        var all = user.Permissions.Select(p => PermissionJson(p, tenant)).ToList();
        var page = new JsonArray([.. paging.Apply(all)]);
        return Json(paging.IncludeTotals
            ? new JsonObject { ["permissions"] = page, ["start"] = paging.Start, ["limit"] = paging.PerPage, ["total"] = all.Count }
            : page);
    }

    private static JsonObject PermissionJson(Permission permission, TenantState tenant)
    {
        var api = tenant.FindApi(permission.ResourceServerIdentifier);
        return new JsonObject
        {
            ["permission_name"] = permission.PermissionName,
            ["description"] = api?.Scopes.FirstOrDefault(s => s.Value == permission.PermissionName).Description ?? "",
            ["resource_server_name"] = api?.Name ?? permission.ResourceServerIdentifier,
            ["resource_server_identifier"] = permission.ResourceServerIdentifier,
            ["sources"] = new JsonArray { new JsonObject { ["source_id"] = "", ["source_name"] = "", ["source_type"] = "DIRECT" } },
        };
    }

    private static async Task<IResult> AddPermissionsAsync(string id, HttpRequest request, TenantState tenant, TenantAddress address)
    {
        var (permissions, error) = await ReadPermissionsAsync(request, tenant, address).ConfigureAwait(false);
        if (permissions is null)
        {
            return error!;
        }

        return tenant.AddPermissions(id, permissions) ? TypedResults.StatusCode(StatusCodes.Status201Created) : UserNotFound();
    }

    private static async Task<IResult> RemovePermissionsAsync(string id, HttpRequest request, TenantState tenant, TenantAddress address)
    {
        var (permissions, error) = await ReadPermissionsAsync(request, tenant, address).ConfigureAwait(false);
        if (permissions is null)
        {
            return error!;
        }

        return tenant.RemovePermissions(id, permissions) ? TypedResults.NoContent() : UserNotFound();
    }

    /// <summary><c>{"permissions":[{"resource_server_identifier","permission_name"}]}</c>, each a scope the API defines.</summary>
    private static async Task<(List<Permission>?, IResult?)> ReadPermissionsAsync(HttpRequest request, TenantState tenant, TenantAddress address)
    {
        var (body, error) = await ManagementBody.ReadObjectAsync(request, PermissionsFields).ConfigureAwait(false);
        if (body is null)
        {
            return (null, error);
        }

        if (body["permissions"] is not JsonArray items)
        {
            return (null, ManagementBody.WrongType("permissions", "array", body["permissions"]));
        }

        if (items.Count == 0)
        {
            return (null, ManagementError.BadRequest("Payload validation error: 'Array is too short (0), minimum 1' on property permissions."));
        }

        var permissions = new List<Permission>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] as JsonObject;
            var api = item?["resource_server_identifier"];
            var name = item?["permission_name"];
            if (api?.GetValueKind() != JsonValueKind.String || name?.GetValueKind() != JsonValueKind.String)
            {
                return (null, ManagementError.BadRequest(
                    $"Payload validation error: 'Missing required property: resource_server_identifier or permission_name' on property permissions[{i}]."));
            }

            var permission = new Permission(api.GetValue<string>(), name.GetValue<string>());
            var server = tenant.FindApi(permission.ResourceServerIdentifier);
            if (server is null || permission.ResourceServerIdentifier == address.ManagementAudience)
            {
                return (null, ManagementError.NotFound($"Resource server '{permission.ResourceServerIdentifier}' does not exist.", "inexistent_resource_server"));
            }

            if (!server.Defines(permission.PermissionName))
            {
                return (null, ManagementError.BadRequest($"Permission '{permission.PermissionName}' is not defined on resource server '{permission.ResourceServerIdentifier}'."));
            }

            permissions.Add(permission);
        }

        return (permissions, null);
    }

    private static IResult ClientNotFound() => ManagementError.NotFound("The client does not exist", "inexistent_client");

    private static JsonObject ClientJson(ClientView client, TenantState tenant, TokenIssuer issuer) => new()
    {
        ["tenant"] = tenant.Name,
        ["client_id"] = client.ClientId,
        ["name"] = client.Name,
        ["app_type"] = client.AppType,
        ["grant_types"] = new JsonArray([.. client.GrantTypes.Select(g => (JsonNode?)g)]),
        ["token_endpoint_auth_method"] = client.Secret is null ? "none" : "client_secret_post",
        ["is_first_party"] = true,
        ["oidc_conformant"] = true,
        ["callbacks"] = new JsonArray(),
        ["jwt_configuration"] = new JsonObject { ["alg"] = "RS256", ["lifetime_in_seconds"] = issuer.LifetimeSeconds, ["secret_encoded"] = false },
        ["client_metadata"] = new JsonObject([.. client.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))]),
    };

    private static IResult GetClient(string id, TenantState tenant, TokenIssuer issuer) =>
        tenant.FindClient(id) is { } client ? Json(ClientJson(client, tenant, issuer)) : ClientNotFound();

    private static async Task<IResult> UpdateClientAsync(string id, HttpRequest request, TenantState tenant, TokenIssuer issuer)
    {
        var (body, error) = await ManagementBody.ReadObjectAsync(request, ClientPatchFields).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }

        if (body["client_metadata"] is not JsonObject metadata)
        {
            return ManagementBody.WrongType("client_metadata", "object", body["client_metadata"]);
        }

        var patch = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            if (value is not null && value.GetValueKind() != JsonValueKind.String)
            {
                return ManagementBody.WrongType($"client_metadata.{key}", "string", value);
            }

            var text = value?.GetValue<string>();
            if (text?.Length > MaxClientMetadataValueLength)
            {
                return ManagementError.BadRequest($"Payload validation error: 'String is too long ({text.Length} chars), maximum {MaxClientMetadataValueLength}' on property client_metadata.{key}.");
            }

            patch[key] = text;
        }

        var current = tenant.FindClient(id);
        if (current is null)
        {
            return ClientNotFound();
        }

        var keys = current.Metadata.Keys.Concat(patch.Keys).Distinct(StringComparer.Ordinal).Count(k => !patch.TryGetValue(k, out var v) || v is not null);
        if (keys > MaxClientMetadataKeys)
        {
            return ManagementError.BadRequest($"Payload validation error: 'Too many properties defined ({keys}), maximum {MaxClientMetadataKeys}' on property client_metadata.");
        }

        return tenant.UpdateClientMetadata(id, patch) is { } client ? Json(ClientJson(client, tenant, issuer)) : ClientNotFound();
    }

    private static JsonObject GrantJson(ClientGrantView grant) => new()
    {
        ["id"] = grant.Id,
        ["client_id"] = grant.ClientId,
        ["audience"] = grant.Audience,
        ["scope"] = new JsonArray([.. grant.Scope.Select(s => (JsonNode?)s)]),
    };

    private static IResult ListClientGrants(HttpRequest request, TenantState tenant)
    {
        var (paging, error) = Paging.Read(request.Query);
        if (error is not null)
        {
            return error;
        }

        var clientId = request.Query["client_id"].ToString() is { Length: > 0 } c ? c : null;
        var audience = request.Query["audience"].ToString() is { Length: > 0 } a ? a : null;
        var all = tenant.ListClientGrants(clientId, audience).Select(GrantJson).ToList();
        var page = new JsonArray([.. paging.Apply(all)]);
        return Json(paging.IncludeTotals
            ? new JsonObject { ["client_grants"] = page, ["start"] = paging.Start, ["limit"] = paging.PerPage, ["total"] = all.Count }
            : page);
    }

    private static async Task<IResult> UpdateClientGrantAsync(string id, HttpRequest request, TenantState tenant)
    {
        var (body, error) = await ManagementBody.ReadObjectAsync(request, GrantPatchFields).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }

        if (body["scope"] is not JsonArray items || items.Any(s => s?.GetValueKind() != JsonValueKind.String))
        {
            return ManagementBody.WrongType("scope", "array of strings", body["scope"]);
        }

        var scope = items.Select(s => s!.GetValue<string>()).ToList();
        var grant = tenant.ListClientGrants().FirstOrDefault(g => g.Id == id);
        if (grant is null)
        {
            return ManagementError.NotFound("The client grant does not exist.", "inexistent_client_grant");
        }

        if (tenant.FindApi(grant.Audience) is { } api && scope.FirstOrDefault(s => !api.Defines(s)) is { } unknown)
        {
            return ManagementError.BadRequest($"Scope '{unknown}' is not defined on the resource server '{grant.Audience}'.");
        }

        return tenant.UpdateClientGrantScope(id, scope) is { } updated
            ? Json(GrantJson(updated))
            : ManagementError.NotFound("The client grant does not exist.", "inexistent_client_grant");
    }
}
