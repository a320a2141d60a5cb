using System.Text.Json.Nodes;
using ReflexiveIdentity.Auth0Emulation.Management;

namespace ReflexiveIdentity.Auth0Emulation.Tests;

public sealed class UserQueryTests
{
    private static readonly JsonObject Omega = (JsonObject)JsonNode.Parse("""
        {"user_id": "auth0|agent_omega", "email": "omega@agents.test",
         "app_metadata": {"agent_id": "agent_omega", "trust_score": 64, "status": "quarantined", "revoked_scopes": ["share.output"]}}
        """)!;

    private static readonly JsonObject Human = (JsonObject)JsonNode.Parse("""{"user_id": "auth0|human", "email": "human@example.test"}""")!;

    [Theory]
    [InlineData("app_metadata.agent_id:\"agent_omega\"", true, false)]
    [InlineData("app_metadata.agent_id:agent_omega", true, false)]
    [InlineData("_exists_:app_metadata.agent_id", true, false)]
    [InlineData("NOT _exists_:app_metadata.agent_id", false, true)]
    [InlineData("-_exists_:app_metadata.agent_id", false, true)]
    [InlineData("app_metadata.trust_score:[0 TO 69]", true, false)]
    [InlineData("app_metadata.trust_score:{64 TO *}", false, false)]
    [InlineData("app_metadata.trust_score:64", true, false)]
    [InlineData("app_metadata.revoked_scopes:\"share.output\"", true, false)]
    [InlineData("app_metadata.agent_id:agent_*", true, false)]
    [InlineData("_exists_:app_metadata.agent_id AND app_metadata.status:\"active\"", false, false)]
    [InlineData("app_metadata.status:quarantined OR email:\"human@example.test\"", true, true)]
    [InlineData("(user_id:\"auth0|human\" OR user_id:\"auth0|agent_omega\") app_metadata.status:quarantined", true, false)]
    [InlineData("", true, true)]
    public void Parse_Query_MatchesLikeAuth0Search(string query, bool omega, bool human)
    {
        var parsed = UserQuery.Parse(query);

        Assert.Equal(omega, parsed.Matches(Omega));
        Assert.Equal(human, parsed.Matches(Human));
    }

    [Theory]
    [InlineData("agent_omega")]
    [InlineData("app_metadata.agent_id:\"open")]
    [InlineData("(app_metadata.agent_id:x")]
    [InlineData("app_metadata.trust_score:[a TO b]")]
    public void Parse_Malformed_Throws(string query) => Assert.Throws<UserQueryException>(() => UserQuery.Parse(query));
}
