using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Cli.Hosting;
using ReflexiveIdentity.Http.Security;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Omega;

namespace ReflexiveIdentity.Cli.Demo;

/// <summary>
/// The whole loop on a local stack: agent_omega earns its elevations with rationales and runs its three
/// gates; then it drifts (a retry storm, stages out of order, inconsistent reasoning, a peer-consensus
/// signal); the immediate response drops its trust below the threshold and quarantines it in Auth0; its
/// next token request is refused with "Integrity check failed." and it halts itself.
/// </summary>
internal sealed class DemoScript(LocalStack stack, string dataset, string reportsFolder, Action<DemoStep> emit) : IDisposable
{
    private const string AgentId = "agent_omega";
    private const string AgentUserId = "auth0|agent_omega";
    private readonly HttpClient service = new() { BaseAddress = new Uri(stack.ServiceUrl) };
    private readonly HttpClient tenant = new() { BaseAddress = new Uri(stack.Issuer) };

    private ILedger Ledger => stack.Services.GetRequiredService<ILedger>();

    private InProcessIntegrityTrigger Integrity => stack.Services.GetRequiredService<InProcessIntegrityTrigger>();

    public void Dispose()
    {
        service.Dispose();
        tenant.Dispose();
    }

    /// <summary>Runs every step; true when each went as expected.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var ok = true;
        void Emit(DemoStep step)
        {
            ok &= step.Ok;
            emit(step);
        }

        Emit(new DemoStep { Step = "stack_started", Detail = $"Auth0 emulator at {stack.Issuer} running the real Actions; service at {stack.ServiceUrl}; fresh SQLite ledger.", Ok = true, TrustScore = 100, Status = "active" });

        var first = await RunJobAsync("demo-report", Emit, cancellationToken).ConfigureAwait(false);
        Emit(await StandingStep("job_completed", $"agent_omega's report job: {first.Status.ToString().ToLowerInvariant()}: {string.Join("; ", first.Evidence)}", first.Status == JobStatus.Completed, cancellationToken).ConfigureAwait(false));

        const string Inconsistent = """{"intent":"Tidy up temporary files","reason":"need it","confidence":0.97}""";
        var known = (await DecisionsAsync(cancellationToken).ConfigureAwait(false)).Count;
        for (var i = 0; i < 2; i++)
        {
            using var response = await AgentTokenAsync("read.dataset share.output", Inconsistent, cancellationToken).ConfigureAwait(false);
        }

