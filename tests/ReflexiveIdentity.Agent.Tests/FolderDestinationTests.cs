using ReflexiveIdentity.Omega.Sharing;

namespace ReflexiveIdentity.Omega.Tests;

public sealed class FolderDestinationTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task DeliverAsync_MissingFolder_CreatesItAndWritesMarkdownAndHtml()
    {
        var folder = temp.File("out/nested");
        var report = Reports.Sample();

        var delivery = await new FolderDestination(folder).DeliverAsync(report, CancellationToken.None);

        Assert.Equal(folder, delivery.Location);
        Assert.Equal([Path.Combine(folder, "ops-2026-12-04.md"), Path.Combine(folder, "ops-2026-12-04.html")], delivery.Items);
        Assert.Equal(report.Markdown, await File.ReadAllTextAsync(delivery.Items[0]));
        Assert.Equal(report.Html, await File.ReadAllTextAsync(delivery.Items[1]));
        Assert.Equal(["ops-2026-12-04.html", "ops-2026-12-04.md"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeliverAsync_SameNameTwice_ReplacesTheReport()
    {
        var destination = new FolderDestination(temp.Path);
        await destination.DeliverAsync(Reports.Sample(), CancellationToken.None);

        var delivery = await destination.DeliverAsync(Reports.Sample() with { Markdown = "second" }, CancellationToken.None);

        Assert.Equal("second", await File.ReadAllTextAsync(delivery.Items[0]));
    }

    [Fact]
    public async Task DeliverAsync_NameWithPath_IsRefusedAndNothingIsWritten()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new FolderDestination(temp.Path).DeliverAsync(Reports.Sample("../escape"), CancellationToken.None));

        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(temp.Path)!, "escape.md")));
    }
}
