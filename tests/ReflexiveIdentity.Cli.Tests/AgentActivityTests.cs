using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ReflexiveIdentity.Cli.Tests;

/// <summary>The events and signals routes over loopback: signed, validated, recorded, 202 with the entry.</summary>
public sealed class AgentActivityTests : IAsyncLifetime
{
    private ServiceHost host = null!;

    public async Task InitializeAsync() => host = await ServiceHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task PostEvent_Valid_Is202WithTheEntryAndRecorded()
    {
        var response = await host.PostSignedToAsync("/api/v1/agents/agent_omega/events", Event("stage_started", scope: "read.dataset"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var entry = (await Json(response))["entry_id"]!.GetValue<string>();
        var recorded = Assert.Single(await host.EntriesAsync(), e => e.Kind == "event_recorded");
        Assert.Equal(entry, recorded.Id);
        Assert.Contains("\"scope\":\"read.dataset\"", recorded.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvent_InThePast_IsAcceptedWithItsTime()
    {
        var at = DateTimeOffset.UtcNow.AddHours(-3);

        var response = await host.PostSignedToAsync("/api/v1/agents/agent_omega/events", Event("retry", at: at, detail: """{"of":"read.dataset"}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var recorded = Assert.Single(await host.EntriesAsync(), e => e.Kind == "event_recorded");
        Assert.Equal(at.ToUnixTimeSeconds(), recorded.OccurredAt.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("teleport", null, null, "kind")]
    [InlineData("stage_started", null, null, "scope")]
    [InlineData("api_call", null, """{"endpoint":"/x"}""", "outcome")]
    [InlineData("retry", null, """{"what":"x"}""", "detail.of")]
    [InlineData("token_verification_failed", null, null, "detail.reason")]
    public async Task PostEvent_InvalidField_Is422NamingIt(string kind, string? scope, string? detail, string field)
    {
        var response = await host.PostSignedToAsync("/api/v1/agents/agent_omega/events", Event(kind, scope: scope, detail: detail));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Json(response);
        Assert.Contains(problem["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>() == field);
        Assert.Contains(await host.EntriesAsync(), e => e.Kind == "request_rejected" && e.ChainId == "agent_omega");
    }

    [Fact]
    public async Task PostEvent_InTheFuture_Is422()
    {
        var response = await host.PostSignedToAsync("/api/v1/agents/agent_omega/events", Event("stage_started", scope: "read.dataset", at: DateTimeOffset.UtcNow.AddMinutes(5)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("future", (await Json(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvent_UnknownStageScope_Is422UnknownScope()
    {
        var response = await host.PostSignedToAsync("/api/v1/agents/agent_omega/events", Event("stage_started", scope: "delete.everything"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("unknown_scope", (await Json(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostEvent_Unsigned_Is401AndRecordedOnTheServiceChain()
    {
        var response = await host.Client.PostAsync("/api/v1/agents/agent_omega/events", new StringContent(Event("retry"), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("$service", Assert.Single(await host.EntriesAsync()).ChainId);
    }

    [Fact]
    public async Task PostSignal_Valid_Is202AndRecorded()
    {
        var response = await host.PostSignedToAsync("/api/v1/agents/agent_omega/signals", """{"source":"peer-consensus","kind":"compromise_suspected","severity":0.9,"detail":"3 of 4 peers flagged output drift"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var recorded = Assert.Single(await host.EntriesAsync(), e => e.Kind == "signal_recorded");
        Assert.Contains("\"severity\":0.9", recorded.Payload, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"source":"peer-consensus","kind":"compromise_suspected","severity":1.5}""", "severity")]
    [InlineData("""{"source":"peer-consensus","kind":"compromise_suspected"}""", "severity")]
    [InlineData("""{"kind":"compromise_suspected","severity":0.5}""", "source")]
    public async Task PostSignal_Invalid_Is422NamingTheField(string body, string field)
    {
        var response = await host.PostSignedToAsync("/api/v1/agents/agent_omega/signals", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(field, (await Json(response))["errors"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostSignal_BadAgentId_Is422()
    {
        var response = await host.PostSignedToAsync("/api/v1/agents/$service/signals", """{"source":"x","kind":"y","severity":0.1}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    private static string Event(string kind, string? scope = null, DateTimeOffset? at = null, string? detail = null, string? outcome = null)
    {
        var body = new JsonObject { ["kind"] = kind, ["at"] = (at ?? DateTimeOffset.UtcNow).ToString("O", System.Globalization.CultureInfo.InvariantCulture) };
        if (scope is not null)
        {
            body["scope"] = scope;
        }

        if (outcome is not null)
        {
            body["outcome"] = outcome;
        }

        if (detail is not null)
        {
            body["detail"] = JsonNode.Parse(detail);
        }

        return body.ToJsonString();
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