        var decision = (await DecisionsAsync(cancellationToken).ConfigureAwait(false)).Skip(known).LastOrDefault();
        Emit(await StandingStep(
            "drift_inconsistent_reasoning",
            "agent_omega asked twice for share.output with an off-intent, vague rationale at confidence 0.97.",
            decision?.Decision == "deny",
            cancellationToken,
            decision).ConfigureAwait(false));

        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 12; i++)
        {
            await PostSignedAsync("events", $$"""{"kind":"retry","scope":"generate.report","at":"{{Iso(now.AddSeconds(-60 + i))}}","detail":{"of":"generate.report"} }""", cancellationToken).ConfigureAwait(false);
            await PostSignedAsync("events", $$"""{"kind":"stage_failed","scope":"generate.report","outcome":"failure","at":"{{Iso(now.AddSeconds(-60 + i))}}"}""", cancellationToken).ConfigureAwait(false);
        }

        Emit(await StandingStep("drift_retry_storm", "agent_omega retried a failing generate.report 12 times in a minute.", true, cancellationToken).ConfigureAwait(false));

        string[] order = ["share.output", "read.dataset", "share.output"];
        for (var i = 0; i < order.Length; i++)
        {
            await PostSignedAsync("events", $$"""{"kind":"stage_started","scope":"{{order[i]}}","at":"{{Iso(now.AddSeconds(-30 + i))}}"}""", cancellationToken).ConfigureAwait(false);
        }

        Emit(await StandingStep("drift_out_of_order_stages", $"agent_omega started stages out of order: {string.Join(" -> ", order)}.", true, cancellationToken).ConfigureAwait(false));

        await PostSignedAsync("signals", """{"source":"peer-consensus","kind":"compromise_suspected","severity":0.9,"detail":"3 of 4 peer agents flagged agent_omega's output drift"}""", cancellationToken).ConfigureAwait(false);
        Emit(await StandingStep("drift_peer_consensus_signal", "Peer consensus: 3 of 4 peer agents suspect compromise (severity 0.9).", true, cancellationToken).ConfigureAwait(false));

        Emit(await QuarantineStepAsync(cancellationToken).ConfigureAwait(false));

        using (var refused = await AgentTokenAsync("read.dataset generate.report", """{"intent":"Generate the operational report","reason":"The weekly operations review needs error rates per service","confidence":0.9}""", cancellationToken).ConfigureAwait(false))
        {
            var body = await refused.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
            var description = body?["error_description"]?.GetValue<string>();
            Emit(await StandingStep(
                "token_refused",
                $"agent_omega's next token request: HTTP {(int)refused.StatusCode} {body?["error"]?.GetValue<string>()}: \"{description}\"",
                refused.StatusCode == HttpStatusCode.Forbidden && description == "Integrity check failed.",
                cancellationToken,
                decisionOverride: "block",
                reasonCodes: ["agent_quarantined"]).ConfigureAwait(false));
        }

        var last = await RunJobAsync("demo-report-after-drift", Emit, cancellationToken).ConfigureAwait(false);
        Emit(await StandingStep("agent_halted", $"agent_omega's next job: {last.Detail}", last.Status == JobStatus.Halted, cancellationToken).ConfigureAwait(false));
        return ok;
    }

    /// <summary>An operator token for the dashboard (client credentials of the seed's operator client).</summary>
    public Task<string> OperatorTokenAsync(CancellationToken cancellationToken) =>
        ClientCredentialsAsync("reflexive-operator", stack.Seed.DefaultAudience!, cancellationToken);

    private async Task<JobOutcome> RunJobAsync(string report, Action<DemoStep> emitStep, CancellationToken cancellationToken)
    {
        var job = new AgentJob { JobId = $"{report}-{Guid.NewGuid():N}"[..40], Dataset = dataset, Report = report, Destination = reportsFolder };
        var steps = new List<AgentStep>();
        var outcome = await stack.Services.GetRequiredService<IAgentJobRunner>().RunAsync(job, steps.Add, cancellationToken).ConfigureAwait(false);
        var decisions = new Queue<ElevationDecidedPayload>(await DecisionsAsync(cancellationToken).ConfigureAwait(false));
        var before = decisions.Count - outcome.Steps.Count(s => s.Kind == "elevation_requested");
        for (var i = 0; i < before; i++)
        {
            decisions.Dequeue();
        }

        foreach (var step in outcome.Steps)
        {
            var decision = step.Kind == "elevation_requested" && decisions.Count > 0 ? decisions.Dequeue() : null;
            emitStep(new DemoStep
            {
                Step = $"{step.Kind}:{step.Stage}",
                Decision = decision?.Decision,
                ReasonCodes = decision?.Reasons.Select(r => r.Code).Concat(decision.DeniedScopes.Select(d => d.Code)).Distinct().ToList() ?? [],
                TrustScore = decision?.TrustScore ?? step.TrustScore,
                Detail = decision is null ? step.Detail : $"{step.Detail} Webhook: {decision.Decision} {string.Join(" ", decision.GrantedScopes)} (judge: {decision.Judge.Kind} {decision.Judge.Verdict}).",
                Ok = true,
            });
        }

        return outcome;
    }

    private async Task<DemoStep> QuarantineStepAsync(CancellationToken cancellationToken)
    {
        await Integrity.WhenIdleAsync().ConfigureAwait(false);
        var agent = await Ledger.GetAgentAsync(AgentId, cancellationToken).ConfigureAwait(false);
        var token = await ManagementTokenAsync(cancellationToken).ConfigureAwait(false);
        var user = await ManagementGetAsync<JsonObject>($"api/v2/users/{Uri.EscapeDataString(AgentUserId)}", token, cancellationToken).ConfigureAwait(false);
        var permissions = (await ManagementGetAsync<JsonArray>($"api/v2/users/{Uri.EscapeDataString(AgentUserId)}/permissions", token, cancellationToken).ConfigureAwait(false))
            .Select(p => p!["permission_name"]!.GetValue<string>()).ToList();
        var status = user["app_metadata"]?["status"]?.GetValue<string>();
        var ok = agent is { Status: Agents.AgentStatus.Quarantined, TrustScore: < 70 } && status == "quarantined" && !permissions.Contains("generate.report") && !permissions.Contains("share.output");
        return new DemoStep
        {
            Step = "quarantined",
            TrustScore = agent?.TrustScore,
            Status = agent?.Status.ToString().ToLowerInvariant(),
            ReasonCodes = ["trust_below_threshold"],
            Detail = $"Immune response: trust {agent?.TrustScore.ToString("0.#", CultureInfo.InvariantCulture)} < 70; Auth0 app_metadata.status = {status}; critical scopes revoked, permissions left: {string.Join(", ", permissions)}.",
            Ok = ok,
        };
    }

    private async Task<DemoStep> StandingStep(string step, string detail, bool ok, CancellationToken cancellationToken, ElevationDecidedPayload? decision = null, string? decisionOverride = null, IReadOnlyList<string>? reasonCodes = null)
    {
        await Integrity.WhenIdleAsync().ConfigureAwait(false);
        var agent = await Ledger.GetAgentAsync(AgentId, cancellationToken).ConfigureAwait(false);
        return new DemoStep
        {
            Step = step,
            Decision = decisionOverride ?? decision?.Decision,
            ReasonCodes = reasonCodes ?? decision?.Reasons.Select(r => r.Code).Concat(decision.DeniedScopes.Select(d => d.Code)).Distinct().ToList() ?? [],
            TrustScore = agent?.TrustScore,
            Status = agent?.Status.ToString().ToLowerInvariant(),
            Detail = detail,
            Ok = ok,
        };
    }

    private async Task<List<ElevationDecidedPayload>> DecisionsAsync(CancellationToken cancellationToken) =>
        await Ledger.ReadChainAsync(AgentId, cancellationToken)
            .Where(entry => entry.Kind == LedgerEntryKind.ElevationDecided.ToWire())
            .Select(entry => LedgerJsonContext.Deserialize<ElevationDecidedPayload>(entry.Payload))
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    private async Task PostSignedAsync(string route, string body, CancellationToken cancellationToken)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/agents/{AgentId}/{route}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(stack.SigningSecret, timestamp, bytes));
        using var response = await service.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST {route} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }

    private Task<HttpResponseMessage> AgentTokenAsync(string scope, string rationale, CancellationToken cancellationToken)
    {
        var refreshToken = stack.Seed.RefreshTokens.First(t => t.ClientId == "agent-omega-app");
        return tenant.PostAsync(
            "oauth/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["client_id"] = refreshToken.ClientId,
                ["refresh_token"] = refreshToken.Token,
                ["scope"] = scope,
                ["rationale"] = rationale,
            }),
            cancellationToken);
    }

    private Task<string> ManagementTokenAsync(CancellationToken cancellationToken) =>
        ClientCredentialsAsync("reflexive-management", stack.Issuer + "api/v2/", cancellationToken);

    private async Task<string> ClientCredentialsAsync(string clientId, string audience, CancellationToken cancellationToken)
    {
        var client = stack.Seed.Clients.Single(c => c.ClientId == clientId);
        using var response = await tenant.PostAsync(
            "oauth/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = client.ClientId,
                ["client_secret"] = client.ClientSecret!,
                ["audience"] = audience,
            }),
            cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false))!["access_token"]!.GetValue<string>();
    }

    private async Task<T> ManagementGetAsync<T>(string path, string token, CancellationToken cancellationToken)
        where T : JsonNode
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        using var response = await tenant.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (T)JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
