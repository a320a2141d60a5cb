using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Functions.Http;
using ReflexiveIdentity.Functions.Queues;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Http.Security;

namespace ReflexiveIdentity.Functions.Tests;

/// <summary>Each function class resolved from the worker's own registration and invoked directly.</summary>
public sealed class FunctionCompositionTests : IAsyncLifetime
{
    private WorkerHost worker = null!;
    private string operatorToken = null!;

    public async Task InitializeAsync()
    {
        worker = await WorkerHost.StartAsync();
        operatorToken = await worker.Tenant.OperatorTokenAsync();
    }

    public async Task DisposeAsync() => await worker.DisposeAsync();

    [Fact]
    public async Task AgentOmegaWorker_RealAgentWithoutItsCredentials_RefusesTheFirstStageNamingTheSettings()
    {
        var message = QueuesModelFactory.QueueMessage("m1", "p1", """{"job_id":"job-composed","dataset":"d.jsonl","report":"weekly","destination":"out/"}""", dequeueCount: 1);

        await worker.Function<AgentJobFunction>().Run(message, CancellationToken.None);

        var ledger = worker.Host.Services.GetRequiredService<ILedger>();
        var refusal = await ledger.ReadChainAsync("agent_omega", CancellationToken.None)
            .Select(e => LedgerJsonContext.Deserialize<EventRecordedPayload>(e.Payload))
            .SingleAsync(e => e.Kind == "stage_failed");
        Assert.Equal(("read.dataset", "refused"), (refusal.Scope, refusal.Outcome));
        Assert.Equal("agent_omega cannot get tokens: set AgentOmega__ClientId, AgentOmega__RefreshToken.", refusal.Detail!.Value.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Elevations_SignedRequest_AnswersTheDecision()
    {
        var body = """{"agent_id":"agent_omega","principal":{"type":"user","id":"auth0|agent_omega"},"requested_scopes":["generate.report"],"rationale":{"intent":"Generate operational report","reason":"Weekly ops review needs error rates per service","confidence":0.9}}""";
        var context = Context("POST", body);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        context.Request.Headers[WebhookSignature.TimestampHeader] = ts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Request.Headers[WebhookSignature.SignatureHeader] = WebhookSignature.Sign(WorkerHost.Secret, ts, Encoding.UTF8.GetBytes(body));

        var result = await worker.Function<ElevationsFunction>().Run(context.Request, CancellationToken.None);

        Assert.IsType<EmptyResult>(result);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("allow", Read(context)["decision"]!.GetValue<string>());
    }

    [Fact]
    public async Task Elevations_Unsigned_Answers401Problem()
    {
        var context = Context("POST", "{}");

        await worker.Function<ElevationsFunction>().Run(context.Request, CancellationToken.None);

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal("signature_missing", Read(context)["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_Answers200()
    {
        var context = Context("GET");

        await worker.Function<HealthFunction>().Run(context.Request, CancellationToken.None);

        Assert.Equal(200, context.Response.StatusCode);
    }

    [Fact]
    public async Task AdminFunctions_WithKey_Answer200AndWithoutKey401()
    {
        var list = Context("GET", admin: true);
        await worker.Function<AgentsFunctions>().List(list.Request, CancellationToken.None);
        var verify = Context("GET", admin: true);
        await worker.Function<LedgerVerifyFunction>().Run(verify.Request, CancellationToken.None);
        var agent = Context("GET", admin: true);
        await worker.Function<AgentsFunctions>().Get(agent.Request, "nobody", CancellationToken.None);
        var grant = Context("GET");
        await worker.Function<GrantFunction>().Run(grant.Request, "grt_x", CancellationToken.None);

        Assert.Equal(200, list.Response.StatusCode);
        Assert.Equal(200, verify.Response.StatusCode);
        Assert.Equal(404, agent.Response.StatusCode);
        Assert.Equal(401, grant.Response.StatusCode);
    }

    [Fact]
    public async Task DashboardFunctions_ServeThePageAndTheSnapshotToAnOperator()
    {
        var page = Context("GET");
        page.Request.Path = "/api/dashboard";
        await worker.Function<DashboardFunctions>().Page(page.Request, CancellationToken.None);
        var script = Context("GET");
        await worker.Function<DashboardFunctions>().Asset(script.Request, "dashboard.js", CancellationToken.None);
        var snapshot = Context("GET", admin: true);
        await worker.Function<DashboardFunctions>().Snapshot(snapshot.Request, CancellationToken.None);
        var anonymous = Context("GET");
        await worker.Function<DashboardFunctions>().Snapshot(anonymous.Request, CancellationToken.None);

        Assert.Equal(200, page.Response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", page.Response.ContentType);
        Assert.Equal(200, script.Response.StatusCode);
        Assert.Equal("text/javascript; charset=utf-8", script.Response.ContentType);
        Assert.Equal(200, snapshot.Response.StatusCode);
        Assert.Empty(Read(snapshot)["agents"]!.AsArray());
        Assert.Equal(401, anonymous.Response.StatusCode);
    }

    private DefaultHttpContext Context(string method, string? body = null, bool admin = false)
    {
        var context = new DefaultHttpContext { RequestServices = worker.Host.Services };
        context.Request.Method = method;
        if (body is not null)
        {
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        }

        if (admin)
        {
            context.Request.Headers.Authorization = $"Bearer {operatorToken}";
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    private static JsonNode Read(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return JsonNode.Parse(context.Response.Body)!;
    }
}
