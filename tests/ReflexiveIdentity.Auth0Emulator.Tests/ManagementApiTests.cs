using System.Net;
using System.Text.Json.Nodes;
using ReflexiveIdentity.Auth0Emulation.Tests.Support;

namespace ReflexiveIdentity.Auth0Emulation.Tests;

public sealed class ManagementApiTests
{
    private const string Omega = "api/v2/users/auth0%7Cagent_omega";

    private static void WithAgents(JsonObject seed, int count)
    {
        seed["users"] = Agents(count);
        seed.Remove("refresh_tokens");
    }

    private static JsonArray Agents(int count)
    {
        var users = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            users.Add(new JsonObject
            {
                ["user_id"] = $"auth0|agent_{i:00}",
                ["app_metadata"] = new JsonObject { ["agent_id"] = $"agent_{i:00}", ["trust_score"] = 50 + i },
            });
        }

        users.Add(new JsonObject { ["user_id"] = "auth0|human", ["email"] = "human@example.test" });
        return users;
    }

    private static async Task<(EmulatorHost Emulator, string Token)> StartAsync(Action<JsonObject>? edit = null)
    {
        var emulator = await EmulatorHost.StartAsync(o => o.Seed = TestSeeds.WithoutActions(edit));
        return (emulator, await emulator.ManagementTokenAsync());
    }

    private static async Task<JsonNode> AssertStatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task ManagementApi_NoToken_Returns401InAuth0Shape()
    {
        var (emulator, _) = await StartAsync();
        await using var _e = emulator;

        using var response = await emulator.ManagementAsync(HttpMethod.Get, Omega, token: null);
        var body = await AssertStatusAsync(response, HttpStatusCode.Unauthorized);

        Assert.Equal("""{"statusCode":401,"error":"Unauthorized","message":"Missing authentication"}""", body.ToJsonString());
        Assert.True(response.Headers.Contains("x-ratelimit-limit"));
    }

    [Fact]
    public async Task ManagementApi_TokenForAnotherAudience_Returns401BadAudience()
    {
        var (emulator, _) = await StartAsync();
        await using var _e = emulator;
        using var tokenResponse = await emulator.TokenAsync(
            ("grant_type", "client_credentials"), ("client_id", "reflexive-operator"), ("client_secret", EmulatorHost.OperatorSecret));
        var agentsToken = (await EmulatorHost.ReadJsonAsync(tokenResponse))["access_token"]!.GetValue<string>();

        using var wrongAudience = await emulator.ManagementAsync(HttpMethod.Get, Omega, agentsToken);
        using var garbage = await emulator.ManagementAsync(HttpMethod.Get, Omega, "not-a-jwt");

        Assert.Equal($"Bad audience: {EmulatorHost.AgentsApi}", (await AssertStatusAsync(wrongAudience, HttpStatusCode.Unauthorized))["message"]!.GetValue<string>());
        Assert.Equal("Invalid token", (await AssertStatusAsync(garbage, HttpStatusCode.Unauthorized))["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ManagementApi_TokenLacksScope_Returns403InsufficientScope()
    {
        var (emulator, _) = await StartAsync();
        await using var _e = emulator;
        using var tokenResponse = await emulator.TokenAsync(
            ("grant_type", "client_credentials"), ("client_id", EmulatorHost.ManagementClientId), ("client_secret", EmulatorHost.ManagementSecret),
            ("audience", emulator.ManagementAudience), ("scope", "read:users"));
        var readOnly = (await EmulatorHost.ReadJsonAsync(tokenResponse))["access_token"]!.GetValue<string>();

        using var response = await emulator.ManagementAsync(HttpMethod.Patch, Omega, readOnly, new JsonObject { ["app_metadata"] = new JsonObject { ["x"] = 1 } });
        var body = await AssertStatusAsync(response, HttpStatusCode.Forbidden);

        Assert.Equal("insufficient_scope", body["errorCode"]!.GetValue<string>());
        Assert.Equal("Insufficient scope, expected any of: update:users,update:users_app_metadata", body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetUser_Unknown_Returns404InexistentUser()
    {
        var (emulator, token) = await StartAsync();
        await using var _e = emulator;

        using var response = await emulator.ManagementAsync(HttpMethod.Get, "api/v2/users/auth0%7Cnobody", token);
        var body = await AssertStatusAsync(response, HttpStatusCode.NotFound);

        Assert.Equal("""{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}""", body.ToJsonString());
    }

    [Fact]
    public async Task PatchUser_AppMetadata_MergesRootKeysAndNullDeletes()
    {
        var (emulator, token) = await StartAsync();
        await using var _e = emulator;

        using var response = await emulator.ManagementAsync(HttpMethod.Patch, Omega, token, JsonNode.Parse("""
            {"app_metadata": {"trust_score": 42, "status": null, "trust": {"components": [{"name": "retries", "penalty": 8}]}}}
            """));
        var patched = await AssertStatusAsync(response, HttpStatusCode.OK);
        using var again = await emulator.ManagementAsync(HttpMethod.Get, Omega, token);
        var user = await AssertStatusAsync(again, HttpStatusCode.OK);

        const string expected = """{"agent_id":"agent_omega","trust_score":42,"trust":{"components":[{"name":"retries","penalty":8}]}}""";
        Assert.Equal(expected, patched["app_metadata"]!.ToJsonString());
        Assert.Equal(expected, user["app_metadata"]!.ToJsonString());
        Assert.Equal(EmulatorHost.OmegaUserId, user["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task PatchUser_UnknownPropertyOrWrongType_Returns400PayloadValidation()
    {
        var (emulator, token) = await StartAsync();
        await using var _e = emulator;

        using var unknown = await emulator.ManagementAsync(HttpMethod.Patch, Omega, token, new JsonObject { ["colour"] = "red" });
        using var wrongType = await emulator.ManagementAsync(HttpMethod.Patch, Omega, token, new JsonObject { ["app_metadata"] = "x" });

        Assert.Equal("Payload validation error: 'Additional properties not allowed: colour'.", (await AssertStatusAsync(unknown, HttpStatusCode.BadRequest))["message"]!.GetValue<string>());
        Assert.Equal("invalid_body", (await AssertStatusAsync(wrongType, HttpStatusCode.BadRequest))["errorCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Permissions_AddThenRemove_ListReflectsEachChange()
    {
        var (emulator, token) = await StartAsync();
        await using var _e = emulator;
        JsonObject Body(string name) => new()
        {
            ["permissions"] = new JsonArray(new JsonObject { ["resource_server_identifier"] = EmulatorHost.AgentsApi, ["permission_name"] = name }),
        };
        async Task<string[]> ListAsync()
        {
            using var list = await emulator.ManagementAsync(HttpMethod.Get, Omega + "/permissions", token);
            return [.. (await AssertStatusAsync(list, HttpStatusCode.OK)).AsArray().Select(p => p!["permission_name"]!.GetValue<string>())];
        }

        using var added = await emulator.ManagementAsync(HttpMethod.Post, Omega + "/permissions", token, Body("reflexive:admin"));
        var afterAdd = await ListAsync();
        using var removed = await emulator.ManagementAsync(HttpMethod.Delete, Omega + "/permissions", token, Body("share.output"));
        var afterRemove = await ListAsync();
        using var unknown = await emulator.ManagementAsync(HttpMethod.Post, Omega + "/permissions", token, Body("no.such.scope"));

        await AssertStatusAsync(added, HttpStatusCode.Created);
        await AssertStatusAsync(removed, HttpStatusCode.NoContent);
        await AssertStatusAsync(unknown, HttpStatusCode.BadRequest);
        Assert.Equal(["read.dataset", "generate.report", "share.output", "reflexive:admin"], afterAdd);
        Assert.Equal(["read.dataset", "generate.report", "reflexive:admin"], afterRemove);
    }

    [Fact]
    public async Task SearchUsers_AgentIdQuery_FindsExactlyThatAgent()
    {
        var (emulator, token) = await StartAsync(json => WithAgents(json, 3));
        await using var _e = emulator;

        using var response = await emulator.ManagementAsync(HttpMethod.Get, "api/v2/users?q=" + Uri.EscapeDataString("app_metadata.agent_id:\"agent_01\"") + "&search_engine=v3", token);
        var users = (await AssertStatusAsync(response, HttpStatusCode.OK)).AsArray();

        Assert.Equal("auth0|agent_01", Assert.Single(users)!["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SearchUsers_ExistsQueryPagedWithTotals_ReturnsAuth0PageShape()
    {
        var (emulator, token) = await StartAsync(json => WithAgents(json, 5));
        await using var _e = emulator;
        var q = Uri.EscapeDataString("_exists_:app_metadata.agent_id");

        using var first = await emulator.ManagementAsync(HttpMethod.Get, $"api/v2/users?q={q}&search_engine=v3&page=0&per_page=2&include_totals=true", token);
        using var last = await emulator.ManagementAsync(HttpMethod.Get, $"api/v2/users?q={q}&search_engine=v3&page=2&per_page=2&include_totals=true", token);
        var page0 = await AssertStatusAsync(first, HttpStatusCode.OK);
        var page2 = await AssertStatusAsync(last, HttpStatusCode.OK);

        Assert.Equal(0, page0["start"]!.GetValue<int>());
        Assert.Equal(2, page0["limit"]!.GetValue<int>());
        Assert.Equal(2, page0["length"]!.GetValue<int>());
        Assert.Equal(5, page0["total"]!.GetValue<int>());
        Assert.Equal(["auth0|agent_00", "auth0|agent_01"], page0["users"]!.AsArray().Select(u => u!["user_id"]!.GetValue<string>()));
        Assert.Equal(4, page2["start"]!.GetValue<int>());
        Assert.Equal(1, page2["length"]!.GetValue<int>());
        Assert.Equal("auth0|agent_04", page2["users"]![0]!["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SearchUsers_MalformedQueryOrPerPage_Returns400InvalidQueryString()
    {
        var (emulator, token) = await StartAsync();
        await using var _e = emulator;

        using var badQuery = await emulator.ManagementAsync(HttpMethod.Get, "api/v2/users?q=" + Uri.EscapeDataString("app_metadata.agent_id:\"open"), token);
        using var badPage = await emulator.ManagementAsync(HttpMethod.Get, "api/v2/users?per_page=500", token);

        Assert.Equal("invalid_query_string", (await AssertStatusAsync(badQuery, HttpStatusCode.BadRequest))["errorCode"]!.GetValue<string>());
        Assert.Equal("invalid_query_string", (await AssertStatusAsync(badPage, HttpStatusCode.BadRequest))["errorCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task PatchClient_ClientMetadata_MergesStringsAndNullDeletes()
    {
        var (emulator, token) = await StartAsync();
        await using var _e = emulator;

        using var response = await emulator.ManagementAsync(HttpMethod.Patch, "api/v2/clients/agent_sigma", token,
            JsonNode.Parse("""{"client_metadata": {"trust_score": "64", "status": null, "revoked_scopes": "share.output"}}"""));
        var client = await AssertStatusAsync(response, HttpStatusCode.OK);
        using var wrongType = await emulator.ManagementAsync(HttpMethod.Patch, "api/v2/clients/agent_sigma", token,
            JsonNode.Parse("""{"client_metadata": {"trust_score": 64}}"""));
        using var get = await emulator.ManagementAsync(HttpMethod.Get, "api/v2/clients/agent_sigma", token);
        var read = await AssertStatusAsync(get, HttpStatusCode.OK);

        const string expected = """{"agent_id":"agent_sigma","trust_score":"64","revoked_scopes":"share.output"}""";
        Assert.Equal(expected, client["client_metadata"]!.ToJsonString());
        Assert.Equal(expected, read["client_metadata"]!.ToJsonString());
        Assert.Null(read["client_secret"]);
        Assert.Equal(
            "Payload validation error: 'Expected type string but found type number' on property client_metadata.trust_score.",
            (await AssertStatusAsync(wrongType, HttpStatusCode.BadRequest))["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClientGrants_PatchScope_ListShowsItAndNextTokenUsesIt()
    {
        var (emulator, token) = await StartAsync();
        await using var _e = emulator;

        using var list = await emulator.ManagementAsync(HttpMethod.Get, "api/v2/client-grants?client_id=agent_sigma&audience=" + Uri.EscapeDataString(EmulatorHost.AgentsApi), token);
        var grant = Assert.Single((await AssertStatusAsync(list, HttpStatusCode.OK)).AsArray())!;
        using var patch = await emulator.ManagementAsync(HttpMethod.Patch, $"api/v2/client-grants/{grant["id"]!.GetValue<string>()}", token,
            JsonNode.Parse("""{"scope": ["read.dataset"]}"""));
        var patched = await AssertStatusAsync(patch, HttpStatusCode.OK);
        using var missing = await emulator.ManagementAsync(HttpMethod.Patch, "api/v2/client-grants/cgr_nope", token, JsonNode.Parse("""{"scope": []}"""));
        using var tokenResponse = await emulator.TokenAsync(
            ("grant_type", "client_credentials"), ("client_id", "agent_sigma"), ("client_secret", EmulatorHost.SigmaSecret), ("audience", EmulatorHost.AgentsApi));

        Assert.Equal("cgr_agent_sigma", grant["id"]!.GetValue<string>());
        Assert.Equal("""["read.dataset","generate.report","share.output"]""", grant["scope"]!.ToJsonString());
        Assert.Equal("""["read.dataset"]""", patched["scope"]!.ToJsonString());
        await AssertStatusAsync(missing, HttpStatusCode.NotFound);
        Assert.Equal("read.dataset", (await EmulatorHost.ReadJsonAsync(tokenResponse))["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task ManagementToken_Expired_Returns401ExpiredToken()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorHost.StartAsync(o =>
        {
            o.Seed = TestSeeds.WithoutActions();
            o.TimeProvider = time;
        });
        var token = await emulator.ManagementTokenAsync();

        time.Advance(TimeSpan.FromHours(1));
        using var response = await emulator.ManagementAsync(HttpMethod.Get, Omega, token);

        Assert.Equal("Expired token received for JSON Web Token validation", (await AssertStatusAsync(response, HttpStatusCode.Unauthorized))["message"]!.GetValue<string>());
    }
}
