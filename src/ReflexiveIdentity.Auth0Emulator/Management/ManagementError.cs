using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ReflexiveIdentity.Auth0Emulation.Management;

/// <summary>An error in the Management API's shape: <c>{statusCode, error, message, errorCode}</c>.</summary>
internal static class ManagementError
{
    public static IResult NotFound(string message, string errorCode) => Create(StatusCodes.Status404NotFound, message, errorCode);

    public static IResult BadRequest(string message, string errorCode = "invalid_body") => Create(StatusCodes.Status400BadRequest, message, errorCode);

    public static IResult InvalidQuery(string message) => Create(StatusCodes.Status400BadRequest, message, "invalid_query_string");

    public static IResult InvalidJson() => Create(StatusCodes.Status400BadRequest, "Invalid request payload JSON format", null);

    public static IResult Create(int status, string message, string? errorCode) =>
        TypedResults.Json<JsonNode>(Body(status, message, errorCode), EmulatorJsonContext.Default.JsonNode, statusCode: status);

    public static JsonObject Body(int status, string message, string? errorCode)
    {
        var body = new JsonObject
        {
            ["statusCode"] = status,
            ["error"] = ReasonPhrases.GetReasonPhrase(status),
            ["message"] = message,
        };
        if (errorCode is not null)
        {
            body["errorCode"] = errorCode;
        }

        return body;
    }
}
