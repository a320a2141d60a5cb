using ReflexiveIdentity.Omega.Sharing;

namespace ReflexiveIdentity.Omega.Tests;

public sealed class HttpsDestinationTests : IAsyncLifetime
{
    private ReportEndpoint endpoint = null!;

    public async Task InitializeAsync() => endpoint = await ReportEndpoint.StartAsync();

    public async Task DisposeAsync() => await endpoint.DisposeAsync();

    [Fact]
    public async Task DeliverAsync_LoopbackEndpoint_PostsTheReportAsJsonWithTheBearerToken()
    {
        var destination = ReportDestinations.Parse(endpoint.Url.ToString(), new ReportDestinationSettings { HttpsHeader = ReportRequestHeader.Bearer("t0ken") });
        var report = Reports.Sample();

        var delivery = await destination.DeliverAsync(report, CancellationToken.None);

        Assert.Equal(new Uri(endpoint.Url, "/reports/42").ToString(), delivery.Location);
        Assert.Equal("Bearer t0ken", endpoint.Authorization);
        Assert.Equal("application/json; charset=utf-8", endpoint.ContentType);
        var body = endpoint.Body!.Value;
        Assert.Equal(["name", "markdown", "html", "generated_at"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(report.Name, body.GetProperty("name").GetString());
        Assert.Equal(report.Markdown, body.GetProperty("markdown").GetString());
        Assert.Equal(report.Html, body.GetProperty("html").GetString());
        Assert.Equal(report.GeneratedAt, body.GetProperty("generated_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task DeliverAsync_EndpointAnswers503_ThrowsWithTheStatus()
    {
        endpoint.Status = 503;
        var destination = new HttpsDestination(endpoint.Url);

        var error = await Assert.ThrowsAsync<ReportDeliveryException>(() => destination.DeliverAsync(Reports.Sample(), CancellationToken.None));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal($"The endpoint {endpoint.Url} refused the report: 503 Service Unavailable.", error.Message);
    }

    [Fact]
    public async Task DeliverAsync_NothingListening_ThrowsDeliveryError()
    {
        var url = endpoint.Url;
        await endpoint.DisposeAsync();

        var error = await Assert.ThrowsAsync<ReportDeliveryException>(() => new HttpsDestination(url).DeliverAsync(Reports.Sample(), CancellationToken.None));

        Assert.Null(error.StatusCode);
        Assert.StartsWith($"Could not reach endpoint {url}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_ToString_HidesTheValue() =>
        Assert.Equal("Authorization: (hidden)", ReportRequestHeader.Bearer("t0ken").ToString());
}
