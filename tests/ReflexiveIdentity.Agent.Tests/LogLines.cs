using System.Globalization;

namespace ReflexiveIdentity.Omega.Tests;

/// <summary>Builds dataset lines the way a logging pipeline writes them.</summary>
internal static class LogLines
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    public static string Line(DateTimeOffset at, string service, string level, int status, double latencyMs, string message) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"timestamp":"{{at:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","service":"{{service}}","level":"{{level}}","status":{{status}},"latency_ms":{{latencyMs}},"message":{{System.Text.Json.JsonSerializer.Serialize(message)}}}""");

    public static string Ok(int minute, string service = "api", double latencyMs = 10) =>
        Line(Start.AddMinutes(minute), service, "info", 200, latencyMs, "GET / -> 200");
}
