using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Adapters.Auth0;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Telemetry;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>
/// The Auth0 call metrics against the local tenant: every exchange counted under its operation template and
/// status, every 429 counted again on its own, in agreement with the tenant's own call counts.
/// </summary>
[Collection(SerialMetering.Name)]
public sealed class Auth0CallMeteringTests : IAsyncLifetime
{
    private static readonly Principal Omega = new(PrincipalType.User, EmulatorTenant.OmegaUserId);

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
    public async Task GetUser_NoFaults_CountsTheTokenRequestAndOneCallBy200AndNo429()
    {
        using var measurements = new RecordedMeasurements();

        await services.GetRequiredService<ManagementApiClient>().GetUserAsync(EmulatorTenant.OmegaUserId, CancellationToken.None);

        Assert.Equal(
            ["operation=GET users/{id},status_code=200", "operation=POST oauth/token,status_code=200"],
            measurements.TagSets(ReflexiveTelemetry.Auth0CallsMetric));
        Assert.Equal(1, measurements.Sum(ReflexiveTelemetry.Auth0CallsMetric, ("operation", "GET users/{id}")));
        Assert.Equal(1, measurements.Sum(ReflexiveTelemetry.Auth0CallsMetric, ("operation", "POST oauth/token")));
        Assert.Equal(0, measurements.Sum(ReflexiveTelemetry.Auth0RateLimitedMetric));
    }

    [Fact]
    public async Task Directory_UnderFaultMode_CountsEveryAttemptAndEvery429AsTheTenantSawThem()
    {
        var directory = services.GetRequiredService<IAgentDirectory>();
        var client = services.GetRequiredService<ManagementApiClient>();
        await client.GetUserAsync(EmulatorTenant.OmegaUserId, CancellationToken.None);
        using var reset = await tenant.Http.DeleteAsync(new Uri("emulator/stats", UriKind.Relative));
        reset.EnsureSuccessStatusCode();
        await tenant.SetFaultsAsync(rate429: 0.4, rate5xx: 0, seed: 11);
        using var measurements = new RecordedMeasurements();

        await directory.PublishTrustAsync(Omega, Auth0AgentDirectoryTests.Quarantined("agent_omega"), CancellationToken.None);
        await directory.RevokeScopesAsync(Omega, ["generate.report", "share.output"], CancellationToken.None);
        await tenant.ClearFaultsAsync();

        var seenByTenant = await tenant.ManagementCallsAsync();
        var retriedAfter429 = logs.WithEvent(3102).Count(e => (string?)e.Values["Reason"] == "429");
        var calls = measurements.Sum(ReflexiveTelemetry.Auth0CallsMetric) - measurements.Sum(ReflexiveTelemetry.Auth0CallsMetric, ("operation", "POST oauth/token"));
        Assert.True(retriedAfter429 > 0, "the seeded fault mode gave no 429");
        Assert.Equal(seenByTenant, calls);
        Assert.Equal(retriedAfter429, measurements.Sum(ReflexiveTelemetry.Auth0RateLimitedMetric));
        Assert.Equal(retriedAfter429, measurements.Sum(ReflexiveTelemetry.Auth0CallsMetric, ("status_code", 429)));
        Assert.DoesNotContain(measurements.TagSets(ReflexiveTelemetry.Auth0CallsMetric), tags => tags.Contains("auth0|", StringComparison.Ordinal));
        Assert.Contains("operation=PATCH users/{id},status_code=200", measurements.TagSets(ReflexiveTelemetry.Auth0CallsMetric));
        Assert.Contains("operation=DELETE users/{id}/permissions,status_code=204", measurements.TagSets(ReflexiveTelemetry.Auth0CallsMetric));
    }
}
