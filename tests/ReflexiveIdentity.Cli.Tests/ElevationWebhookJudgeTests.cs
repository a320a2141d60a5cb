using System.Net;
using System.Text.Json.Nodes;
using ReflexiveIdentity.Ledger.Payloads;
using ReflexiveIdentity.Testing.Reasoning;

namespace ReflexiveIdentity.Cli.Tests;

/// <summary>The webhook with the judge on: the CLI host's settings point OpenAI__* at a local chat-completions server.</summary>
public sealed class ElevationWebhookJudgeTests : IAsyncLifetime
{
    private ChatCompletionsServer model = null!;
    private ServiceHost host = null!;

    public async Task InitializeAsync()
    {
        model = await ChatCompletionsServer.StartAsync();
        host = await ServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["OpenAI:Endpoint"] = model.Endpoint.AbsoluteUri,
            ["OpenAI:Deployment"] = "judge",
            ["OpenAI:ApiKey"] = "local-test-key-0001",
        });
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await model.DisposeAsync();
    }

    [Fact]
    public async Task Post_JudgeFindsSharingUnsupported_GrantsOnlyTheReportAndRecordsTheVerdict()
    {
        // A fooled or over-eager model may name more; the policy's grant is the ceiling.
        model.Answer = _ => """{"verdict":"inconsistent","consistent_scopes":["generate.report","admin:all"],"detail":"No report exists yet, so there is nothing to share."}""";

        var response = await host.PostSignedAsync(Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("allow", json["decision"]!.GetValue<string>());
        Assert.Equal(["generate.report"], json["granted_scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        var denied = Assert.Single(json["denied_scopes"]!.AsArray())!;
        Assert.Equal("share.output", denied["scope"]!.GetValue<string>());
        Assert.Equal("judge_inconsistent", denied["code"]!.GetValue<string>());
        Assert.Equal("No report exists yet, so there is nothing to share.", denied["detail"]!.GetValue<string>());
        Assert.Equal(["policy_satisfied", "judge_inconsistent"], json["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()));
        Assert.Equal("openai", json["judge"]!["kind"]!.GetValue<string>());
        Assert.Equal("inconsistent", json["judge"]!["verdict"]!.GetValue<string>());

        var decided = (await host.EntriesAsync()).Single(e => e.Kind == "elevation_decided");
        var record = LedgerJsonContext.Deserialize<ElevationDecidedPayload>(decided.Payload);
        Assert.Equal(new JudgeRecord("openai", "inconsistent"), record.Judge);
        Assert.Equal(["generate.report"], record.GrantedScopes);

        var call = Assert.Single(model.Calls);
        Assert.Equal("judge", call.Deployment);
        var data = JsonNode.Parse(call.User)!;
        Assert.Equal(["generate.report", "share.output"], data["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("Weekly ops review needs error rates per service", data["rationale"]!["reason"]!.GetValue<string>());
        Assert.Single(data["recent_actions"]!.AsArray(), a => a!.GetValue<string>().EndsWith(" agent_registered", StringComparison.Ordinal));
        Assert.DoesNotContain("Weekly ops review", call.System, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_JudgeKeepsNothing_DeniesWithoutGrant()
    {
        model.Answer = _ => """{"verdict":"inconsistent","consistent_scopes":[],"detail":"The reason does not match the recent actions."}""";

        var json = JsonNode.Parse(await (await host.PostSignedAsync(Body())).Content.ReadAsStringAsync())!;

        Assert.Equal("deny", json["decision"]!.GetValue<string>());
        Assert.Null(json["grant_id"]);
        Assert.Empty(json["granted_scopes"]!.AsArray());
        Assert.All(json["denied_scopes"]!.AsArray(), d => Assert.Equal("judge_inconsistent", d!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Post_JudgeAnswersGarbage_PolicyDecisionStandsWithJudgeUnavailable()
    {
        model.Answer = _ => "Sure! Both scopes look fine.";

        var json = JsonNode.Parse(await (await host.PostSignedAsync(Body())).Content.ReadAsStringAsync())!;

        Assert.Equal("allow", json["decision"]!.GetValue<string>());
        Assert.Equal(["generate.report", "share.output"], json["granted_scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["policy_satisfied", "judge_unavailable"], json["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()));
        Assert.Equal("unavailable", json["judge"]!["verdict"]!.GetValue<string>());
    }

    private static string Body() => """
        {
          "agent_id": "agent_omega",
          "principal": {"type": "user", "id": "auth0|agent_omega"},
          "trust_score": 92,
          "requested_scopes": ["read.dataset", "generate.report", "share.output"],
          "audience": "https://reflexive-identity/agents",
          "rationale": {"intent": "Generate the operational report and share it with ops", "reason": "Weekly ops review needs error rates per service", "confidence": 0.91},
          "context": {"trigger": "post-login", "client_id": "agent-omega-app", "ip": "127.0.0.1", "transaction_id": "tx-1"}
        }
        """;
}
