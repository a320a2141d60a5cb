using System.Text.Json;

namespace ReflexiveIdentity.Policy;

/// <summary>Reads one JSON object of the policy (the scopes and the trust section alike), keeping the path for error messages.</summary>
internal readonly struct PolicySection(string source, JsonElement element, string path)
{
    /// <summary>Where the policy came from, for error messages.</summary>
    public string Source => source;

    /// <summary>The object itself.</summary>
    public JsonElement Element => element;

    /// <summary>Its JSON path, e.g. <c>$.trust.components</c>.</summary>
    public string Path => path;

    public static PolicySection Root(string source, JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object
            ? new PolicySection(source, element, path)
            : throw new PolicyValidationException(source, path, "must be an object");

    public bool Has(string name) => element.TryGetProperty(name, out _);

    public void AllowOnly(params string[] names)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!names.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new PolicyValidationException(source, $"{path}.{property.Name}", $"is not a known setting (expected one of: {string.Join(", ", names)})");
            }
        }
    }

    public PolicySection Object(string name)
    {
        var value = Required(name);
        return value.ValueKind == JsonValueKind.Object
            ? new PolicySection(source, value, $"{path}.{name}")
            : throw Invalid(name, "must be an object");
    }

    public IEnumerable<(string Name, PolicySection Rule)> Properties()
    {
        foreach (var property in element.EnumerateObject())
        {
            var childPath = $"{path}.{property.Name}";
            if (string.IsNullOrWhiteSpace(property.Name) || property.Name.Any(char.IsWhiteSpace))
            {
                throw new PolicyValidationException(source, childPath, "a scope name must be non-empty and contain no spaces");
            }

            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyValidationException(source, childPath, "must be an object");
            }

            yield return (property.Name, new PolicySection(source, property.Value, childPath));
        }
    }

    public bool Boolean(string name)
    {
        var value = Required(name);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(name, "must be true or false"),
        };
    }

    public double Number(string name, double min, double max)
    {
        var value = Required(name);
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Invalid(name, $"must be a number between {min} and {max}");
        }

        var number = value.GetDouble();
        return number >= min && number <= max ? number : throw Invalid(name, $"must be between {min} and {max}, was {number}");
    }

    public int Integer(string name, int min, int max)
    {
        var value = Required(name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw Invalid(name, $"must be a whole number between {min} and {max}");
        }

        return number >= min && number <= max ? number : throw Invalid(name, $"must be between {min} and {max}, was {number}");
    }

    public List<string> Words(string name, bool allowEmpty)
    {
        var value = Required(name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(name, "must be an array of strings");
        }

        var words = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                throw new PolicyValidationException(source, $"{path}.{name}[{index}]", "must be a non-empty string");
            }

            words.Add(item.GetString()!.Trim().ToLowerInvariant());
            index++;
        }

        return words.Count > 0 || allowEmpty ? words : throw Invalid(name, "must list at least one entry");
    }

    private JsonElement Required(string name) =>
        element.TryGetProperty(name, out var value) ? value : throw Invalid(name, "is required");

    public PolicyValidationException Invalid(string name, string problem) => new(source, $"{path}.{name}", problem);
}
