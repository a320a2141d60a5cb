using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReflexiveIdentity.Auth0Emulation.Tests.Support;

/// <summary>
/// A loopback stand-in for <c>POST /api/v1/elevations</c> that checks the Action's HMAC signature and
/// answers whatever the test tells it to (allow, deny or block).
/// </summary>
internal sealed class WebhookStub : IAsyncDisposable
{
    public const string Secret = "test-webhook-secret";

    private readonly WebApplication _app;
    private readonly Func<JsonObject, JsonObject> _decide;

    private WebhookStub(WebApplication app, Func<JsonObject, JsonObject> decide)
    {
        _app = app;
        _decide = decide;
    }

    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    public string Url => _app.Urls.First().TrimEnd('/') + "/api/v1/elevations";

    public static async Task<WebhookStub> StartAsync(Func<JsonObject, JsonObject> decide)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new WebhookStub(app, decide);
        app.MapPost("/api/v1/elevations", stub.HandleAsync);
        await app.StartAsync();
        return stub;
    }

    public static JsonObject Allow(params string[] scopes) => new()
    {
        ["decision"] = "allow",
        ["grant_id"] = "grt_test",
        ["granted_scopes"] = new JsonArray([.. scopes.Select(s => (JsonNode?)s)]),
        ["expires_at"] = DateTimeOffset.UtcNow.AddMinutes(10).ToString("O"),
    };

    public static JsonObject Decision(string decision) => new() { ["decision"] = decision };

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync();
        var timestamp = request.Headers["X-Reflexive-Timestamp"].ToString();
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}.{raw}")));
        if (request.Headers["X-Reflexive-Signature"].ToString() != expected)
        {
            return Results.Json(new JsonObject { ["code"] = "bad_signature" }, statusCode: 401);
        }

        var body = (JsonObject)JsonNode.Parse(raw)!;
        Requests.Enqueue(body);
        return Results.Text(_decide(body).ToJsonString(), "application/json");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
