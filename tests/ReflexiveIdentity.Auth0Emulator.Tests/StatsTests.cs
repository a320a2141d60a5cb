using System.Net;
using System.Text.Json.Nodes;
using ReflexiveIdentity.Auth0Emulation.Tests.Support;

namespace ReflexiveIdentity.Auth0Emulation.Tests;

public sealed class StatsTests
{
    [Fact]
    public async Task Stats_CountManagementCallsByMethodAndRoute_UntilReset()
    {
        await using var emulator = await EmulatorHost.StartAsync(o => o.Seed = TestSeeds.WithoutActions());
        var token = await emulator.ManagementTokenAsync();

        var before = await emulator.GetJsonAsync("emulator/stats");
        using var a = await emulator.ManagementAsync(HttpMethod.Get, "api/v2/users/auth0%7Cagent_omega", token);
        using var b = await emulator.ManagementAsync(HttpMethod.Get, "api/v2/users/auth0%7Cnobody", token);
        using var c = await emulator.ManagementAsync(HttpMethod.Get, "api/v2/users/auth0%7Cagent_omega", token: null);
        using var d = await emulator.ManagementAsync(HttpMethod.Patch, "api/v2/clients/agent_sigma", token,
            new JsonObject { ["client_metadata"] = new JsonObject { ["trust_score"] = "90" } });
        var after = await emulator.GetJsonAsync("emulator/stats");
        using var reset = await emulator.Http.DeleteAsync(new Uri("emulator/stats", UriKind.Relative));
        var cleared = await emulator.GetJsonAsync("emulator/stats");

        Assert.Equal(0, before["management_api"]!["total"]!.GetValue<long>());
        Assert.Equal(1, before["token_requests"]!["grant_types"]!["client_credentials"]!.GetValue<long>());
        Assert.Equal(4, after["management_api"]!["total"]!.GetValue<long>());
        Assert.Equal(3, after["management_api"]!["calls"]!["GET /api/v2/users/{id}"]!.GetValue<long>());
        Assert.Equal(1, after["management_api"]!["calls"]!["PATCH /api/v2/clients/{id}"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(0, cleared["management_api"]!["total"]!.GetValue<long>());
        Assert.Equal(0, cleared["token_requests"]!["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task State_ShowsTheTenantWithoutSecretsOrRefreshTokens()
    {
        await using var emulator = await EmulatorHost.StartAsync(o => o.Seed = TestSeeds.WithoutActions());

        var state = await emulator.GetJsonAsync("emulator/state");
        var text = state.ToJsonString();

        Assert.Equal(emulator.Issuer, state["issuer"]!.GetValue<string>());
        Assert.Equal(4, state["clients"]!.AsArray().Count);
        Assert.Equal(3, state["client_grants"]!.AsArray().Count);
        Assert.Equal(emulator.ManagementAudience, state["client_grants"]![0]!["audience"]!.GetValue<string>());
        Assert.Equal(3, state["users"]![0]!["permissions"]!.AsArray().Count);
        Assert.DoesNotContain("LOCAL-ONLY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("rt_agent_omega_local", text, StringComparison.Ordinal);
    }
}
