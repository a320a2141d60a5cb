using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReflexiveIdentity.Auth0Emulation.Management;

/// <summary>Reads Management API request bodies and checks them like Auth0's payload validation.</summary>
internal static class ManagementBody
{
    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request, IReadOnlySet<string> allowed)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return (null, ManagementError.InvalidJson());
        }

        if (node is not JsonObject body)
        {
            return (null, ManagementError.BadRequest($"Payload validation error: 'Expected type object but found type {TypeName(node)}'."));
        }

        if (body.Count == 0)
        {
            return (null, ManagementError.BadRequest("Payload validation error: 'Too few properties defined (0), minimum 1'."));
        }

        var extra = body.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList();
        if (extra.Count > 0)
        {
            return (null, ManagementError.BadRequest($"Payload validation error: 'Additional properties not allowed: {string.Join(',', extra)}'."));
        }

        return (body, null);
    }

    public static string TypeName(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "boolean",
    };

    public static IResult WrongType(string property, string expected, JsonNode? node) =>
        ManagementError.BadRequest($"Payload validation error: 'Expected type {expected} but found type {TypeName(node)}' on property {property}.");
}
