using Azure.Storage.Blobs;
using ReflexiveIdentity.Omega.Sharing;
using ReflexiveIdentity.Testing;

namespace ReflexiveIdentity.Omega.Tests;

[Collection(UsesAzuriteBlobs.Name)]
public sealed class BlobDestinationTests(Azurite azurite)
{
    [Fact]
    public async Task DeliverAsync_NewContainerWithPrefix_UploadsMarkdownAndHtmlWithContentTypes()
    {
        var container = NewContainer();
        var destination = ReportDestinations.Parse($"blob:{container}/weekly/ops", new ReportDestinationSettings { BlobConnection = azurite.ConnectionString });
        var report = Reports.Sample();

        var delivery = await destination.DeliverAsync(report, CancellationToken.None);

        var root = $"http://127.0.0.1:{azurite.BlobPort}/devstoreaccount1/{container}";
        Assert.Equal($"{root}/weekly/ops", delivery.Location);
        Assert.Equal([$"{root}/weekly/ops/ops-2026-12-04.md", $"{root}/weekly/ops/ops-2026-12-04.html"], delivery.Items);
        var client = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container);
        var markdown = (await client.GetBlobClient("weekly/ops/ops-2026-12-04.md").DownloadContentAsync()).Value;
        var html = (await client.GetBlobClient("weekly/ops/ops-2026-12-04.html").DownloadContentAsync()).Value;
        Assert.Equal((report.Markdown, "text/markdown; charset=utf-8"), (markdown.Content.ToString(), markdown.Details.ContentType));
        Assert.Equal((report.Html, "text/html; charset=utf-8"), (html.Content.ToString(), html.Details.ContentType));
        await client.DeleteAsync();
    }

    [Fact]
    public async Task DeliverAsync_SameNameTwice_Overwrites()
    {
        var container = NewContainer();
        var destination = ReportDestinations.Parse($"blob:{container}", new ReportDestinationSettings { BlobConnection = azurite.ConnectionString });
        await destination.DeliverAsync(Reports.Sample(), CancellationToken.None);

        var delivery = await destination.DeliverAsync(Reports.Sample() with { Markdown = "second" }, CancellationToken.None);

        var client = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container);
        Assert.Equal("second", (await client.GetBlobClient("ops-2026-12-04.md").DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal($"http://127.0.0.1:{azurite.BlobPort}/devstoreaccount1/{container}", delivery.Location);
        await client.DeleteAsync();
    }

    /// <summary>A container name no other test uses.</summary>
    private static string NewContainer() => "reports-" + Guid.NewGuid().ToString("N")[..16];
}
