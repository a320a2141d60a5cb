using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ReflexiveIdentity.Http.Settings;
using ReflexiveIdentity.Telemetry;

namespace ReflexiveIdentity.Http.Telemetry;

/// <summary>OpenTelemetry for both hosts: the service's own source and meter, ASP.NET Core and HttpClient, and the exporters the settings name.</summary>
public static class ReflexiveTelemetryServices
{
    /// <summary>
    /// Registers tracing, metrics and (when exporting) logs. Exporters by <see cref="TelemetrySettings"/>:
    /// Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is, the console with <c>Telemetry__Console=true</c>; with none the
    /// instrumentation runs and nothing leaves the process (a test may add its own exporter through
    /// <c>ConfigureOpenTelemetryTracerProvider</c>). Returns the builder, for host-specific additions.
    /// </summary>
    public static IOpenTelemetryBuilder AddReflexiveTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = TelemetrySettings.Load(configuration);

        // ASP.NET Core's request-starting log quotes the query string, which carries the function key in
        // Azure (?code=...). The request span records the same request with its query values redacted.
        services.Configure<LoggerFilterOptions>(options => options.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(ReflexiveTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(ReflexiveTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());

        if (settings.AzureMonitorConnectionString is not null)
        {
            builder.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = settings.AzureMonitorConnectionString;
                if (settings.AzureMonitorIdentityClientId is not null)
                {
                    options.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(settings.AzureMonitorIdentityClientId));
                }
            });
        }

        if (settings.Otlp)
        {
            builder.UseOtlpExporter();
        }

        if (settings.Console)
        {
            builder.WithTracing(tracing => tracing.AddConsoleExporter());
            builder.WithMetrics(metrics => metrics.AddConsoleExporter());
        }

        return builder;
    }
}
