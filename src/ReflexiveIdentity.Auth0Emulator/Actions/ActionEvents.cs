using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ReflexiveIdentity.Auth0Emulation.Tenant;

namespace ReflexiveIdentity.Auth0Emulation.Actions;

/// <summary>Builds Auth0-shaped <c>event</c> objects for the post-login and credentials-exchange triggers.</summary>
internal static class ActionEvents
{
    public const string PostLogin = "post-login";
    public const string CredentialsExchange = "credentials-exchange";

    /// <summary>The post-login event of a refresh-token exchange.</summary>
    public static JsonObject ForRefreshToken(
        string tenant,
        UserView user,
        ClientView client,
        string audience,
        IReadOnlyList<string> requestedScopes,
        JsonObject requestBody,
        HttpContext http,
        IReadOnlyDictionary<string, string> secrets) => new()
        {
            ["user"] = new JsonObject
            {
                ["user_id"] = user.UserId,
                ["email"] = user.Email,
                ["email_verified"] = user.Email is not null,
                ["name"] = user.Name,
                ["nickname"] = user.Name,
                ["created_at"] = UserJson.Timestamp(user.CreatedAt),
                ["updated_at"] = UserJson.Timestamp(user.UpdatedAt),
                ["app_metadata"] = user.AppMetadata.DeepClone(),
                ["user_metadata"] = user.UserMetadata.DeepClone(),
                ["identities"] = UserJson.Identities(user.UserId),
            },
            ["client"] = Client(client),
            ["request"] = Request(http, requestBody),
            ["transaction"] = new JsonObject
            {
                ["id"] = $"txn_{Guid.NewGuid():N}",
                ["protocol"] = "oauth2-refresh-token",
                ["requested_scopes"] = Strings(requestedScopes),
                ["locale"] = "en",
            },
            ["resource_server"] = new JsonObject { ["identifier"] = audience },
            ["connection"] = new JsonObject
            {
                ["id"] = "con_local",
                ["name"] = UserJson.ConnectionName,
                ["strategy"] = "auth0",
                ["metadata"] = new JsonObject(),
            },
            ["tenant"] = new JsonObject { ["id"] = tenant },
            ["secrets"] = Secrets(secrets),
            ["authorization"] = new JsonObject { ["roles"] = Strings(user.Roles) },
            ["stats"] = new JsonObject { ["logins_count"] = user.LoginsCount },
        };

    /// <summary>The credentials-exchange event of a client-credentials grant.</summary>
    public static JsonObject ForClientCredentials(
        string tenant,
        ClientView client,
        string audience,
        IReadOnlyList<string> requestedScopes,
        IReadOnlyList<string> tokenScopes,
        JsonObject requestBody,
        HttpContext http,
        IReadOnlyDictionary<string, string> secrets) => new()
        {
            ["client"] = Client(client),
            ["request"] = Request(http, requestBody),
            ["transaction"] = new JsonObject { ["requested_scopes"] = Strings(requestedScopes) },
            ["resource_server"] = new JsonObject { ["identifier"] = audience },
            ["accessToken"] = new JsonObject { ["scope"] = Strings(tokenScopes), ["customClaims"] = new JsonObject() },
            ["tenant"] = new JsonObject { ["id"] = tenant },
            ["secrets"] = Secrets(secrets),
        };

    private static JsonObject Client(ClientView client) => new()
    {
        ["client_id"] = client.ClientId,
        ["name"] = client.Name,
        ["metadata"] = new JsonObject([.. client.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))]),
    };

    private static JsonObject Request(HttpContext http, JsonObject body) => new()
    {
        ["ip"] = http.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
        ["hostname"] = http.Request.Host.Host,
        ["method"] = http.Request.Method,
        ["user_agent"] = http.Request.Headers.UserAgent.ToString(),
        ["language"] = "en",
        ["query"] = new JsonObject(),
        ["body"] = body,
    };

    private static JsonObject Secrets(IReadOnlyDictionary<string, string> secrets) =>
        new([.. secrets.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))]);

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)v)]);
}
