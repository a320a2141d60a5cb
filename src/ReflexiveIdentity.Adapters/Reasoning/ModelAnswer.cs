using System.Text.Json;

namespace ReflexiveIdentity.Adapters.Reasoning;

/// <summary>Reads a model's JSON answer defensively: one object, typed fields, nothing assumed.</summary>
internal static class ModelAnswer
{
    /// <summary>The answer's root object, or null when the text is not a JSON object.</summary>
    public static JsonElement? Object(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text.Trim(), new JsonDocumentOptions { MaxDepth = 8 });
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? String(JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static double? Number(JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) ? number : null;

    /// <summary>The array of strings, or null when missing or when any item is not a string.</summary>
    public static IReadOnlyList<string>? Strings(JsonElement answer, string name)
    {
        if (!answer.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            items.Add(item.GetString()!);
        }

        return items;
    }
}
