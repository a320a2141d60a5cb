using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using ReflexiveIdentity.Auth0Emulation.Tests.Support;

namespace ReflexiveIdentity.Auth0Emulation.Tests;

public sealed class RateLimitTests
{
    private const string Omega = "api/v2/users/auth0%7Cagent_omega";

    private static long Header(HttpResponseMessage response, string name) =>
        long.Parse(response.Headers.GetValues(name).Single(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task ManagementApi_PastTheBucket_Returns429WithRetryAfterUntilTimeRefillsIt()
    {
        // A whole second, so the reset times (rounded up to seconds) are exact.
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(start));
        await using var emulator = await EmulatorHost.StartAsync(o =>
        {
            o.Seed = TestSeeds.WithoutActions();
            o.TimeProvider = time;
            o.RateLimit = new ManagementRateLimit { Capacity = 3, RefillPerSecond = 1 };
        });
        var token = await emulator.ManagementTokenAsync();

        var remaining = new List<long>();
        var resets = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await emulator.ManagementAsync(HttpMethod.Get, Omega, token);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(3, Header(ok, "x-ratelimit-limit"));
            resets.Add(Header(ok, "x-ratelimit-reset"));
            remaining.Add(Header(ok, "x-ratelimit-remaining"));
        }

        using var limited = await emulator.ManagementAsync(HttpMethod.Get, Omega, token);
        var body = await limited.Content.ReadAsStringAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        using var refilled = await emulator.ManagementAsync(HttpMethod.Get, Omega, token);

        Assert.Equal([2, 1, 0], remaining);
        Assert.Equal([start + 1, start + 2, start + 3], resets);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("""{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}""", body);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(0, Header(limited, "x-ratelimit-remaining"));
        Assert.Equal(start + 3, Header(limited, "x-ratelimit-reset"));
        Assert.Equal(HttpStatusCode.OK, refilled.StatusCode);
    }

    [Fact]
    public async Task TokenEndpoint_IsNotRateLimited()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorHost.StartAsync(o =>
        {
            o.Seed = TestSeeds.WithoutActions();
            o.TimeProvider = time;
            o.RateLimit = new ManagementRateLimit { Capacity = 1, RefillPerSecond = 1 };
        });

        for (var i = 0; i < 3; i++)
        {
            await emulator.ManagementTokenAsync();
        }
    }
}
