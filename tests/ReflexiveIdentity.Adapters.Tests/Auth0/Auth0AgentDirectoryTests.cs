using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Adapters.Auth0;
using ReflexiveIdentity.Agents;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>
/// The agent directory on the local Auth0 tenant: agent_omega (a user) and agent_sigma (an M2M client),
/// every write read back from the tenant's state.
/// </summary>
public sealed class Auth0AgentDirectoryTests : IAsyncLifetime
{
    private static readonly Principal Omega = new(PrincipalType.User, EmulatorTenant.OmegaUserId);
    private static readonly Principal Sigma = new(PrincipalType.Client, EmulatorTenant.SigmaClientId);

    private EmulatorTenant tenant = null!;
    private ServiceProvider services = null!;
    private IAgentDirectory directory = null!;

    public async Task InitializeAsync()
    {
        tenant = await EmulatorTenant.StartAsync();
        services = tenant.Services();
        directory = services.GetRequiredService<IAgentDirectory>();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await tenant.DisposeAsync();
    }

    internal static AgentTrustRecord Quarantined(string agentId) => new()
    {
        AgentId = agentId,
        TrustScore = 42.5,
        Status = AgentStatus.Quarantined,
        RevokedScopes = ["generate.report", "share.output"],
        Breakdown = [new("elevation_denials", 30), new("repetitive_retries", 27.5), new("external_signals", 0)],
    };

    [Fact]
    public void AddAuth0Management_RegistersTheDirectoryOnAuth0()
    {
        Assert.IsType<Auth0AgentDirectory>(directory);
    }

    [Fact]
    public async Task PublishTrust_UserAgent_WritesScoreStatusRevokedScopesAndBreakdownToAppMetadata()
    {
        await directory.PublishTrustAsync(Omega, Quarantined("agent_omega"), CancellationToken.None);

        var metadata = (await tenant.UserAsync(Omega.Id))["app_metadata"]!.AsObject();
        Assert.Equal("agent_omega", (string?)metadata["agent_id"]);
        Assert.Equal(42.5, (double)metadata["trust_score"]!);
        Assert.Equal("quarantined", (string?)metadata["status"]);
        Assert.Equal(["generate.report", "share.output"], metadata["revoked_scopes"]!.AsArray().Select(s => (string)s!));
        var trust = metadata["trust"]!.AsObject();
        Assert.Equal(30, (double)trust["elevation_denials"]!);
        Assert.Equal(27.5, (double)trust["repetitive_retries"]!);
        Assert.Equal(0, (double)trust["external_signals"]!);
        Assert.True(DateTimeOffset.TryParse((string?)trust["updated_at"], out _));
    }

