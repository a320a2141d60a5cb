using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Adapters.Queues;
using ReflexiveIdentity.Omega;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Http;
using ReflexiveIdentity.Http.Telemetry;
using ReflexiveIdentity.Http.Jobs;
using ReflexiveIdentity.Http.Settings;

namespace ReflexiveIdentity.Functions;

/// <summary>The worker's registration, shared by Program.cs and the composition tests.</summary>
public static class FunctionsRegistration
{
    /// <summary>ASP.NET Core integration, the shared Reflexive Identity services, and OpenTelemetry with the worker's invocation spans.</summary>
    public static FunctionsApplicationBuilder AddReflexiveFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddReflexiveIdentity(builder.Configuration);
        builder.Services.AddReflexiveTelemetry(builder.Configuration, "reflexive-identity").UseFunctionsWorkerDefaults();
        builder.Services.AddSingleton<IIntegrityTrigger>(provider => QueueIntegrityTrigger.FromStorageSettings(
            builder.Configuration["AzureWebJobsStorage"],
            builder.Configuration["AzureWebJobsStorage:queueServiceUri"],
            builder.Configuration["AzureWebJobsStorage:accountName"],
            provider.GetRequiredService<ILogger<QueueIntegrityTrigger>>()));
        builder.Services.AddSingleton<IAgentJobs>(provider => new StorageAgentJobs(provider.GetRequiredService<AgentJobSettings>().Storage));
        return builder;
    }
}
