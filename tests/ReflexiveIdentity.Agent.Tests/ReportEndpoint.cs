using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReflexiveIdentity.Omega.Tests;

/// <summary>A report endpoint on loopback Kestrel: answers POST /reports with the status it is told and keeps what it received.</summary>
internal sealed class ReportEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;

    private ReportEndpoint(WebApplication app) => this.app = app;

    public int Status { get; set; } = StatusCodes.Status201Created;

    public JsonElement? Body { get; private set; }

    public string? Authorization { get; private set; }

    public string? ContentType { get; private set; }

    public Uri Url => new(app.Urls.First() + "/reports");

    public static async Task<ReportEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new ReportEndpoint(app);
        app.MapPost("/reports", async (HttpContext context) =>
        {
            endpoint.Authorization = context.Request.Headers.Authorization.ToString();
            endpoint.ContentType = context.Request.ContentType;
            endpoint.Body = (await JsonDocument.ParseAsync(context.Request.Body)).RootElement.Clone();
            context.Response.StatusCode = endpoint.Status;
            if (endpoint.Status == StatusCodes.Status201Created)
            {
                context.Response.Headers.Location = "/reports/42";
            }
        });
        await app.StartAsync();
        return endpoint;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