    [Fact]
    public async Task PublishTrust_UserAgentRestored_ReplacesRevokedScopesAndBreakdown()
    {
        await directory.PublishTrustAsync(Omega, Quarantined("agent_omega"), CancellationToken.None);
        await directory.PublishTrustAsync(Omega, new AgentTrustRecord
        {
            AgentId = "agent_omega",
            TrustScore = 91,
            Status = AgentStatus.Active,
            RevokedScopes = [],
            Breakdown = [new("elevation_denials", 9)],
        }, CancellationToken.None);

        var metadata = (await tenant.UserAsync(Omega.Id))["app_metadata"]!.AsObject();
        Assert.Equal(91, (double)metadata["trust_score"]!);
        Assert.Equal("active", (string?)metadata["status"]);
        Assert.Empty(metadata["revoked_scopes"]!.AsArray());
        Assert.Equal(["elevation_denials", "updated_at"], metadata["trust"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task PublishTrust_ClientAgent_WritesStringsToClientMetadata()
    {
        await directory.PublishTrustAsync(Sigma, Quarantined("agent_sigma"), CancellationToken.None);

        var metadata = (await tenant.ClientAsync(Sigma.Id))["client_metadata"]!.AsObject();
        Assert.Equal("agent_sigma", (string?)metadata["agent_id"]);
        Assert.Equal("42.5", (string?)metadata["trust_score"]);
        Assert.Equal("quarantined", (string?)metadata["status"]);
        Assert.Equal("generate.report,share.output", (string?)metadata["revoked_scopes"]);
        var trust = JsonNode.Parse((string)metadata["trust"]!)!.AsObject();
        Assert.Equal(30, (double)trust["elevation_denials"]!);
        Assert.Equal(27.5, (double)trust["repetitive_retries"]!);
        Assert.False(trust.ContainsKey("external_signals"));
        Assert.True(trust.ContainsKey("updated_at"));
    }

    [Fact]
    public async Task PublishTrust_ClientAgentNothingRevoked_DeletesTheRevokedScopesKey()
    {
        await directory.PublishTrustAsync(Sigma, Quarantined("agent_sigma"), CancellationToken.None);
        await directory.PublishTrustAsync(Sigma, Quarantined("agent_sigma") with { Status = AgentStatus.Active, TrustScore = 88, RevokedScopes = [] }, CancellationToken.None);

        var metadata = (await tenant.ClientAsync(Sigma.Id))["client_metadata"]!.AsObject();
        Assert.Equal("active", (string?)metadata["status"]);
        Assert.Equal("88", (string?)metadata["trust_score"]);
        Assert.False(metadata.ContainsKey("revoked_scopes"));
    }

    [Fact]
    public async Task PublishTrust_ClientAgentWithALongBreakdown_KeepsTheLargestPenaltiesWithin255Characters()
    {
        var breakdown = Enumerable.Range(1, 12).Select(i => new TrustComponentSummary($"unexpected_command_sequence_{i:00}", i)).ToList();

        await directory.PublishTrustAsync(Sigma, Quarantined("agent_sigma") with { Breakdown = breakdown }, CancellationToken.None);

        var text = (string)(await tenant.ClientAsync(Sigma.Id))["client_metadata"]!["trust"]!;
        Assert.InRange(text.Length, 1, Auth0AgentDirectory.MaxClientMetadataValueLength);
        var trust = JsonNode.Parse(text)!.AsObject();
        Assert.Contains("unexpected_command_sequence_12", trust.Select(p => p.Key));
        Assert.DoesNotContain("unexpected_command_sequence_01", trust.Select(p => p.Key));
        Assert.True(trust.ContainsKey("updated_at"));
    }

    [Fact]
    public async Task RevokeThenRestore_UserAgent_ChangesItsPermissionsOnTheAgentsApi()
    {
        await directory.RevokeScopesAsync(Omega, ["generate.report", "share.output"], CancellationToken.None);
        var revoked = await tenant.PermissionsAsync(Omega.Id);
        await directory.RestoreScopesAsync(Omega, ["generate.report", "share.output"], CancellationToken.None);
        var restored = await tenant.PermissionsAsync(Omega.Id);

        Assert.Equal(["read.dataset"], revoked);
        Assert.Equal(["generate.report", "read.dataset", "share.output"], restored);
    }

    [Fact]
    public async Task RevokeThenRestore_ClientAgent_ChangesTheScopesOfItsGrant()
    {
        await directory.RevokeScopesAsync(Sigma, ["share.output"], CancellationToken.None);
        var revoked = await tenant.GrantScopesAsync(Sigma.Id);
        await directory.RestoreScopesAsync(Sigma, ["share.output"], CancellationToken.None);
        var restored = await tenant.GrantScopesAsync(Sigma.Id);

        Assert.Equal(["read.dataset", "generate.report"], revoked);
        Assert.Equal(["read.dataset", "generate.report", "share.output"], restored);
    }

    [Fact]
    public async Task RevokeAndRestore_ScopesAlreadyInThatState_AreNotErrorsAndChangeNothing()
    {
        await directory.RevokeScopesAsync(Omega, ["share.output"], CancellationToken.None);
        await directory.RevokeScopesAsync(Omega, ["share.output"], CancellationToken.None);
        await directory.RestoreScopesAsync(Sigma, ["read.dataset"], CancellationToken.None);
        await directory.RevokeScopesAsync(Sigma, ["share.output"], CancellationToken.None);
        await directory.RevokeScopesAsync(Sigma, ["share.output"], CancellationToken.None);

        Assert.Equal(["generate.report", "read.dataset"], await tenant.PermissionsAsync(Omega.Id));
        Assert.Equal(["read.dataset", "generate.report"], await tenant.GrantScopesAsync(Sigma.Id));
    }

    [Fact]
    public async Task RestoreScopes_ClientWithoutAGrantForTheApi_ThrowsSayingToAuthorizeIt()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            directory.RestoreScopesAsync(new Principal(PrincipalType.Client, "agent-omega-app"), ["share.output"], CancellationToken.None));

        Assert.Contains("no client grant for https://reflexive-identity/agents", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeScopes_ClientWithoutAGrantForTheApi_HoldsNothingSoSucceeds()
    {
        await directory.RevokeScopesAsync(new Principal(PrincipalType.Client, "agent-omega-app"), ["share.output"], CancellationToken.None);
    }
}
