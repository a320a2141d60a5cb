using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ReflexiveIdentity.Auth0Emulation.Tests.Support;

namespace ReflexiveIdentity.Auth0Emulation.Tests;

public sealed class FaultModeTests
{
    private const string Omega = "api/v2/users/auth0%7Cagent_omega";
    private const int Calls = 200;

    private static Task<EmulatorHost> StartAsync(FaultSettings? faults = null) => EmulatorHost.StartAsync(o =>
    {
        o.Seed = TestSeeds.WithoutActions();
        o.RateLimit = new ManagementRateLimit { Capacity = 10_000, RefillPerSecond = 1000 };
        o.Faults = faults ?? FaultSettings.None;
    });

    private static async Task<List<int>> CallAsync(EmulatorHost emulator, string token, int count)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var response = await emulator.ManagementAsync(HttpMethod.Get, Omega, token);
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }

    [Fact]
    public async Task FaultMode_SetAtStart_GivesRoughlyTheConfiguredSharesOf429And5xx()
    {
        await using var emulator = await StartAsync(new FaultSettings { Rate429 = 0.3, Rate5xx = 0.1, Seed = 1 });
        var token = await emulator.ManagementTokenAsync();

        var statuses = await CallAsync(emulator, token, Calls);

        Assert.InRange(statuses.Count(s => s == 429), 40, 80);
        Assert.InRange(statuses.Count(s => s is 500 or 503), 8, 32);
        Assert.Contains(500, statuses);
        Assert.Contains(503, statuses);
        Assert.Equal(Calls, statuses.Count(s => s is 200 or 429 or 500 or 503));
    }

    [Fact]
    public async Task FaultMode_SameSeedSetAtRunTime_ReplaysTheSameSequence()
    {
        await using var emulator = await StartAsync();
        var token = await emulator.ManagementTokenAsync();
        var faults = new JsonObject { ["rate_429"] = 0.3, ["rate_5xx"] = 0.1, ["latency_ms"] = 0, ["seed"] = 7 };

        using var first = await emulator.Http.PostAsJsonAsync("emulator/faults", faults);
        var run1 = await CallAsync(emulator, token, 50);
        using var second = await emulator.Http.PostAsJsonAsync("emulator/faults", faults);
        var run2 = await CallAsync(emulator, token, 50);
        using var cleared = await emulator.Http.DeleteAsync(new Uri("emulator/faults", UriKind.Relative));
        var run3 = await CallAsync(emulator, token, 20);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(run1, run2);
        Assert.Contains(429, run1);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.All(run3, s => Assert.Equal(200, s));
    }

    [Fact]
    public async Task FaultMode_OnlyManagementApi_TokenAndDiscoveryUnaffected()
    {
        await using var emulator = await StartAsync(new FaultSettings { Rate5xx = 1 });

        var token = await emulator.ManagementTokenAsync();
        using var jwks = await emulator.Http.GetAsync(new Uri(".well-known/jwks.json", UriKind.Relative));
        using var management = await emulator.ManagementAsync(HttpMethod.Get, Omega, token);
        var body = await EmulatorHost.ReadJsonAsync(management);

        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        Assert.True((int)management.StatusCode is 500 or 503);
        Assert.Equal((int)management.StatusCode, body["statusCode"]!.GetValue<int>());
        Assert.True(management.Headers.Contains("x-ratelimit-remaining"));
    }

    [Fact]
    public async Task FaultMode_Latency_DelaysEveryManagementCall()
    {
        await using var emulator = await StartAsync(new FaultSettings { Latency = TimeSpan.FromMilliseconds(150) });
        var token = await emulator.ManagementTokenAsync();

        var watch = Stopwatch.StartNew();
        using var response = await emulator.ManagementAsync(HttpMethod.Get, Omega, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(140), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task FaultMode_InvalidSettings_Returns400AndKeepsTheOldOnes()
    {
        await using var emulator = await StartAsync();

        using var response = await emulator.Http.PostAsJsonAsync("emulator/faults", new JsonObject { ["rate_429"] = 0.8, ["rate_5xx"] = 0.5 });
        var current = await emulator.GetJsonAsync("emulator/faults");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, current["rate_429"]!.GetValue<double>());
    }
}
