using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Adapters.Auth0;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>The Management API token: cached until shortly before expiry on the injected clock, one refresh shared by all waiting callers.</summary>
public sealed class ClientCredentialsTokenProviderTests : IAsyncLifetime
{
    private ScriptedAuth0Server server = null!;
    private readonly ObservedTime time = new();
    private ServiceProvider services = null!;
    private ClientCredentialsTokenProvider tokens = null!;

    public Task InitializeAsync()
    {
        server = ScriptedAuth0Server.Start();
        services = Auth0TestServices.Build(server.Authority, "reflexive-management", "LOCAL-ONLY-scripted-secret", time);
        tokens = services.GetRequiredService<ClientCredentialsTokenProvider>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await time.DisposeAdvancingAsync(services);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task GetToken_ManyCalls_FetchesOnce()
    {
        var seen = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            seen.Add(await tokens.GetTokenAsync(CancellationToken.None));
        }

        Assert.All(seen, token => Assert.Equal("token-1", token));
        Assert.Equal(1, server.TokenRequests);
    }

    [Fact]
    public async Task GetToken_HourLongToken_IsRenewedSixtySecondsBeforeExpiry()
    {
        var first = await tokens.GetTokenAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(3600 - 60) - TimeSpan.FromTicks(1));
        var justBefore = await tokens.GetTokenAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromTicks(1));
        var renewed = await tokens.GetTokenAsync(CancellationToken.None);
        var again = await tokens.GetTokenAsync(CancellationToken.None);

        Assert.Equal(["token-1", "token-1", "token-2", "token-2"], [first, justBefore, renewed, again]);
        Assert.Equal(2, server.TokenRequests);
    }

    [Fact]
    public async Task GetToken_ShortLivedToken_IsRenewedATenthOfItsLifetimeEarly()
    {
        server.TokenLifetimeSeconds = 30;

        await tokens.GetTokenAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(26));
        var kept = await tokens.GetTokenAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        var renewed = await tokens.GetTokenAsync(CancellationToken.None);

        Assert.Equal("token-1", kept);
        Assert.Equal("token-2", renewed);
    }

    [Fact]
    public async Task GetToken_ConcurrentCallersDuringOneRefresh_ShareOneRequest()
    {
        server.TokenGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 10).Select(_ => tokens.GetTokenAsync(CancellationToken.None).AsTask()).ToList();
        await server.NextTokenRequestAsync();
        server.TokenGate.SetResult();
        var results = await Task.WhenAll(callers).WaitAsync(TestGuard.Hang);

        Assert.All(results, token => Assert.Equal("token-1", token));
        Assert.Equal(1, server.TokenRequests);
    }

    [Fact]
    public async Task GetToken_OneWaiterCancels_TheSharedRefreshStillServesTheOthers()
    {
        server.TokenGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();

        var impatient = tokens.GetTokenAsync(cancel.Token).AsTask();
        var patient = tokens.GetTokenAsync(CancellationToken.None).AsTask();
        await server.NextTokenRequestAsync();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient.WaitAsync(TestGuard.Hang));
        server.TokenGate.SetResult();

        Assert.Equal("token-1", await patient.WaitAsync(TestGuard.Hang));
        Assert.Equal(1, server.TokenRequests);
    }

    [Fact]
    public async Task Invalidate_ManyCallersRefusedWithTheSameToken_CausesOneRefresh()
    {
        var stale = await tokens.GetTokenAsync(CancellationToken.None);

        tokens.Invalidate(stale);
        var fresh = await tokens.GetTokenAsync(CancellationToken.None);
        tokens.Invalidate(stale);
        tokens.Invalidate(stale);
        var still = await tokens.GetTokenAsync(CancellationToken.None);

        Assert.Equal("token-2", fresh);
        Assert.Equal("token-2", still);
        Assert.Equal(2, server.TokenRequests);
    }

    [Fact]
    public async Task GetToken_TokenEndpointRefusesTheCredentials_ThrowsSayingWhichSettingsToCheck()
    {
        await using var tenant = await EmulatorTenant.StartAsync();
        await using var wrong = tenant.Services(secret: "LOCAL-ONLY-not-the-secret");

        var e = await Assert.ThrowsAsync<Auth0ApiException>(() => wrong.GetRequiredService<ClientCredentialsTokenProvider>().GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Equal("POST oauth/token", e.Operation);
        Assert.Equal("access_denied", e.ErrorCode);
        Assert.Contains("Auth0__ManagementClientSecret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LOCAL-ONLY-not-the-secret", e.ToString(), StringComparison.Ordinal);
    }
}
