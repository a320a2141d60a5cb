using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Omega;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Http;
using ReflexiveIdentity.Http.Endpoints;
using ReflexiveIdentity.Http.Telemetry;
using ReflexiveIdentity.Http.Jobs;
using ReflexiveIdentity.Http.Settings;

namespace ReflexiveIdentity.Cli.Hosting;

/// <summary>The service's HTTP routes on Kestrel, running the same handlers as the Functions host.</summary>
public static class ReflexiveWebHost
{
    /// <summary>Builds (does not start) the web host listening on <paramref name="urls"/>.</summary>
    public static WebApplication Build(IConfiguration configuration, string urls, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddReflexiveIdentity(configuration);
        builder.Services.AddReflexiveTelemetry(configuration, "reflexive-identity-cli");
        builder.Services.AddSingleton<InProcessIntegrityTrigger>();
        builder.Services.AddSingleton<IIntegrityTrigger>(provider => provider.GetRequiredService<InProcessIntegrityTrigger>());
        builder.Services.AddHostedService(provider => provider.GetRequiredService<InProcessIntegrityTrigger>());
        builder.Services.AddHostedService<SweepScheduler>();
        AddAgentJobs(builder.Services, AgentJobSettings.Load(configuration));
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        Map(app);
        return app;
    }

    /// <summary>The <c>agent-jobs</c> queue: in-process by default, the storage queue and its worker with <c>AgentOmega__Queue=storage</c>.</summary>
    private static void AddAgentJobs(IServiceCollection services, AgentJobSettings settings)
    {
        if (settings.Queue == AgentJobQueueKind.Storage)
        {
            services.AddSingleton(new StorageAgentJobs(settings.Storage, settings.QueueName));
            services.AddSingleton<IAgentJobs>(provider => provider.GetRequiredService<StorageAgentJobs>());
            services.AddSingleton<StorageAgentJobWorker>();
            services.AddHostedService(provider => provider.GetRequiredService<StorageAgentJobWorker>());
            return;
        }

        services.AddSingleton<InProcessAgentJobs>();
        services.AddSingleton<IAgentJobs>(provider => provider.GetRequiredService<InProcessAgentJobs>());
        services.AddHostedService(provider => provider.GetRequiredService<InProcessAgentJobs>());
    }

    private static void Map(WebApplication app)
    {
        app.MapGet("/api/health", (HttpContext context, HealthEndpoint endpoint) => endpoint.CheckAsync(context, context.RequestAborted));
        app.MapPost("/api/v1/elevations", (HttpContext context, ElevationEndpoint endpoint) => endpoint.HandleAsync(context, context.RequestAborted));
        app.MapGet("/api/v1/agents", (HttpContext context, AgentsEndpoint endpoint) => endpoint.ListAsync(context, context.RequestAborted));
        app.MapGet("/api/v1/agents/{agent_id}", (HttpContext context, string agent_id, AgentsEndpoint endpoint) => endpoint.GetAsync(context, agent_id, context.RequestAborted));
        app.MapPost("/api/v1/agents/{agent_id}/jobs", (HttpContext context, string agent_id, JobsEndpoint endpoint) => endpoint.EnqueueAsync(context, agent_id, context.RequestAborted));
        app.MapPost("/api/v1/agents/{agent_id}/restore", (HttpContext context, string agent_id, AgentsEndpoint endpoint) => endpoint.RestoreAsync(context, agent_id, context.RequestAborted));
        app.MapPost("/api/v1/agents/{agent_id}/events", (HttpContext context, string agent_id, AgentActivityEndpoint endpoint) => endpoint.RecordEventAsync(context, agent_id, context.RequestAborted));
        app.MapPost("/api/v1/agents/{agent_id}/signals", (HttpContext context, string agent_id, AgentActivityEndpoint endpoint) => endpoint.RecordSignalAsync(context, agent_id, context.RequestAborted));
        app.MapGet("/api/v1/grants/{grant_id}", (HttpContext context, string grant_id, GrantsEndpoint endpoint) => endpoint.GetAsync(context, grant_id, context.RequestAborted));
        app.MapGet("/api/v1/dashboard", (HttpContext context, DashboardEndpoint endpoint) => endpoint.SnapshotAsync(context, context.RequestAborted));
        app.MapGet("/api/dashboard", (HttpContext context, DashboardEndpoint endpoint) => endpoint.PageAsync(context, context.RequestAborted));
        app.MapGet("/api/dashboard/{asset}", (HttpContext context, string asset, DashboardEndpoint endpoint) => endpoint.AssetAsync(context, asset, context.RequestAborted));
        app.MapGet("/api/v1/ledger/verify", (HttpContext context, LedgerEndpoint endpoint) => endpoint.VerifyAsync(context, context.RequestAborted));
    }
}
