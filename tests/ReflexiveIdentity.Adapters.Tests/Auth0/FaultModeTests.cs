using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Adapters.Auth0;
using ReflexiveIdentity.Agents;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>
/// The local tenant in fault mode (seeded 429s and 500/503s): every directory operation still
/// succeeds, and each lands exactly once in effect: permissions, grant scopes and metadata end exactly right.
/// </summary>
public sealed class FaultModeTests : IAsyncLifetime
{
    private static readonly Principal Omega = new(PrincipalType.User, EmulatorTenant.OmegaUserId);
    private static readonly Principal Sigma = new(PrincipalType.Client, EmulatorTenant.SigmaClientId);

    private RecordingLoggerProvider logs = null!;
    private EmulatorTenant tenant = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        logs = RecordingLoggerProvider.Create();
        tenant = await EmulatorTenant.StartAsync();
        services = tenant.Services(EmulatorTenant.FaultTolerantRetry, logs);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await tenant.DisposeAsync();
    }

    [Fact]
    public async Task Directory_UnderFaultMode_EveryOperationSucceedsAndEndsExactlyRight()
    {
        var directory = services.GetRequiredService<IAgentDirectory>();
        var client = services.GetRequiredService<ManagementApiClient>();
        await tenant.SetFaultsAsync(rate429: 0.3, rate5xx: 0.2, seed: 7);

        foreach (var principal in new[] { Omega, Sigma })
        {
            var agentId = principal == Omega ? "agent_omega" : "agent_sigma";
            await directory.PublishTrustAsync(principal, Auth0AgentDirectoryTests.Quarantined(agentId), CancellationToken.None);
            await directory.RevokeScopesAsync(principal, ["generate.report", "share.output"], CancellationToken.None);
            await directory.RestoreScopesAsync(principal, ["share.output"], CancellationToken.None);
            await directory.RestoreScopesAsync(principal, ["share.output"], CancellationToken.None);
        }

        var user = await client.GetUserAsync(Omega.Id, CancellationToken.None);
        var permissions = await client.GetUserPermissionsAsync(Omega.Id, CancellationToken.None);
        await tenant.ClearFaultsAsync();

        Assert.NotEmpty(logs.WithEvent(3102));
        Assert.Contains(logs.WithEvent(3102), e => (string?)e.Values["Reason"] == "429");
        Assert.Contains(logs.WithEvent(3102), e => (string?)e.Values["Reason"] is "500" or "503");
        Assert.Equal(["read.dataset", "share.output"], permissions.Select(p => p.PermissionName).Order(StringComparer.Ordinal));
        Assert.Equal(["read.dataset", "share.output"], await tenant.PermissionsAsync(Omega.Id));
        Assert.Equal(["read.dataset", "share.output"], await tenant.GrantScopesAsync(Sigma.Id));
        Assert.Equal("quarantined", (string?)user.AppMetadata!["status"]);
        Assert.Equal(["generate.report", "share.output"], user.AppMetadata["revoked_scopes"]!.AsArray().Select(s => (string)s!));
        var sigma = (await tenant.ClientAsync(Sigma.Id))["client_metadata"]!.AsObject();
        Assert.Equal("42.5", (string?)sigma["trust_score"]);
        Assert.Equal("generate.report,share.output", (string?)sigma["revoked_scopes"]);
        Assert.Equal(1, await tenant.TokenRequestsAsync());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"elevation_denials":30,"repetitive_retries":27.5,"external_signals":0}"""),
            new JsonObject([.. user.AppMetadata["trust"]!.AsObject().Where(p => p.Key != "updated_at").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))])));
    }
}
