using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Adapters.Auth0;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>Every intent method of the Management client against the local Auth0 tenant, results read back from the tenant's state.</summary>
public sealed class ManagementApiClientTests : IAsyncLifetime
{
    private const string Omega = EmulatorTenant.OmegaUserId;
    private const string Sigma = EmulatorTenant.SigmaClientId;
    private const string AgentsApi = EmulatorTenant.AgentsApi;
    private const int ExtraUsers = 7;

    private EmulatorTenant tenant = null!;
    private ServiceProvider services = null!;
    private ManagementApiClient client = null!;

    public async Task InitializeAsync()
    {
        tenant = await EmulatorTenant.StartAsync(extraUsers: ExtraUsers);
        services = tenant.Services();
        client = services.GetRequiredService<ManagementApiClient>();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await tenant.DisposeAsync();
    }

    [Fact]
    public async Task GetUser_SeededAgent_ReadsItsIdEmailAndAppMetadata()
    {
        var user = await client.GetUserAsync(Omega, CancellationToken.None);

        Assert.Equal(Omega, user.UserId);
        Assert.Equal("agent_omega@agents.reflexive.local", user.Email);
        Assert.Equal("agent_omega", (string?)user.AppMetadata!["agent_id"]);
        Assert.Equal(100, (int)user.AppMetadata["trust_score"]!);
    }

