using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ReflexiveIdentity.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser against the CLI host and the local Auth0 tenant: agent_omega elevated
/// through the real post-login Action, then drifting until the immune response quarantines it.
/// </summary>
public sealed class DashboardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string GoodRationale = """{"intent":"Generate operational report","reason":"Weekly ops review needs error rates per service","confidence":0.91}""";
    private const string ShareRationale = """{"intent":"Generate and share the operational report","reason":"Deliver the weekly ops review to the on-call channel","confidence":0.93}""";
    private const string UnsureRationale = """{"intent":"Generate operational report","reason":"Weekly ops review needs error rates per service","confidence":0.2}""";

    private ServiceHost host = null!;
    private IBrowserContext context = null!;
    private IPage page = null!;
    private readonly List<string> errors = [];

    public async Task InitializeAsync()
    {
        host = await ServiceHost.StartAsync(manageAuth0: true);
        context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page = await context.NewPageAsync();

        // A script error or a refused resource (the page runs under a strict CSP) is a failure too.
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Dashboard_ElevatedThenQuarantined_RingsFollowAgentOmegasScopes()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.Tenant.AgentTokenAsync("openid read.dataset generate.report", UnsureRationale)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Tenant.AgentTokenAsync("openid read.dataset generate.report", GoodRationale)).StatusCode);
        await StagesAsync();
        await host.WhenIntegrityIdleAsync();

        await page.GotoAsync($"{host.Client.BaseAddress}api/dashboard#token={await host.Tenant.OperatorTokenAsync()}");

        var agent = page.Locator("article[data-agent-id='agent_omega']");
        await Expect(agent.Locator("[data-role='status']")).ToHaveTextAsync("active");
        await Expect(Ring(agent, "read.dataset")).ToHaveAttributeAsync("data-state", "held");
        await Expect(Ring(agent, "generate.report")).ToHaveAttributeAsync("data-state", "held");
        await Expect(Ring(agent, "share.output")).ToHaveAttributeAsync("data-state", "not_held");
        await Expect(Ring(agent, "generate.report")).ToHaveAttributeAsync("data-critical", "true");
        await Expect(agent.Locator(".ring")).ToHaveCountAsync(3);
        await Expect(agent.Locator("[data-role='core']")).ToHaveAttributeAsync("data-core", "pulsing");
        await Expect(agent.Locator("[data-role='grants'] li[data-grant-id]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#timeline li[data-kind='elevation_decided'][data-decision='deny'] .reason-code")).ToHaveTextAsync("confidence_below_threshold");
        await Expect(page.Locator("#timeline li[data-kind='elevation_decided'][data-decision='allow'] .reason-code")).ToHaveTextAsync("policy_satisfied");
        Assert.DoesNotContain("token=", page.Url, StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("agent-omega-elevated.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });

        await DriftAsync();
        await host.WhenIntegrityIdleAsync();

        await Expect(agent.Locator("[data-role='status']")).ToHaveTextAsync("quarantined");
        await Expect(Ring(agent, "generate.report")).ToHaveAttributeAsync("data-state", "revoked");
        await Expect(Ring(agent, "share.output")).ToHaveAttributeAsync("data-state", "revoked");
        await Expect(Ring(agent, "generate.report").Locator(".ring-arc")).ToHaveCSSAsync("opacity", "0");
        await Expect(Ring(agent, "share.output").Locator(".ring-arc")).ToHaveCSSAsync("opacity", "0");
        await Expect(Ring(agent, "read.dataset")).ToHaveAttributeAsync("data-state", "held");
        await Expect(Ring(agent, "read.dataset").Locator(".ring-arc")).ToHaveCSSAsync("opacity", "1");
        await Expect(agent.Locator("[data-role='core']")).ToHaveAttributeAsync("data-core", "dormant");
        await Expect(agent.Locator("[data-role='core']")).ToHaveAttributeAsync("data-trend", "falling");
        await Expect(agent.Locator("[data-role='grants'] li[data-grant-id]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#timeline li[data-kind='agent_quarantined'] .reason-code").First).ToHaveTextAsync("trust_below_threshold");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("agent-omega-quarantined.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task Dashboard_ScopeGrantedWhileWatching_ItsRingAppears()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.Tenant.AgentTokenAsync("openid read.dataset generate.report", GoodRationale)).StatusCode);
        await host.WhenIntegrityIdleAsync();
        await page.GotoAsync($"{host.Client.BaseAddress}api/dashboard#token={await host.Tenant.OperatorTokenAsync()}");
        var agent = page.Locator("article[data-agent-id='agent_omega']");
        await Expect(Ring(agent, "share.output")).ToHaveAttributeAsync("data-state", "not_held");
        await Expect(Ring(agent, "share.output").Locator(".ring-arc")).ToHaveCSSAsync("opacity", "0.12");

        var shared = await host.Tenant.AgentTokenAsync("openid read.dataset generate.report share.output", ShareRationale);

        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
        await Expect(Ring(agent, "share.output")).ToHaveAttributeAsync("data-state", "held");
        await Expect(Ring(agent, "share.output").Locator(".ring-arc")).ToHaveCSSAsync("opacity", "1");
        await Expect(agent.Locator("[data-role='scopes'] li[data-scope='share.output'] .scope-state")).ToHaveTextAsync("held (grant)");
        await Expect(agent.Locator("[data-role='grants'] li[data-grant-id]")).ToHaveCountAsync(2);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task Dashboard_WithoutToken_ShowsTheTokenPromptAndTheDataRouteIs401()
    {
        await page.GotoAsync($"{host.Client.BaseAddress}api/dashboard");

        await Expect(page.Locator("#token-prompt")).ToBeVisibleAsync();
        await Expect(page.Locator("#board")).ToBeHiddenAsync();
        await Expect(page.Locator("#token-input")).ToBeFocusedAsync();
        var data = await page.APIRequest.GetAsync($"{host.Client.BaseAddress}api/v1/dashboard");
        Assert.Equal(401, data.Status);
        Assert.Equal("application/problem+json; charset=utf-8", data.Headers["content-type"]);
        Assert.Equal("token_missing", (await data.JsonAsync())!.Value.GetProperty("code").GetString());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("token-prompt.png") });
    }

    [Fact]
    public async Task TokenForm_RefusedThenValidToken_ExplainsThenShowsTheBoard()
    {
        await page.GotoAsync($"{host.Client.BaseAddress}api/dashboard");

        await page.Locator("#token-input").FillAsync("not-a-token");
        await page.Locator("#token-form button[type='submit']").ClickAsync();
        await Expect(page.Locator("#auth-message")).ToContainTextAsync("The token was refused");
        await Expect(page.Locator("#auth-message")).ToContainTextAsync("token_invalid");

        await page.Locator("#token-input").FillAsync(await host.Tenant.OperatorTokenAsync());
        await page.Locator("#token-form button[type='submit']").ClickAsync();

        await Expect(page.Locator("#board")).ToBeVisibleAsync();
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
        await Expect(page.Locator("#no-agents")).ToBeVisibleAsync();
    }

    private static ILocator Ring(ILocator agent, string scope) => agent.Locator($"[data-role='core'] .ring[data-scope='{scope}']");

    private static string Artifact(string name) => Path.Combine(BrowserFixture.ArtifactsDirectory, name);

    /// <summary>A normal run of agent_omega's first two stages.</summary>
    private async Task StagesAsync()
    {
        var now = DateTimeOffset.UtcNow;
        await PostAsync("events", $$"""{"kind":"stage_started","scope":"read.dataset","at":"{{Iso(now.AddSeconds(-8))}}"}""");
        await PostAsync("events", $$"""{"kind":"stage_completed","scope":"read.dataset","outcome":"success","at":"{{Iso(now.AddSeconds(-6))}}"}""");
        await PostAsync("events", $$"""{"kind":"stage_started","scope":"generate.report","at":"{{Iso(now.AddSeconds(-4))}}"}""");
    }

    /// <summary>A retry storm, stages out of order and a peer warning: the drift that costs agent_omega its critical scopes.</summary>
    private async Task DriftAsync()
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 20; i++)
        {
            await PostAsync("events", $$"""{"kind":"retry","at":"{{Iso(now.AddSeconds(-60 + i))}}","detail":{"of":"generate.report"} }""");
        }

        await PostAsync("events", $$"""{"kind":"stage_started","scope":"share.output","at":"{{Iso(now.AddSeconds(-30))}}"}""");
        await PostAsync("events", $$"""{"kind":"stage_started","scope":"read.dataset","at":"{{Iso(now.AddSeconds(-29))}}"}""");
        await PostAsync("events", $$"""{"kind":"stage_started","scope":"share.output","at":"{{Iso(now.AddSeconds(-28))}}"}""");
        await PostAsync("signals", """{"source":"peer-consensus","kind":"compromise_suspected","severity":0.9,"detail":"3 of 4 peer agents flagged output drift"}""");
        await PostAsync("signals", """{"source":"monitoring","kind":"exfiltration_pattern","severity":0.8,"detail":"outbound volume 6x the agent's baseline"}""");
    }

    private async Task PostAsync(string route, string body)
    {
        using var response = await host.PostSignedToAsync($"/api/v1/agents/agent_omega/{route}", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
