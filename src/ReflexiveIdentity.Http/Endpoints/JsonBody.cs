using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReflexiveIdentity.Http.Problems;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary>Reads a JSON object body into a contract type: 400 <c>malformed_json</c> when it is not a JSON object, 400 <c>invalid_type</c> naming the field whose type is wrong.</summary>
internal static class JsonBody
{
    public static (T? Value, Problem? Problem) Parse<T>(byte[] body, JsonTypeInfo<T> type)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Problems.MalformedJson($"The body is not JSON ({FirstSentence(ex.Message)})."));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, Problems.Problems.MalformedJson($"The body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object."));
            }

            try
            {
                return (document.RootElement.Deserialize(type), null);
            }
            catch (JsonException ex)
            {
                var field = (ex.Path ?? "$").TrimStart('$').TrimStart('.');
                return (null, Problems.Problems.InvalidType(field.Length == 0 ? "(body)" : field, "has the wrong JSON type for this field"));
            }
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
