using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ReflexiveIdentity.Cli.Tests;

/// <summary>The dashboard's routes on the CLI host: the page and its assets, and the admin snapshot they poll.</summary>
public sealed class DashboardRouteTests : IAsyncLifetime
{
    private const string Elevation = """
        {"agent_id":"agent_omega","principal":{"type":"user","id":"auth0|agent_omega"},"requested_scopes":["generate.report"],
         "rationale":{"intent":"Generate operational report","reason":"Weekly ops review needs error rates per service","confidence":0.91}}
        """;

    private ServiceHost host = null!;

    public async Task InitializeAsync() => host = await ServiceHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Snapshot_WithoutToken_Is401ProblemAndRecorded()
    {
        using var response = await host.GetAdminAsync("/api/v1/dashboard", token: string.Empty);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("token_missing", (await Json(response))["code"]!.GetValue<string>());
        Assert.Contains(await host.EntriesAsync(), e => e.Kind == "request_rejected" && e.Payload.Contains("GET /api/v1/dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Snapshot_AfterAnAllowedElevation_ShowsScopesGrantHistoryAndTimeline()
    {
        var decision = await Json(await host.PostSignedAsync(Elevation));
        var grantId = decision["grant_id"]!.GetValue<string>();

        using var response = await host.GetAdminAsync("/api/v1/dashboard");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var snapshot = await Json(response);
        Assert.Equal(70, snapshot["trust_threshold"]!.GetValue<double>());
        var agent = Assert.Single(snapshot["agents"]!.AsArray())!;
        Assert.Equal("agent_omega", agent["agent_id"]!.GetValue<string>());
        Assert.Equal("active", agent["status"]!.GetValue<string>());
        Assert.Equal(100, agent["trust_score"]!.GetValue<double>());
        Assert.Equal(
            ["read.dataset:held:baseline:", "generate.report:held:critical:" + grantId, "share.output:not_held:critical:"],
            agent["scopes"]!.AsArray().Select(Describe));
        Assert.Equal(grantId, Assert.Single(agent["active_grants"]!.AsArray())!["grant_id"]!.GetValue<string>());
        Assert.Equal(100, agent["trust_history"]![0]!["trust_score"]!.GetValue<double>());
        var decided = Assert.Single(snapshot["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "elevation_decided")!;
        Assert.Equal("allow", decided["decision"]!.GetValue<string>());
        Assert.Equal(["policy_satisfied"], decided["reason_codes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("agent_omega", decided["agent_id"]!.GetValue<string>());
        Assert.Equal("allow: granted generate.report", decided["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Snapshot_AfterQuarantine_CriticalScopesAreRevokedAndTheQuarantineIsOnTheTimeline()
    {
        await host.PostSignedAsync(Elevation);
        await host.WhenIntegrityIdleAsync();
        for (var i = 0; i < 2; i++)
        {
            using var signal = await host.PostSignedToAsync("/api/v1/agents/agent_omega/signals", """{"source":"peer-consensus","kind":"compromise_suspected","severity":1.0,"detail":"peers flagged output drift"}""");
            Assert.Equal(HttpStatusCode.Accepted, signal.StatusCode);
        }

        await host.WhenIntegrityIdleAsync();

        var snapshot = await Json(await host.GetAdminAsync("/api/v1/dashboard"));
        var agent = Assert.Single(snapshot["agents"]!.AsArray())!;
        Assert.Equal("quarantined", agent["status"]!.GetValue<string>());
        Assert.Equal(
            ["read.dataset:held:baseline:", "generate.report:revoked:critical:", "share.output:revoked:critical:"],
            agent["scopes"]!.AsArray().Select(Describe));
        Assert.Empty(agent["active_grants"]!.AsArray());
        // Each signal may or may not be assessed on its own before the next arrives: the path is 100, (80,) 60.
        var history = agent["trust_history"]!.AsArray().Select(p => p!["trust_score"]!.GetValue<double>()).ToList();
        Assert.Equal(100, history[0]);
        Assert.Equal(60, history[^1]);
        Assert.Equal(history.OrderDescending(), history);
        var timeline = snapshot["timeline"]!.AsArray();
        var quarantine = Assert.Single(timeline, e => e!["kind"]!.GetValue<string>() == "agent_quarantined")!;
        Assert.Equal(["trust_below_threshold", "external_signals"], quarantine["reason_codes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Contains(timeline, e => e!["kind"]!.GetValue<string>() == "grant_revoked");
        var times = timeline.Select(e => DateTimeOffset.Parse(e!["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task Page_IsHtmlWithAStrictContentSecurityPolicyAndRevalidates()
    {
        using var page = await host.Client.GetAsync("/api/dashboard");
        using var repeat = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard");
        repeat.Headers.IfNoneMatch.Add(page.Headers.ETag!);
        using var notModified = await host.Client.SendAsync(repeat);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", page.Headers.CacheControl!.ToString());
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("id=\"token-prompt\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Theory]
    [InlineData("dashboard.js", "text/javascript")]
    [InlineData("dashboard.css", "text/css")]
    public async Task Asset_Known_IsServedWithItsContentType(string asset, string mediaType)
    {
        using var response = await host.Client.GetAsync($"/api/dashboard/{asset}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("dashboard.html")]
    [InlineData("secrets.json")]
    public async Task Asset_Unknown_Is404Problem(string asset)
    {
        using var response = await host.Client.GetAsync($"/api/dashboard/{asset}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("asset_not_found", (await Json(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Page_WithTrailingSlash_RedirectsToThePage()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = host.Client.BaseAddress };

        using var response = await client.GetAsync("/api/dashboard/");

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal("/api/dashboard", response.Headers.Location!.OriginalString);
    }

    private static string Describe(JsonNode? scope) =>
        $"{scope!["scope"]!.GetValue<string>()}:{scope["state"]!.GetValue<string>()}:{(scope["critical"]!.GetValue<bool>() ? "critical" : scope["baseline"]!.GetValue<bool>() ? "baseline" : "elevated")}:{scope["grant_id"]?.GetValue<string>()}";

    private static async Task<JsonObject> Json(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonObject>())!;
}
