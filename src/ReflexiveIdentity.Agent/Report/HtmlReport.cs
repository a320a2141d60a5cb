using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ReflexiveIdentity.Omega.Analysis;

namespace ReflexiveIdentity.Omega.Report;

/// <summary>
/// The report as one self-contained HTML page: inline CSS and an inline SVG chart of the hourly timeline (requests as
/// bars on the left axis, errors as a line on the right axis), no scripts, no external assets. Every text from the
/// dataset is HTML-encoded.
/// </summary>
public static class HtmlReport
{
    private const int ChartWidth = 960;
    private const int ChartHeight = 280;
    private const int Left = 64;
    private const int Right = 64;
    private const int Top = 16;
    private const int Bottom = 40;

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1040px;color:#1f2328;padding:0 1rem}
        h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
        table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
        th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:600}
        td.msg{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-word}
        .high{color:#cf222e;font-weight:600}svg{max-width:100%;height:auto}.legend{font-size:.85rem;color:#57606a}
        """;

    public static string Render(OperationalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(16 * 1024);
        var facts = report.Dataset;
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>Operational report {Encode(report.Name)}</title>\n<style>\n{Style}</style>\n</head>\n<body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Operational report {Encode(report.Name)}</h1>\n<p>Generated {MarkdownReport.Time(report.GeneratedAt)}.</p>\n");

        html.Append("<h2>Dataset</h2>\n<table>\n");
        Fact(html, "lines read", facts.LinesRead.ToString("N0", CultureInfo.InvariantCulture));
        Fact(html, "records", facts.Records.ToString("N0", CultureInfo.InvariantCulture));
        Fact(html, "malformed lines", facts.MalformedLines.ToString("N0", CultureInfo.InvariantCulture)
            + (facts.FirstMalformedLines.Count == 0 ? string.Empty : $" (first at line{(facts.FirstMalformedLines.Count > 1 ? "s" : string.Empty)} {string.Join(", ", facts.FirstMalformedLines)})"));
        Fact(html, "from", MarkdownReport.Time(facts.From));
        Fact(html, "to", MarkdownReport.Time(facts.To));
        html.Append("</table>\n");

        html.Append("<h2>Hourly timeline (UTC)</h2>\n");
        Chart(html, report.Timeline);

        html.Append("<h2>Services</h2>\n<table>\n<tr><th>service</th><th>requests</th><th>errors</th><th>error rate</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th></tr>\n");
        var overallRate = report.Overall.ErrorRate;
        foreach (var service in report.Services)
        {
            Row(html, service, string.Empty, service.ErrorRate > 2 * overallRate && service.Errors > 0);
        }

        Row(html, report.Overall, " class=\"total\"", highlight: false);
        html.Append("</table>\n");

        html.Append("<h2>Top error messages</h2>\n");
        if (report.TopErrors.Count == 0)
        {
            html.Append("<p>No errors.</p>\n");
        }
        else
        {
            html.Append("<table>\n<tr><th>count</th><th>service</th><th>message</th></tr>\n");
            foreach (var error in report.TopErrors)
            {
                var count = error.Count.ToString("N0", CultureInfo.InvariantCulture)
                    + (error.MaxOverestimate > 0 ? $" (≤ {error.MaxOverestimate.ToString("N0", CultureInfo.InvariantCulture)} over)" : string.Empty);
                html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"n\">{Encode(count)}</td><td>{Encode(error.Service)}</td><td class=\"msg\">{Encode(error.Message)}</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    private static void Fact(StringBuilder html, string name, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr><th>{name}</th><td>{Encode(value)}</td></tr>\n");

    private static void Row(StringBuilder html, ServiceSummary s, string rowClass, bool highlight) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr{rowClass}><td>{Encode(s.Service)}</td><td class=\"n\">{s.Requests:N0}</td><td class=\"n\">{s.Errors:N0}</td><td class=\"n{(highlight ? " high" : string.Empty)}\">{MarkdownReport.Rate(s.ErrorRate)}</td><td class=\"n\">{MarkdownReport.Milliseconds(s.P50Ms)}</td><td class=\"n\">{MarkdownReport.Milliseconds(s.P95Ms)}</td><td class=\"n\">{MarkdownReport.Milliseconds(s.P99Ms)}</td></tr>\n");

    /// <summary>Hours are placed by time, so an hour without requests shows as a gap.</summary>
    private static void Chart(StringBuilder html, IReadOnlyList<HourlyCount> timeline)
    {
        const int plotWidth = ChartWidth - Left - Right;
        const int plotHeight = ChartHeight - Top - Bottom;
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {ChartWidth} {ChartHeight}\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" role=\"img\" aria-label=\"Requests and errors per hour\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"#fff\" stroke=\"#d0d7de\"/>\n");
        if (timeline.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{ChartWidth / 2}\" y=\"{ChartHeight / 2}\" text-anchor=\"middle\" font-size=\"14\" fill=\"#57606a\">no requests</text>\n</svg>\n");
            return;
        }

        var first = timeline[0].Hour;
        var hours = (int)Math.Min((timeline[^1].Hour - first).TotalHours + 1, int.MaxValue);
        var maxRequests = Math.Max(1, timeline.Max(h => h.Requests));
        var maxErrors = Math.Max(1, timeline.Max(h => h.Errors));
        var slot = (double)plotWidth / hours;
        var bar = Math.Max(slot * 0.8, 0.5);
        var errorPoints = new StringBuilder();
        foreach (var hour in timeline)
        {
            var index = (hour.Hour - first).TotalHours;
            var x = Left + (index * slot);
            var height = (double)hour.Requests / maxRequests * plotHeight;
            var label = $"{hour.Hour:yyyy-MM-dd HH:00}Z: {hour.Requests:N0} requests, {hour.Errors:N0} errors";
            html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + ((slot - bar) / 2):0.##}\" y=\"{Top + plotHeight - height:0.##}\" width=\"{bar:0.##}\" height=\"{height:0.##}\" fill=\"#54aeff\"><title>{label}</title></rect>\n");
            errorPoints.Append(CultureInfo.InvariantCulture, $"{x + (slot / 2):0.##},{Top + plotHeight - ((double)hour.Errors / maxErrors * plotHeight):0.##} ");
        }

        html.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{errorPoints.ToString().TrimEnd()}\" fill=\"none\" stroke=\"#cf222e\" stroke-width=\"2\"/>\n");
        Axis(html, Left - 6, "end", "#0969da", maxRequests, "requests/h");
        Axis(html, ChartWidth - Right + 6, "start", "#cf222e", maxErrors, "errors/h");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{ChartHeight - 12}\" font-size=\"12\" fill=\"#57606a\">{first:yyyy-MM-dd HH:00}Z</text>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{ChartWidth - Right}\" y=\"{ChartHeight - 12}\" font-size=\"12\" text-anchor=\"end\" fill=\"#57606a\">{timeline[^1].Hour:yyyy-MM-dd HH:00}Z</text>\n");
        html.Append("</svg>\n<p class=\"legend\"><span style=\"color:#0969da\">■</span> requests per hour (left axis) &nbsp; <span style=\"color:#cf222e\">━</span> errors per hour (right axis)</p>\n");
    }

    private static void Axis(StringBuilder html, int x, string anchor, string colour, long max, string unit)
    {
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{Top + 12}\" font-size=\"12\" text-anchor=\"{anchor}\" fill=\"{colour}\">{max:N0}</text>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{Top + (ChartHeight - Top - Bottom) / 2}\" font-size=\"11\" text-anchor=\"{anchor}\" fill=\"{colour}\">{unit}</text>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{ChartHeight - Bottom}\" font-size=\"12\" text-anchor=\"{anchor}\" fill=\"{colour}\">0</text>\n");
    }
}
