using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Auth0Emulation.Actions;
using ReflexiveIdentity.Auth0Emulation.Management;
using ReflexiveIdentity.Auth0Emulation.Tenant;

namespace ReflexiveIdentity.Auth0Emulation.Emulator;

/// <summary>The body of <c>POST /emulator/faults</c> and of its answers.</summary>
internal sealed record FaultSettingsBody(
    [property: JsonPropertyName("rate_429")] double Rate429 = 0,
    [property: JsonPropertyName("rate_5xx")] double Rate5xx = 0,
    [property: JsonPropertyName("latency_ms")] long LatencyMs = 0,
    [property: JsonPropertyName("seed")] int Seed = 0)
{
    public static FaultSettingsBody From(FaultSettings settings) =>
        new(settings.Rate429, settings.Rate5xx, (long)settings.Latency.TotalMilliseconds, settings.Seed);

    public FaultSettings ToSettings() => new()
    {
        Rate429 = Rate429,
        Rate5xx = Rate5xx,
        Latency = TimeSpan.FromMilliseconds(LatencyMs),
        Seed = Seed,
    };
}

/// <summary>
/// Endpoints for tests and debugging, not part of Auth0: fault mode, a view of the tenant without
/// secrets, call counts, and the last Action runs.
/// </summary>
internal static class EmulatorEndpoints
{
    public static void MapEmulatorControl(this IEndpointRouteBuilder app)
    {
        var emulator = app.MapGroup("/emulator");
        emulator.MapGet("/faults", (FaultInjector faults) => TypedResults.Json(FaultSettingsBody.From(faults.Current), EmulatorJsonContext.Default.FaultSettingsBody));
        emulator.MapPost("/faults", SetFaultsAsync);
        emulator.MapDelete("/faults", (FaultInjector faults) =>
        {
            faults.Set(FaultSettings.None);
            return TypedResults.NoContent();
        });
        emulator.MapGet("/state", State);
        emulator.MapGet("/stats", (CallStats stats) => Json(stats.ToJson()));
        emulator.MapDelete("/stats", (CallStats stats) =>
        {
            stats.Reset();
            return TypedResults.NoContent();
        });
        emulator.MapGet("/actions", (ActionRunLog runs) => Json(runs.ToJson()));
        emulator.MapDelete("/actions", (ActionRunLog runs) =>
        {
            runs.Clear();
            return TypedResults.NoContent();
        });
    }

    private static JsonHttpResult<JsonNode> Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        TypedResults.Json(body, EmulatorJsonContext.Default.JsonNode, statusCode: status);

    private static JsonHttpResult<JsonNode> Problem(string message) => Json(new JsonObject { ["error"] = "invalid_request", ["message"] = message }, StatusCodes.Status400BadRequest);

    private static async Task<IResult> SetFaultsAsync(HttpRequest request, FaultInjector faults, ILogger<FaultInjector> logger)
    {
        FaultSettingsBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, EmulatorJsonContext.Default.FaultSettingsBody, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Problem($"The body must be {{\"rate_429\", \"rate_5xx\", \"latency_ms\", \"seed\"}}: {e.Message}");
        }

        if (body is null)
        {
            return Problem("The body must be a JSON object.");
        }

        try
        {
            var settings = body.ToSettings();
            faults.Set(settings);
            logger.FaultsSet(settings.Rate429, settings.Rate5xx, body.LatencyMs, settings.Seed);
        }
        catch (ArgumentOutOfRangeException e)
        {
            return Problem(e.Message);
        }

        return TypedResults.Json(FaultSettingsBody.From(faults.Current), EmulatorJsonContext.Default.FaultSettingsBody);
    }

    /// <summary>The tenant as it stands: users (with permissions), clients and grants. No secrets or refresh tokens.</summary>
    private static JsonHttpResult<JsonNode> State(TenantState tenant, TenantAddress address, FaultInjector faults)
    {
        var users = new JsonArray();
        foreach (var user in tenant.ListUsers())
        {
            var json = UserJson.ToJson(user);
            json["app_metadata"] = user.AppMetadata.DeepClone();
            json["user_metadata"] = user.UserMetadata.DeepClone();
            json["permissions"] = new JsonArray([.. user.Permissions.Select(p => (JsonNode?)new JsonObject
            {
                ["resource_server_identifier"] = p.ResourceServerIdentifier,
                ["permission_name"] = p.PermissionName,
            })]);
            json["roles"] = new JsonArray([.. user.Roles.Select(r => (JsonNode?)r)]);
            users.Add(json);
        }

        return Json(new JsonObject
        {
            ["tenant"] = tenant.Name,
            ["issuer"] = address.Issuer,
            ["management_audience"] = address.ManagementAudience,
            ["default_audience"] = tenant.DefaultAudience,
            ["users"] = users,
            ["clients"] = new JsonArray([.. tenant.ListClients().Select(c => (JsonNode?)new JsonObject
            {
                ["client_id"] = c.ClientId,
                ["name"] = c.Name,
                ["app_type"] = c.AppType,
                ["grant_types"] = new JsonArray([.. c.GrantTypes.Select(g => (JsonNode?)g)]),
                ["client_metadata"] = new JsonObject([.. c.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))]),
            })]),
            ["client_grants"] = new JsonArray([.. tenant.ListClientGrants().Select(g => (JsonNode?)new JsonObject
            {
                ["id"] = g.Id,
                ["client_id"] = g.ClientId,
                ["audience"] = g.Audience,
                ["scope"] = new JsonArray([.. g.Scope.Select(s => (JsonNode?)s)]),
            })]),
            ["faults"] = JsonSerializer.SerializeToNode(FaultSettingsBody.From(faults.Current), EmulatorJsonContext.Default.FaultSettingsBody),
        });
    }
}
