using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ReflexiveIdentity.Omega.Report;

namespace ReflexiveIdentity.Omega.Sharing;

/// <summary>
/// Uploads <c>[prefix/]&lt;name&gt;.md</c> and <c>[prefix/]&lt;name&gt;.html</c> to a blob container (created when
/// missing), overwriting a report of the same name, with their content types.
/// </summary>
public sealed class BlobDestination : IReportDestination
{
    private readonly BlobContainerClient container;

    /// <param name="container">The container; created on first delivery when missing.</param>
    /// <param name="prefix">A virtual folder inside it, or empty.</param>
    public BlobDestination(BlobContainerClient container, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(container);
        this.container = container;
        Prefix = (prefix ?? string.Empty).Trim('/');
    }

    public string Prefix { get; }

    public string Description => $"blob container {Location}";

    private string Location => container.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + (Prefix.Length == 0 ? string.Empty : "/" + Prefix);

    public async Task<ReportDelivery> DeliverAsync(RenderedReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        RenderedReport.EnsureValidName(report.Name);
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var markdown = await UploadAsync(report.Name + ".md", report.Markdown, "text/markdown; charset=utf-8", cancellationToken).ConfigureAwait(false);
            var html = await UploadAsync(report.Name + ".html", report.Html, "text/html; charset=utf-8", cancellationToken).ConfigureAwait(false);
            return new ReportDelivery(Location, [markdown, html]);
        }
        catch (RequestFailedException ex)
        {
            throw new ReportDeliveryException($"The {Description} refused the report: {ex.Status} {ex.ErrorCode}.", ex.Status, ex);
        }
    }

    private async Task<string> UploadAsync(string fileName, string content, string contentType, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(Prefix.Length == 0 ? fileName : $"{Prefix}/{fileName}");
        await blob.UploadAsync(
            BinaryData.FromString(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
            cancellationToken).ConfigureAwait(false);
        return blob.Uri.GetLeftPart(UriPartial.Path);
    }
}
