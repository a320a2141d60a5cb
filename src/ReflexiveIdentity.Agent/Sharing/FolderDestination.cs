using System.Text;
using ReflexiveIdentity.Omega.Report;

namespace ReflexiveIdentity.Omega.Sharing;

/// <summary>Writes <c>&lt;name&gt;.md</c> and <c>&lt;name&gt;.html</c> into a local folder, creating it; each file appears whole or not at all.</summary>
public sealed class FolderDestination : IReportDestination
{
    public FolderDestination(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
    }

    public string Folder { get; }

    public string Description => $"folder {Folder}";

    public async Task<ReportDelivery> DeliverAsync(RenderedReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        RenderedReport.EnsureValidName(report.Name);
        try
        {
            Directory.CreateDirectory(Folder);
            var markdown = await WriteAsync(report.Name + ".md", report.Markdown, cancellationToken).ConfigureAwait(false);
            var html = await WriteAsync(report.Name + ".html", report.Html, cancellationToken).ConfigureAwait(false);
            return new ReportDelivery(Folder, [markdown, html]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReportDeliveryException($"Could not write the report to {Folder}: {ex.Message}", ex);
        }
    }

    private async Task<string> WriteAsync(string fileName, string content, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder, fileName);
        var partial = Path.Combine(Folder, $".{fileName}.{Guid.NewGuid():N}.partial");
        try
        {
            await File.WriteAllTextAsync(partial, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
            File.Move(partial, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
