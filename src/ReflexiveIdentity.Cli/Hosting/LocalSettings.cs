using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace ReflexiveIdentity.Cli.Hosting;

/// <summary>
/// Builds configuration the way the Functions host sees it: the <c>Values</c> of a
/// <c>local.settings.json</c> (when <c>--settings</c> names one), then environment variables, which win.
/// Names use <c>__</c> between sections in both (<c>Webhook__SigningSecrets</c>).
/// </summary>
internal static class LocalSettings
{
    public static IConfiguration Build(FileInfo? settingsFile)
    {
        var builder = new ConfigurationBuilder();
        if (settingsFile is not null)
        {
            builder.AddInMemoryCollection(ReadValues(settingsFile));
        }

        return builder.AddEnvironmentVariables().Build();
    }

    private static Dictionary<string, string?> ReadValues(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new FileNotFoundException($"The settings file {file.FullName} does not exist. Copy local.settings.example.json to local.settings.json and fill it in.", file.FullName);
        }

        using var stream = file.OpenRead();
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{file.FullName} has no \"Values\" object; settings go under \"Values\" as in local.settings.example.json.");
        }

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in values.EnumerateObject())
        {
            settings[property.Name.Replace("__", ":", StringComparison.Ordinal)] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()
                : property.Value.GetRawText();
        }

        return settings;
    }
}
