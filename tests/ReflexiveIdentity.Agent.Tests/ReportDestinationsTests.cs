using ReflexiveIdentity.Omega.Sharing;

namespace ReflexiveIdentity.Omega.Tests;

public sealed class ReportDestinationsTests
{
    private const string Azurite = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

    [Theory]
    [InlineData("reports/out", "reports/out")]
    [InlineData("folder:reports/out", "reports/out")]
    [InlineData("FOLDER: /tmp/reports ", "/tmp/reports")]
    [InlineData("C:/reports", "C:/reports")]
    public void Parse_Folder_IsAFolderDestination(string destination, string folder) =>
        Assert.Equal(Path.GetFullPath(folder), Assert.IsType<FolderDestination>(ReportDestinations.Parse(destination)).Folder);

    [Theory]
    [InlineData("https://reports.example.com/ingest?code=abc", "endpoint https://reports.example.com/ingest")]
    [InlineData("http://127.0.0.1:8080/reports", "endpoint http://127.0.0.1:8080/reports")]
    [InlineData("http://localhost:8080/reports", "endpoint http://localhost:8080/reports")]
    [InlineData("http://[::1]:8080/reports", "endpoint http://[::1]:8080/reports")]
    public void Parse_HttpsOrLoopbackHttp_IsAnHttpsDestination(string destination, string description) =>
        Assert.Equal(description, Assert.IsType<HttpsDestination>(ReportDestinations.Parse(destination)).Description);

    [Fact]
    public void Parse_Blob_IsABlobDestinationOnTheConnection()
    {
        var destination = Assert.IsType<BlobDestination>(ReportDestinations.Parse("blob:ops-reports/weekly/", new ReportDestinationSettings { BlobConnection = Azurite }));

        Assert.Equal("blob container http://127.0.0.1:10000/devstoreaccount1/ops-reports/weekly", destination.Description);
    }

    [Theory]
    [InlineData("", "The report destination is empty.")]
    [InlineData("http://reports.example.com/ingest", "Refusing plain http to reports.example.com")]
    [InlineData("https://user:secret@reports.example.com/", "A report endpoint must not carry credentials in the URI")]
    [InlineData("s3://bucket/reports", "Unknown report destination form 's3:'.")]
    [InlineData("ftp:reports", "Unknown report destination form 'ftp:'.")]
    [InlineData("folder:", "folder: needs a path")]
    [InlineData("blob:Reports", "'Reports' is not a blob container name")]
    [InlineData("blob:ab", "'ab' is not a blob container name")]
    [InlineData("blob:reports/../x", "'../x' is not a usable blob prefix")]
    public void Parse_UnusableForm_ThrowsSayingWhy(string destination, string message)
    {
        var error = Assert.Throws<FormatException>(() => ReportDestinations.Parse(destination, new ReportDestinationSettings { BlobConnection = Azurite }));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BlobWithoutConnection_ThrowsNamingWhatIsMissing()
    {
        var error = Assert.Throws<FormatException>(() => ReportDestinations.Parse("blob:reports"));

        Assert.Equal("A blob destination needs a blob connection: a storage connection string or a blob service URI (https://<account>.blob.core.windows.net).", error.Message);
    }

    [Fact]
    public void Parse_BadBlobConnection_ThrowsWithoutRepeatingIt()
    {
        var error = Assert.Throws<FormatException>(() => ReportDestinations.Parse("blob:reports", new ReportDestinationSettings { BlobConnection = "AccountKey=s3cr3t" }));

        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }
}
