using ReflexiveIdentity.Testing.Reasoning;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Telemetry;

namespace ReflexiveIdentity.Cli.Tests.Telemetry;

/// <summary>One signed webhook call through the CLI host, read back from in-memory OpenTelemetry exporters.</summary>
[Collection(SerialTelemetry.Name)]
public sealed class WebhookTelemetryTests
{
    [Fact]
    public async Task Webhook_SignedAllow_DecideSpanUnderRequestSpanWithLedgerAppendsInTheSameTrace()
    {
        var (activities, _) = await RunAsync(ElevationWebhookTests.Body(), HttpStatusCode.OK);

        var decide = Assert.Single(activities, a => a.OperationName == ReflexiveTelemetry.DecideSpan);
        Assert.Equal("allow", decide.GetTagItem("reflexive.outcome"));
        Assert.Equal("policy_satisfied", decide.GetTagItem("reflexive.reason_codes"));
        Assert.Equal("agent_omega", decide.GetTagItem("reflexive.agent_id"));
        Assert.Equal("agent_omega/2", decide.GetTagItem("reflexive.entry_id"));
        Assert.Equal(ActivityStatusCode.Unset, decide.Status);

        var server = Assert.Single(activities, a => a.SpanId == decide.ParentSpanId);
        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.Equal("/api/v1/elevations", server.GetTagItem("url.path"));

        var appends = activities.Where(a => a.OperationName == ReflexiveTelemetry.LedgerAppendSpan && a.TraceId == decide.TraceId).ToList();
        Assert.Equal(
            [nameof(LedgerEntryKind.AgentRegistered), nameof(LedgerEntryKind.ElevationDecided)],
            appends.Select(a => (string?)a.GetTagItem("reflexive.entry_kind")));
        var decided = appends[1];
        Assert.Equal("agent_omega/2", decided.GetTagItem("reflexive.entry_id"));
        Assert.Equal("sqlite", decided.GetTagItem("db.system.name"));
        Assert.True(IsDescendant(decided, decide, activities), "the ledger append is not under elevation.decide");
    }

    [Fact]
    public async Task Webhook_WithJudge_PolicyThenJudgeThenLedgerUnderOneDecideSpan()
    {
        await using var model = await ChatCompletionsServer.StartAsync();
        model.Answer = _ => """{"verdict":"inconsistent","consistent_scopes":["generate.report"],"detail":"Nothing to share yet."}""";

        var (activities, _) = await RunAsync(ElevationWebhookTests.Body(), HttpStatusCode.OK, new Dictionary<string, string?>
        {
            ["OpenAI:Endpoint"] = model.Endpoint.AbsoluteUri,
            ["OpenAI:Deployment"] = "judge",
            ["OpenAI:ApiKey"] = "local-test-key-0001",
        });

        var decide = Assert.Single(activities, a => a.OperationName == ReflexiveTelemetry.DecideSpan);
        var policy = Assert.Single(activities, a => a.OperationName == ReflexiveTelemetry.PolicySpan);
        var judge = Assert.Single(activities, a => a.OperationName == ReflexiveTelemetry.JudgeSpan);
        var decided = activities.Last(a => a.OperationName == ReflexiveTelemetry.LedgerAppendSpan && a.TraceId == decide.TraceId);
        Assert.All([policy, judge, decided], span => Assert.True(IsDescendant(span, decide, activities), span.OperationName + " is not under elevation.decide"));
        Assert.True(policy.StartTimeUtc <= judge.StartTimeUtc && judge.StartTimeUtc <= decided.StartTimeUtc, "policy, judge and ledger ran out of order");
        Assert.Equal("openai", judge.GetTagItem("reflexive.judge.kind"));
    }

