using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Integrity;

namespace ReflexiveIdentity.EndToEnd.Tests;

/// <summary>
/// The immune system end to end: an agent that retries a failing stage in a loop, runs stages out of
/// order, reasons inconsistently and is flagged by its peers falls below 70, is quarantined in the local
/// Auth0 tenant by the immediate response, and its next token request is refused.
/// </summary>
public sealed class ImmuneLoopTests : IAsyncLifetime
{
    private const string GoodRationale = """{"intent":"Generate operational report","reason":"Weekly ops review needs error rates per service","confidence":0.91}""";
    private ServiceHost host = null!;

    public async Task InitializeAsync() => host = await ServiceHost.StartAsync(manageAuth0: true);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task DriftingAgent_IsQuarantinedInAuth0AndItsNextTokenIsRefused()
    {
        var first = await host.Tenant.AgentTokenAsync("read.dataset generate.report", GoodRationale);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await host.WhenIntegrityIdleAsync();

        await DriftAsync();
        await host.WhenIntegrityIdleAsync();

        var agent = await Json(await host.GetAdminAsync("/api/v1/agents/agent_omega"));
        Assert.Equal("quarantined", agent["status"]!.GetValue<string>());
        Assert.True(agent["trust_score"]!.GetValue<double>() < 70, agent.ToJsonString());
        Assert.Equal(["generate.report", "share.output"], agent["revoked_scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Empty(agent["active_grants"]!.AsArray());
        var components = agent["components"]!.AsArray().Where(c => c!["penalty"]!.GetValue<double>() > 0).Select(c => c!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("repetitive_retries", components);
        Assert.Contains("unexpected_command_sequences", components);
        Assert.Contains("external_signals", components);

        var user = await ManagementGetAsync("api/v2/users/auth0%7Cagent_omega");
        Assert.Equal("quarantined", user["app_metadata"]!["status"]!.GetValue<string>());
        Assert.True(user["app_metadata"]!["trust_score"]!.GetValue<double>() < 70);
        var permissions = (await ManagementGetArrayAsync("api/v2/users/auth0%7Cagent_omega/permissions")).Select(p => p!["permission_name"]!.GetValue<string>()).ToList();
        Assert.Equal(["read.dataset"], permissions);

        var refused = await host.Tenant.AgentTokenAsync("read.dataset generate.report", GoodRationale);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Integrity check failed.", (await Json(refused))["error_description"]!.GetValue<string>());

        var decision = await Json(await host.PostSignedAsync(Body()));
        Assert.Equal("block", decision["decision"]!.GetValue<string>());
        Assert.Contains(decision["reasons"]![0]!["code"]!.GetValue<string>(), new[] { "agent_quarantined", "trust_below_threshold" });

        var restore = await host.PostAdminAsync("/api/v1/agents/agent_omega/restore", """{"reason":"reviewed the retry storm"}""");
        Assert.Equal(HttpStatusCode.Conflict, restore.StatusCode);
        Assert.Equal("score_below_restore_at", (await Json(restore))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task SweepWithNothingNew_MakesNoManagementApiCall()
    {
        await host.Tenant.AgentTokenAsync("read.dataset generate.report", GoodRationale);
        await host.WhenIntegrityIdleAsync();
        var sweep = host.Services.GetRequiredService<IntegritySweep>();
        var firstSweep = await sweep.RunAsync(CancellationToken.None);
        Assert.True(firstSweep.DirectoryConnected);

        await host.Tenant.Client.DeleteAsync("emulator/stats");
        var second = await sweep.RunAsync(CancellationToken.None);

        Assert.Equal(0, second.DirectoryCalls);
        Assert.Empty(second.Responses);
        var stats = await Json(await host.Tenant.Client.GetAsync("emulator/stats"));
        var calls = stats["management_api"]?["calls"]?.AsObject();
        Assert.True(calls is null || calls.Count == 0, stats.ToJsonString());
    }

    [Fact]
    public async Task Sweep_AfterDriftWithFaultyManagementApi_StillQuarantinesExactlyOnce()
    {
        await host.Tenant.AgentTokenAsync("read.dataset generate.report", GoodRationale);
        await host.WhenIntegrityIdleAsync();
        await host.Tenant.Client.PostAsJsonAsync("emulator/faults", new { rate_429 = 0.3, rate_5xx = 0.2, seed = 7 });

        await DriftAsync();
        await host.WhenIntegrityIdleAsync();
        var report = await host.Services.GetRequiredService<IntegritySweep>().RunAsync(CancellationToken.None);
        await host.Tenant.Client.DeleteAsync("emulator/faults");

        Assert.Empty(report.BrokenChains);
        var permissions = (await ManagementGetArrayAsync("api/v2/users/auth0%7Cagent_omega/permissions")).Select(p => p!["permission_name"]!.GetValue<string>()).ToList();
        Assert.Equal(["read.dataset"], permissions);
        var quarantines = (await host.EntriesAsync()).Count(e => e.Kind == "agent_quarantined");
        Assert.Equal(1, quarantines);
    }

    private async Task DriftAsync()
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 20; i++)
        {
            await Post("events", $$"""{"kind":"retry","at":"{{Iso(now.AddSeconds(-60 + i))}}","detail":{"of":"generate.report"} }""");
            await Post("events", $$"""{"kind":"stage_failed","scope":"generate.report","outcome":"failure","at":"{{Iso(now.AddSeconds(-60 + i))}}"}""");
        }

        await Post("events", $$"""{"kind":"stage_started","scope":"share.output","at":"{{Iso(now.AddSeconds(-30))}}"}""");
        await Post("events", $$"""{"kind":"stage_started","scope":"generate.report","at":"{{Iso(now.AddSeconds(-29))}}"}""");
        await Post("events", $$"""{"kind":"stage_started","scope":"share.output","at":"{{Iso(now.AddSeconds(-28))}}"}""");
        await Post("events", $$"""{"kind":"stage_started","scope":"read.dataset","at":"{{Iso(now.AddSeconds(-27))}}"}""");
        await Post("events", $$"""{"kind":"stage_started","scope":"share.output","at":"{{Iso(now.AddSeconds(-26))}}"}""");
        for (var i = 0; i < 3; i++)
        {
            await host.PostSignedAsync(Body(reason: "need it", confidence: 0.97));
        }

        await Post("signals", """{"source":"peer-consensus","kind":"compromise_suspected","severity":0.9,"detail":"3 of 4 peer agents flagged output drift"}""");
    }

    private async Task Post(string route, string body)
    {
        var response = await host.PostSignedToAsync($"/api/v1/agents/agent_omega/{route}", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonObject> ManagementGetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", await host.Tenant.ManagementTokenAsync());
        return (await (await host.Tenant.Client.SendAsync(request)).Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<JsonArray> ManagementGetArrayAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", await host.Tenant.ManagementTokenAsync());
        return (await (await host.Tenant.Client.SendAsync(request)).Content.ReadFromJsonAsync<JsonArray>())!;
    }

    private static string Body(string reason = "Weekly ops review needs error rates per service", double confidence = 0.91) => $$"""
        {"agent_id":"agent_omega","principal":{"type":"user","id":"auth0|agent_omega"},"requested_scopes":["generate.report","share.output"],
         "rationale":{"intent":"Generate and share the report","reason":"{{reason}}","confidence":{{confidence.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } }
        """;

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<JsonObject> Json(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonObject>())!;
}
