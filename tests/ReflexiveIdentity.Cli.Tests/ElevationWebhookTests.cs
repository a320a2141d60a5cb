using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Cli.Tests;

/// <summary>The webhook over real HTTP on loopback, through the CLI host, against a real SQLite file.</summary>
public sealed class ElevationWebhookTests : IAsyncLifetime
{
    private ServiceHost host = null!;

    public async Task InitializeAsync() => host = await ServiceHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Post_SignedRequest_AllowsWithGrantAndRecordsIt()
    {
        var response = await host.PostSignedAsync(Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Json(response);
        Assert.Equal("allow", json["decision"]!.GetValue<string>());
        Assert.Equal(["generate.report"], json["granted_scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.StartsWith("grt_", json["grant_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("Z", json["expires_at"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("policy_satisfied", json["reasons"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(92, json["trust_score"]!.GetValue<double>());

        var entries = await host.EntriesAsync();
        Assert.Equal(["agent_registered", "elevation_decided"], entries.Select(e => e.Kind));
        Assert.Equal(response.Headers.GetValues("X-Reflexive-Ledger-Entry").Single(), entries[1].Id);

        var grant = await Json(await host.GetAdminAsync($"/api/v1/grants/{json["grant_id"]}"));
        Assert.Equal("active", grant["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_SignedWithRotatedSecret_IsAccepted()
    {
        var response = await host.PostSignedAsync(Body(), secret: ServiceHost.OldSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_Unsigned_Is401ProblemAndRecordedOnTheServiceChain()
    {
        var response = await host.Client.PostAsync("/api/v1/elevations", new StringContent(Body(), Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.Unauthorized, "signature_missing");
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal(RejectionLog.ServiceChain, entry.ChainId);
        Assert.Equal("request_rejected", entry.Kind);
        Assert.DoesNotContain("Weekly ops review", entry.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WrongSecret_Is401SignatureInvalid()
    {
        var response = await host.PostSignedAsync(Body(), secret: "an-attackers-guess-at-the-secret");

        await AssertProblem(response, HttpStatusCode.Unauthorized, "signature_invalid");
    }

    [Fact]
    public async Task Post_StaleTimestamp_Is401SignatureExpired()
    {
        var response = await host.PostSignedAsync(Body(), timestamp: DateTimeOffset.UtcNow.AddSeconds(-301).ToUnixTimeSeconds());

        await AssertProblem(response, HttpStatusCode.Unauthorized, "signature_expired");
    }

    [Fact]
    public async Task Post_BodyChangedAfterSigning_Is401()
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/elevations") { Content = new StringContent(Body(trust: 100), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Reflexive-Timestamp", ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Reflexive-Signature", Http.Security.WebhookSignature.Sign(ServiceHost.Secret, ts, Encoding.UTF8.GetBytes(Body(trust: 50))));

        var response = await host.Client.SendAsync(request);

        await AssertProblem(response, HttpStatusCode.Unauthorized, "signature_invalid");
    }

    [Fact]
    public async Task Post_SameRequestIdTwice_ReturnsTheFirstAnswerAndOneDecision()
    {
        var first = await host.PostSignedAsync(Body(), requestId: "req-42");
        var second = await host.PostSignedAsync(Body(), requestId: "req-42");

        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues("X-Reflexive-Replayed").Single());
        Assert.Single(await host.EntriesAsync(), e => e.Kind == "elevation_decided");
    }

    [Fact]
    public async Task Post_SameRequestIdWithOtherBody_Is409AndRecorded()
    {
        await host.PostSignedAsync(Body(), requestId: "req-43");

        var response = await host.PostSignedAsync(Body(confidence: 0.95), requestId: "req-43");

        await AssertProblem(response, HttpStatusCode.Conflict, "request_id_reused");
        Assert.Contains(await host.EntriesAsync(), e => e.ChainId == "agent_omega" && e.Kind == "request_rejected");
    }

    [Fact]
    public async Task Post_MalformedJson_Is400()
    {
        var response = await host.PostSignedAsync("{\"agent_id\": \"agent_omega\",");

        await AssertProblem(response, HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task Post_WrongTypes_Is400NamingTheField()
    {
        var response = await host.PostSignedAsync(Body().Replace("0.91", "\"very\"", StringComparison.Ordinal));

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "invalid_type");
        Assert.Contains("rationale.confidence", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_JsonArray_Is400()
    {
        var response = await host.PostSignedAsync("[1,2,3]");

        await AssertProblem(response, HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task Post_Oversized_Is413AndRecorded()
    {
        var body = Body().Replace("Weekly ops review", new string('x', 17_000), StringComparison.Ordinal);

        var response = await host.PostSignedAsync(body);

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        Assert.Single(await host.EntriesAsync());
    }

    [Fact]
    public async Task Post_WrongContentType_Is415()
    {
        var response = await host.PostSignedAsync(Body(), contentType: "text/plain");

        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Post_UnknownScope_Is422AndRecordedOnTheAgentsChain()
    {
        var response = await host.PostSignedAsync(Body(scopes: "\"generate.report\", \"delete.everything\""));

        var problem = await AssertProblem(response, HttpStatusCode.UnprocessableEntity, "unknown_scope");
        Assert.Contains("delete.everything", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal("agent_omega", entry.ChainId);
    }

    [Fact]
    public async Task Post_ConfidenceAboveOne_Is422NamingTheField()
    {
        var response = await host.PostSignedAsync(Body(confidence: 1.5));

        var problem = await AssertProblem(response, HttpStatusCode.UnprocessableEntity, "invalid_field");
        Assert.Equal("rationale.confidence", problem["errors"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_NegativeConfidence_Is422()
    {
        var response = await host.PostSignedAsync(Body(confidence: -0.1));

        await AssertProblem(response, HttpStatusCode.UnprocessableEntity, "invalid_field");
    }

    [Fact]
    public async Task Post_MissingAgentId_Is422()
    {
        var response = await host.PostSignedAsync(Body().Replace("\"agent_id\": \"agent_omega\",", string.Empty, StringComparison.Ordinal));

        var problem = await AssertProblem(response, HttpStatusCode.UnprocessableEntity, "invalid_field");
        Assert.Equal("agent_id", problem["errors"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_TrustBelowThreshold_BlocksWithReasonCode()
    {
        var response = await host.PostSignedAsync(Body(trust: 65));

        var json = await Json(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("block", json["decision"]!.GetValue<string>());
        Assert.Equal("trust_below_threshold", json["reasons"]![0]!["code"]!.GetValue<string>());
        Assert.Null(json["grant_id"]);
    }

    [Fact]
    public async Task Post_LowConfidence_DeniesWithReasonCode()
    {
        var response = await host.PostSignedAsync(Body(confidence: 0.3));

        var json = await Json(response);
        Assert.Equal("deny", json["decision"]!.GetValue<string>());
        Assert.Equal("confidence_below_threshold", json["denied_scopes"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_NoRationale_DeniesWithMissingRationale()
    {
        var body = JsonNode.Parse(Body())!.AsObject();
        body.Remove("rationale");

        var json = await Json(await host.PostSignedAsync(body.ToJsonString()));

        Assert.Equal("deny", json["decision"]!.GetValue<string>());
        Assert.Equal("missing_rationale", json["reasons"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Requests_AcceptedAndRejected_AreAllInTheLedgerAndTheChainsVerify()
    {
        await host.PostSignedAsync(Body());
        await host.PostSignedAsync(Body(confidence: 2));
        await host.PostSignedAsync("not json");
        await host.Client.PostAsync("/api/v1/elevations", new StringContent("{}", Encoding.UTF8, "application/json"));
        await host.GetAdminAsync("/api/v1/agents", token: "not-a-token");

        var entries = await host.EntriesAsync();
        Assert.Equal(1, entries.Count(e => e.Kind == "elevation_decided"));
        Assert.Equal(4, entries.Count(e => e.Kind == "request_rejected"));

        var verify = await Json(await host.GetAdminAsync("/api/v1/ledger/verify"));
        Assert.True(verify["intact"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AdminRoutes_WithoutToken_Are401AndRecorded()
    {
        await AssertProblem(await host.GetAdminAsync("/api/v1/agents", token: string.Empty), HttpStatusCode.Unauthorized, "token_missing");
        var problem = await AssertProblem(await host.GetAdminAsync("/api/v1/ledger/verify", token: "nope.nope.nope"), HttpStatusCode.Unauthorized, "token_invalid");

        Assert.Contains("not a well-formed JWT", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, (await host.EntriesAsync()).Count(e => e.Kind == "request_rejected" && e.ChainId == RejectionLog.ServiceChain));
    }

    [Fact]
    public async Task AdminRoutes_AgentTokenWithoutAdminScope_Are403()
    {
        var agentToken = await host.Tenant.AgentTokenAsync("read.dataset", null);
        var token = JsonNode.Parse(await agentToken.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();

        var response = await host.GetAdminAsync("/api/v1/agents", token);

        await AssertProblem(response, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAgent_AfterAnElevation_ShowsScoreStatusAndActiveGrant()
    {
        var decision = await Json(await host.PostSignedAsync(Body()));

        var agent = await Json(await host.GetAdminAsync("/api/v1/agents/agent_omega"));

        Assert.Equal(100, agent["trust_score"]!.GetValue<double>());
        Assert.Equal("active", agent["status"]!.GetValue<string>());
        Assert.Equal(decision["grant_id"]!.GetValue<string>(), agent["active_grants"]![0]!["grant_id"]!.GetValue<string>());
        await AssertProblem(await host.GetAdminAsync("/api/v1/agents/nobody"), HttpStatusCode.NotFound, "agent_not_found");
        await AssertProblem(await host.GetAdminAsync("/api/v1/grants/grt_nothing"), HttpStatusCode.NotFound, "grant_not_found");
    }

    [Fact]
    public async Task Health_Answers200WithTheLedgerHealthy()
    {
        var json = await Json(await host.Client.GetAsync("/api/health"));

        Assert.Equal("healthy", json["status"]!.GetValue<string>());
        Assert.Equal("healthy", json["checks"]!["ledger"]!["status"]!.GetValue<string>());
    }

    internal static string Body(double trust = 92, double confidence = 0.91, string scopes = "\"read.dataset\", \"generate.report\"") => $$"""
        {
          "agent_id": "agent_omega",
          "principal": {"type": "user", "id": "auth0|agent_omega"},
          "trust_score": {{trust.ToString(System.Globalization.CultureInfo.InvariantCulture)}},
          "requested_scopes": [{{scopes}}],
          "audience": "https://reflexive-identity/agents",
          "rationale": {"intent": "Generate operational report", "reason": "Weekly ops review needs error rates per service", "confidence": {{confidence.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},
          "context": {"trigger": "post-login", "client_id": "agent-omega-app", "ip": "127.0.0.1", "transaction_id": "tx-1"}
        }
        """;

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task<JsonNode> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await Json(response);
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        return problem;
    }
}
