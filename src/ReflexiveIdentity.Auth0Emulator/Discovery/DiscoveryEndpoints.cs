using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ReflexiveIdentity.Auth0Emulation.Tokens;

namespace ReflexiveIdentity.Auth0Emulation.Discovery;

/// <summary><c>/.well-known/openid-configuration</c> and <c>/.well-known/jwks.json</c>.</summary>
internal static class DiscoveryEndpoints
{
    public static void MapDiscovery(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/openid-configuration", (TenantAddress address) => Json(Configuration(address)));
        app.MapGet("/.well-known/jwks.json", (SigningKeys keys) => Json(keys.ToJwks()));
    }

    private static JsonHttpResult<JsonNode> Json(JsonNode body) => TypedResults.Json(body, EmulatorJsonContext.Default.JsonNode);

    private static JsonArray Strings(params string[] values) => new([.. values.Select(v => (JsonNode?)v)]);

    private static JsonObject Configuration(TenantAddress address) => new()
    {
        ["issuer"] = address.Issuer,
        ["token_endpoint"] = address.TokenEndpoint,
        ["jwks_uri"] = address.JwksUri,
        ["grant_types_supported"] = Strings("client_credentials", "refresh_token"),
        ["response_types_supported"] = Strings("token"),
        ["subject_types_supported"] = Strings("public"),
        ["id_token_signing_alg_values_supported"] = Strings("RS256"),
        ["token_endpoint_auth_methods_supported"] = Strings("client_secret_basic", "client_secret_post", "none"),
        ["scopes_supported"] = Strings("openid", "profile", "email", "offline_access"),
        ["claims_supported"] = Strings("aud", "email", "email_verified", "exp", "iat", "iss", "name", "nickname", "sub"),
        ["request_uri_parameter_supported"] = false,
        ["request_parameter_supported"] = false,
    };
}