    [Fact]
    public async Task Webhook_SignedAllow_CountsOneDecisionAndRecordsItsDuration()
    {
        var (_, metrics) = await RunAsync(ElevationWebhookTests.Body(), HttpStatusCode.OK);

        var decision = Assert.Single(Points(metrics, ReflexiveTelemetry.DecisionsMetric));
        Assert.Equal(1, decision.GetSumLong());
        Assert.Equal(Tags(("outcome", "allow"), ("reason_code", "policy_satisfied"), ("replayed", false)), TagsOf(decision));

        var reason = Assert.Single(Points(metrics, ReflexiveTelemetry.ReasonsMetric));
        Assert.Equal(1, reason.GetSumLong());
        Assert.Equal(Tags(("outcome", "allow"), ("reason_code", "policy_satisfied")), TagsOf(reason));

        var duration = Assert.Single(Points(metrics, ReflexiveTelemetry.DecisionDurationMetric));
        Assert.Equal(1, duration.GetHistogramCount());
        Assert.Equal(Tags(("outcome", "allow")), TagsOf(duration));
        Assert.Equal("ms", Assert.Single(metrics, m => m.Name == ReflexiveTelemetry.DecisionDurationMetric).Unit);
    }

    [Fact]
    public async Task Webhook_LowConfidence_CountsDenyWithItsReasonCode()
    {
        var (activities, metrics) = await RunAsync(ElevationWebhookTests.Body(confidence: 0.2), HttpStatusCode.OK);

        var decision = Assert.Single(Points(metrics, ReflexiveTelemetry.DecisionsMetric));
        Assert.Equal(Tags(("outcome", "deny"), ("reason_code", "confidence_below_threshold"), ("replayed", false)), TagsOf(decision));
        Assert.Equal("deny", Assert.Single(activities, a => a.OperationName == ReflexiveTelemetry.DecideSpan).GetTagItem("reflexive.outcome"));
    }

    [Fact]
    public async Task Webhook_InvalidConfidence_CountsRejectedWithTheProblemCode()
    {
        var (activities, metrics) = await RunAsync(ElevationWebhookTests.Body(confidence: 1.5), HttpStatusCode.UnprocessableEntity);

        var decision = Assert.Single(Points(metrics, ReflexiveTelemetry.DecisionsMetric));
        Assert.Equal(Tags(("outcome", "rejected"), ("reason_code", "invalid_field"), ("replayed", false)), TagsOf(decision));
        var decide = Assert.Single(activities, a => a.OperationName == ReflexiveTelemetry.DecideSpan);
        var append = Assert.Single(activities, a => a.OperationName == ReflexiveTelemetry.LedgerAppendSpan && a.TraceId == decide.TraceId);
        Assert.Equal(nameof(LedgerEntryKind.RequestRejected), append.GetTagItem("reflexive.entry_kind"));
    }

    /// <summary>Starts the host with in-memory exporters, makes one signed call, and stops the host so every span has ended and metrics are flushed.</summary>
    private static async Task<(List<Activity> Activities, List<MetricSnapshot> Metrics)> RunAsync(string body, HttpStatusCode expected, IDictionary<string, string?>? settings = null)
    {
        var activities = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        var host = await ServiceHost.StartAsync(settings, configureServices: services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(activities));
            services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        });
        try
        {
            using var response = await host.PostSignedAsync(body, requestId: "req-telemetry-1");
            Assert.Equal(expected, response.StatusCode);
        }
        finally
        {
            // Stopping drains the request (its spans end) and disposing the meter provider exports the final collection.
            await host.DisposeAsync();
        }

        return (activities, metrics);
    }

    private static List<MetricPoint> Points(List<MetricSnapshot> metrics, string name) =>
        metrics.Where(m => m.Name == name).GroupBy(m => m.Name).Select(g => g.Last()).SelectMany(m => m.MetricPoints).ToList();

    private static Dictionary<string, object?> TagsOf(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    private static Dictionary<string, object?> Tags(params (string Key, object? Value)[] tags) =>
        tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    private static bool IsDescendant(Activity child, Activity ancestor, List<Activity> all)
    {
        for (var current = child; current is not null; current = all.FirstOrDefault(a => a.SpanId == current.ParentSpanId))
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }
}
