using System.Globalization;
using System.Text;

namespace ReflexiveIdentity.Omega.Report;

/// <summary>
/// The report as Markdown (GitHub-flavoured tables). Every text from the dataset is escaped: the punctuation that
/// can start emphasis, code, links, strikethrough, math or a cell inside a table row is backslash-escaped, control
/// characters become spaces, and <c>&lt; &gt; &amp;</c> become entities, so a message can neither format the page nor
/// inject HTML where the Markdown is rendered.
/// </summary>
public static class MarkdownReport
{
    public static string Render(OperationalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder(4096);
        var facts = report.Dataset;
        md.Append(CultureInfo.InvariantCulture, $"# Operational report {Escape(report.Name)}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Generated {Time(report.GeneratedAt)}.\n\n");
        md.Append("## Dataset\n\n| fact | value |\n|---|---|\n");
        md.Append(CultureInfo.InvariantCulture, $"| lines read | {facts.LinesRead:N0} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| records | {facts.Records:N0} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| malformed lines | {facts.MalformedLines:N0}{MalformedSample(facts.FirstMalformedLines)} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| from | {Time(facts.From)} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| to | {Time(facts.To)} |\n\n");

        md.Append("## Services\n\n| service | requests | errors | error rate | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var service in report.Services)
        {
            Row(md, Escape(service.Service), service);
        }

        Row(md, "**" + Escape(report.Overall.Service) + "**", report.Overall);

        md.Append("\n## Top error messages\n\n");
        if (report.TopErrors.Count == 0)
        {
            md.Append("No errors.\n");
        }
        else
        {
            md.Append("| count | service | message |\n|---:|---|---|\n");
            foreach (var error in report.TopErrors)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {error.Count:N0}{(error.MaxOverestimate > 0 ? $" (≤ {error.MaxOverestimate:N0} over)" : string.Empty)} | {Escape(error.Service)} | {Escape(error.Message)} |\n");
            }
        }

        md.Append("\n## Hourly timeline (UTC)\n\n| hour | requests | errors |\n|---|---:|---:|\n");
        foreach (var hour in report.Timeline)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {hour.Hour:yyyy-MM-dd HH:00} | {hour.Requests:N0} | {hour.Errors:N0} |\n");
        }

        return md.ToString();
    }

    /// <summary>Escapes dataset text for a Markdown table cell or heading.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<':
                    escaped.Append("&lt;");
                    break;
                case '>':
                    escaped.Append("&gt;");
                    break;
                case '&':
                    escaped.Append("&amp;");
                    break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~' or '$':
                    escaped.Append('\\').Append(c);
                    break;
                case var control when char.IsControl(control):
                    escaped.Append(' ');
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }

    internal static string Time(DateTimeOffset? time) =>
        time is { } value ? value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "n/a";

    internal static string Milliseconds(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString(value >= 100 ? "N0" : "0.0", CultureInfo.InvariantCulture);

    internal static string Rate(double rate) => rate.ToString("0.00%", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder md, string name, ServiceSummary s) =>
        md.Append(CultureInfo.InvariantCulture, $"| {name} | {s.Requests:N0} | {s.Errors:N0} | {Rate(s.ErrorRate)} | {Milliseconds(s.P50Ms)} | {Milliseconds(s.P95Ms)} | {Milliseconds(s.P99Ms)} |\n");

    private static string MalformedSample(IReadOnlyList<long> lines) =>
        lines.Count == 0 ? string.Empty : $" (first at line{(lines.Count > 1 ? "s" : string.Empty)} {string.Join(", ", lines)})";
}
