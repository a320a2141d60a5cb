using ReflexiveIdentity.Omega.Report;

namespace ReflexiveIdentity.Omega.Tests;

internal static class Reports
{
    public static RenderedReport Sample(string name = "ops-2026-12-04") => new()
    {
        Name = name,
        GeneratedAt = new DateTimeOffset(2026, 12, 4, 18, 0, 0, TimeSpan.Zero),
        Markdown = "# Operational report\n\n| service | requests |\n",
        Html = "<!DOCTYPE html><html><body><h1>Operational report – ünïcode</h1></body></html>",
    };
}
