using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using ReflexiveIdentity.Http.Security;

namespace ReflexiveIdentity.Cli.Tests.Telemetry;

/// <summary>
/// Webhook calls that carry a rationale, a bearer token, a function key in the query and a signature
/// made with the signing secret: none of them may reach a log line or a span, at any level.
/// </summary>
[Collection(SerialTelemetry.Name)]
public sealed class SecretHygieneTests
{
    private const string FunctionKey = "fk-0c1d2e3f4a5b6c7d8e9f-function-key";
    private const string BearerToken = "eyJhbGciOiJSUzI1NiJ9.bearer-token-body.signature-part";

    [Fact]
    public async Task Webhook_CallsCarryingSecrets_NoSecretTokenOrRationaleInLogsOrSpans()
    {
        var logs = new LogCapture();
        var activities = new List<Activity>();
        var signatures = new List<string>();
        var host = await ServiceHost.StartAsync(configureServices: services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);

            // Everything at every level, except what the hosts configure on purpose: drop the CLI's blanket
            // "Microsoft.AspNetCore at Warning" so ASP.NET Core logs as it does in the Functions worker.
            services.Configure<LoggerFilterOptions>(options =>
            {
                options.MinLevel = LogLevel.Trace;
                options.Rules.Remove(options.Rules.Single(rule => rule.CategoryName == "Microsoft.AspNetCore"));
            });
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(activities));
        });
        try
        {
            using var allowed = await SendAsync(host, ElevationWebhookTests.Body(), signatures);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            using var rejected = await SendAsync(host, ElevationWebhookTests.Body(confidence: 1.5), signatures);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
        }

        string[] secrets =
        [
            ServiceHost.Secret, ServiceHost.OldSecret, FunctionKey, BearerToken, .. signatures,
            "Weekly ops review needs error rates per service", "Generate operational report",
        ];
        var spanText = activities.SelectMany(a => a.TagObjects.Select(t => $"{a.OperationName} {t.Key}={t.Value}")).ToList();
        Assert.Contains(logs.Lines, line => line.Contains("Elevation for agent_omega: allow", StringComparison.Ordinal));
        Assert.Contains(spanText, line => line.StartsWith("elevation.decide reflexive.outcome=allow", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(spanText, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    private static Task<HttpResponseMessage> SendAsync(ServiceHost host, string body, List<string> signatures)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var bytes = Encoding.UTF8.GetBytes(body);
        var signature = WebhookSignature.Sign(ServiceHost.Secret, ts, bytes);
        signatures.Add(signature["v1=".Length..]);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/elevations?code={FunctionKey}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BearerToken);
        request.Headers.Add(WebhookSignature.TimestampHeader, ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, signature);
        return host.Client.SendAsync(request);
    }
}
