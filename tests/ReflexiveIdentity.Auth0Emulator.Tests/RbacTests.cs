using System.Net;
using System.Text.Json.Nodes;
using ReflexiveIdentity.Auth0Emulation.Tests.Support;

namespace ReflexiveIdentity.Auth0Emulation.Tests;

/// <summary>Without Actions: the refresh-token grant's scopes are the requested ones the user holds.</summary>
public sealed class RbacTests
{
    [Fact]
    public async Task RefreshToken_UserLacksPermission_ScopeIsRequestedIntersectPermissions()
    {
        await using var emulator = await EmulatorHost.StartAsync(o => o.Seed = TestSeeds.WithoutActions(json =>
            json["users"]![0]!["permissions"]!.AsArray().RemoveAt(2)));

        using var response = await emulator.RefreshAsync("read.dataset share.output openid unknown.scope");
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("read.dataset openid", body["scope"]!.GetValue<string>());
        Assert.NotNull(body["id_token"]);
    }

    [Fact]
    public async Task RefreshToken_PermissionRemovedThroughManagementApi_NextTokenLacksIt()
    {
        await using var emulator = await EmulatorHost.StartAsync(o => o.Seed = TestSeeds.WithoutActions());
        var management = await emulator.ManagementTokenAsync();

        using var removed = await emulator.ManagementAsync(HttpMethod.Delete, "api/v2/users/auth0%7Cagent_omega/permissions", management, new JsonObject
        {
            ["permissions"] = new JsonArray(new JsonObject { ["resource_server_identifier"] = EmulatorHost.AgentsApi, ["permission_name"] = "share.output" }),
        });
        using var response = await emulator.RefreshAsync("read.dataset generate.report share.output");
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal("read.dataset generate.report", body["scope"]!.GetValue<string>());
    }
}
