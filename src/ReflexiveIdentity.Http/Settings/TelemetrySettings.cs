using Microsoft.Extensions.Configuration;

namespace ReflexiveIdentity.Http.Settings;

/// <summary>
/// Where telemetry goes, from the standard settings: <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> (Azure
/// Monitor; with <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> = <c>ClientId=...;Authorization=AAD</c> it
/// authenticates with that managed identity), <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (OTLP) and
/// <c>Telemetry__Console</c> (<c>true</c>: spans and metrics on the console). None set: the service is
/// still instrumented, nothing is exported.
/// </summary>
public sealed record TelemetrySettings
{
    /// <summary>The Application Insights connection string, or null.</summary>
    public string? AzureMonitorConnectionString { get; init; }

    /// <summary>The client id of the managed identity that authenticates telemetry to Application Insights, or null for key-based ingestion.</summary>
    public string? AzureMonitorIdentityClientId { get; init; }

    /// <summary>True when an OTLP endpoint is configured.</summary>
    public bool Otlp { get; init; }

    /// <summary>True to write spans and metrics to the console.</summary>
    public bool Console { get; init; }

    /// <summary>True when any exporter is configured.</summary>
    public bool Exports => AzureMonitorConnectionString is not null || Otlp || Console;

    /// <summary>Reads the settings; a <c>Telemetry__Console</c> that is not a boolean throws <see cref="SettingsException"/>.</summary>
    public static TelemetrySettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var console = Blank(configuration["Telemetry:Console"]);
        var consoleOn = false;
        if (console is not null && !bool.TryParse(console, out consoleOn))
        {
            throw new SettingsException([$"Telemetry__Console must be true or false, was '{console}'."]);
        }

        return new TelemetrySettings
        {
            AzureMonitorConnectionString = Blank(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]),
            AzureMonitorIdentityClientId = IdentityClientId(Blank(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"])),
            Otlp = Blank(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) is not null,
            Console = consoleOn,
        };
    }

    // "ClientId=<guid>;Authorization=AAD": the form Azure Functions documents for Entra ID ingestion.
    private static string? IdentityClientId(string? authentication)
    {
        if (authentication is null)
        {
            return null;
        }

        var parts = authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("Authorization", out var kind) && string.Equals(kind, "AAD", StringComparison.OrdinalIgnoreCase)
            && parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? clientId
            : null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