    [Fact]
    public async Task GetUser_Unknown_Throws404WithAuth0sErrorCode()
    {
        var e = await Assert.ThrowsAsync<Auth0ApiException>(() => client.GetUserAsync("auth0|nobody", CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal("inexistent_user", e.ErrorCode);
        Assert.Equal("Not Found", e.Error);
        Assert.NotNull(e.RateLimit);
    }

    [Fact]
    public async Task UpdateUserAppMetadata_RootMergeWithNull_SetsKeysDeletesNulledOnesKeepsTheRest()
    {
        var updated = await client.UpdateUserAppMetadataAsync(Omega, new JsonObject
        {
            ["trust_score"] = 64.5,
            ["status"] = null,
            ["note"] = new JsonObject { ["by"] = "test" },
        }, CancellationToken.None);

        var stored = (await tenant.UserAsync(Omega))["app_metadata"]!.AsObject();
        Assert.Equal(64.5, (double)stored["trust_score"]!);
        Assert.False(stored.ContainsKey("status"));
        Assert.Equal("agent_omega", (string?)stored["agent_id"]);
        Assert.Equal("test", (string?)stored["note"]!["by"]);
        Assert.True(JsonNode.DeepEquals(stored, updated.AppMetadata));
    }

    [Fact]
    public async Task SearchUsers_OnePage_GivesThePageAndTheTotal()
    {
        var page = await client.SearchUsersAsync("app_metadata.agent_id:worker_*", page: 1, perPage: 3, CancellationToken.None);

        Assert.Equal(ExtraUsers, page.Total);
        Assert.Equal(3, page.Start);
        Assert.Equal(3, page.Limit);
        Assert.Equal(3, page.Length);
        Assert.Equal(3, page.Users.Count);
        Assert.All(page.Users, u => Assert.StartsWith("auth0|worker_", u.UserId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchAllUsers_MatchesAcrossPages_YieldsEachUserOnce()
    {
        var users = new List<string>();
        await foreach (var user in client.SearchAllUsersAsync("_exists_:app_metadata.agent_id", perPage: 3, CancellationToken.None))
        {
            users.Add(user.UserId);
        }

        Assert.Equal(ExtraUsers + 1, users.Count);
        Assert.Equal(users.Count, users.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(Omega, users);
        Assert.Equal(3, CallsTo(await tenant.Http.GetStringAsync(new Uri("emulator/stats", UriKind.Relative)), "GET /api/v2/users"));
    }

    [Fact]
    public async Task SearchUsers_BadQuery_Throws400SayingWhatIsWrong()
    {
        var e = await Assert.ThrowsAsync<Auth0ApiException>(() => client.SearchUsersAsync("app_metadata.trust_score:[10 TO", 0, 10, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("invalid_query_string", e.ErrorCode);
    }

    [Fact]
    public async Task GetUserPermissions_SeededAgent_ListsItsThreeScopes()
    {
        var permissions = await client.GetUserPermissionsAsync(Omega, CancellationToken.None);

        Assert.Equal(
            [new(AgentsApi, "generate.report"), new(AgentsApi, "read.dataset"), new(AgentsApi, "share.output")],
            permissions.OrderBy(p => p.PermissionName, StringComparer.Ordinal));
    }

    [Fact]
    public async Task RemoveThenAssignUserPermissions_ChangesExactlyThoseScopes()
    {
        await client.RemoveUserPermissionsAsync(Omega, [new(AgentsApi, "share.output"), new(AgentsApi, "generate.report")], CancellationToken.None);
        var afterRemove = await tenant.PermissionsAsync(Omega);
        await client.AssignUserPermissionsAsync(Omega, [new(AgentsApi, "share.output")], CancellationToken.None);
        var afterAssign = await tenant.PermissionsAsync(Omega);

        Assert.Equal(["read.dataset"], afterRemove);
        Assert.Equal(["read.dataset", "share.output"], afterAssign);
    }

    [Fact]
    public async Task AssignUserPermissions_UndefinedScope_Throws400()
    {
        var e = await Assert.ThrowsAsync<Auth0ApiException>(() => client.AssignUserPermissionsAsync(Omega, [new(AgentsApi, "launch.missiles")], CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains("launch.missiles", e.ApiMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateClientMetadata_StringsAndNull_MergesAndDeletes()
    {
        var updated = await client.UpdateClientMetadataAsync(Sigma, new Dictionary<string, string?>
        {
            ["trust_score"] = "55",
            ["status"] = null,
        }, CancellationToken.None);

        var stored = (await tenant.ClientAsync(Sigma))["client_metadata"]!.AsObject();
        Assert.Equal("55", (string?)stored["trust_score"]);
        Assert.False(stored.ContainsKey("status"));
        Assert.Equal("agent_sigma", (string?)stored["agent_id"]);
        Assert.Equal(Sigma, updated.ClientId);
        Assert.Equal("55", updated.ClientMetadata!["trust_score"]);
    }

    [Fact]
    public async Task GetClientGrants_SigmaOnTheAgentsApi_ReturnsItsOneGrant()
    {
        var grants = await client.GetClientGrantsAsync(Sigma, AgentsApi, CancellationToken.None);

        var grant = Assert.Single(grants);
        Assert.Equal("cgr_agent_sigma", grant.Id);
        Assert.Equal(Sigma, grant.ClientId);
        Assert.Equal(AgentsApi, grant.Audience);
        Assert.Equal(["read.dataset", "generate.report", "share.output"], grant.Scope);
    }

    [Fact]
    public async Task GetClientGrants_NoGrantForThatApi_ReturnsNone()
    {
        Assert.Empty(await client.GetClientGrantsAsync(Sigma, "https://elsewhere/api", CancellationToken.None));
    }

    [Fact]
    public async Task UpdateClientGrantScopes_ReplacesTheWholeScopeList()
    {
        var updated = await client.UpdateClientGrantScopesAsync("cgr_agent_sigma", ["read.dataset"], CancellationToken.None);

        Assert.Equal(["read.dataset"], updated.Scope);
        Assert.Equal(["read.dataset"], await tenant.GrantScopesAsync(Sigma));
    }

    [Fact]
    public async Task ManyCalls_FetchTheManagementTokenOnce()
    {
        await client.GetUserAsync(Omega, CancellationToken.None);
        await client.GetUserPermissionsAsync(Omega, CancellationToken.None);
        await client.SearchUsersAsync("name:agent_omega", 0, 10, CancellationToken.None);
        await client.UpdateUserAppMetadataAsync(Omega, new JsonObject { ["note"] = "x" }, CancellationToken.None);
        await client.GetClientGrantsAsync(Sigma, AgentsApi, CancellationToken.None);
        await client.UpdateClientMetadataAsync(Sigma, new Dictionary<string, string?> { ["note"] = "x" }, CancellationToken.None);

        Assert.Equal(1, await tenant.TokenRequestsAsync());
        Assert.Equal(6, await tenant.ManagementCallsAsync());
    }

    [Fact]
    public async Task ConcurrentCallers_OnAColdClient_ShareOneTokenRequest()
    {
        var calls = Enumerable.Range(0, 20).Select(_ => client.GetUserAsync(Omega, CancellationToken.None));

        var users = await Task.WhenAll(calls);

        Assert.All(users, u => Assert.Equal(Omega, u.UserId));
        Assert.Equal(1, await tenant.TokenRequestsAsync());
    }

    private static int CallsTo(string stats, string route) =>
        (int)JsonNode.Parse(stats)!["management_api"]!["calls"]![route]!;
}
