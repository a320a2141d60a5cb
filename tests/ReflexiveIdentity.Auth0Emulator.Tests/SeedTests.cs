using System.Text.Json.Nodes;
using ReflexiveIdentity.Auth0Emulation.Seed;
using ReflexiveIdentity.Auth0Emulation.Tests.Support;

namespace ReflexiveIdentity.Auth0Emulation.Tests;

public sealed class SeedTests
{
    private static SeedException Invalid(Action<JsonObject> edit) => Assert.Throws<SeedException>(() => TestSeeds.Sample(edit));

    [Fact]
    public void Load_SampleSeed_HasTheProductsTenant()
    {
        var seed = TenantSeed.Load(RepoPaths.SampleSeed);

        Assert.Equal("https://reflexive-identity/agents", seed.DefaultAudience);
        Assert.Equal(["reflexive-management", "reflexive-operator", "agent-omega-app", "agent_sigma"], seed.Clients.Select(c => c.ClientId));
        Assert.Equal("agent_omega", seed.Users[0].AppMetadata!["agent_id"]!.GetValue<string>());
        Assert.Equal("100", seed.Clients[3].ClientMetadata["trust_score"]);
        Assert.Equal(TenantSeed.ManagementAudience, seed.ClientGrants[0].Audience);
        Assert.Equal(["post-login"], seed.ActionBindings["post-login"]);
        Assert.Equal("70", seed.ActionSecrets["TRUST_THRESHOLD"]);
    }

    [Fact]
    public void Load_MissingFile_NamesTheFile()
    {
        var e = Assert.Throws<SeedException>(() => TenantSeed.Load("/nowhere/seed.json"));

        Assert.Contains("/nowhere/seed.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownField_NamesTheFileAndThePath()
    {
        var e = Assert.Throws<SeedException>(() => TenantSeed.Parse("""{"users": [{"user_id": "auth0|x", "colour": "red"}]}""", "seed.json"));

        Assert.StartsWith("Seed file 'seed.json' at $.users[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("colour", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingRequiredField_NamesIt()
    {
        var e = Assert.Throws<SeedException>(() => TenantSeed.Parse("""{"clients": [{"name": "x"}]}""", "seed.json"));

        Assert.Contains("client_id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongType_NamesThePath()
    {
        var e = Assert.Throws<SeedException>(() => TenantSeed.Parse("""{"clients": [{"client_id": "x", "client_metadata": {"trust_score": 100}}]}""", "seed.json"));

        Assert.Contains("$.clients[0].client_metadata.trust_score", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BrokenReferences_NameTheField()
    {
        Assert.Equal(
            "Seed file 'test seed': client_grants[2].client_id 'agent_tau' is not one of clients.",
            Invalid(json => json["client_grants"]![2]!["client_id"] = "agent_tau").Message);
        Assert.Equal(
            "Seed file 'test seed': users[0].permissions[0].permission_name 'delete.everything' is not a scope of 'https://reflexive-identity/agents'.",
            Invalid(json => json["users"]![0]!["permissions"]![0]!["permission_name"] = "delete.everything").Message);
        Assert.StartsWith(
            "Seed file 'test seed': action_bindings.pre-user-registration is not a supported trigger",
            Invalid(json => json["action_bindings"]!["pre-user-registration"] = new JsonArray("x")).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BoundActionMissing_FailsAtStartNamingTheFile()
    {
        using var sandbox = new ActionsSandbox();

        var e = Assert.Throws<InvalidOperationException>(() => Auth0Emulator.Build(new Auth0EmulatorOptions
        {
            SeedPath = RepoPaths.SampleSeed,
            ActionsRoot = sandbox.Root,
        }));

        Assert.Contains(Path.Combine(sandbox.Root, "actions", "post-login", "code.js"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentException>(() => Auth0Emulator.Build(new Auth0EmulatorOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Auth0Emulator.Build(new Auth0EmulatorOptions
        {
            SeedPath = RepoPaths.SampleSeed,
            Faults = new FaultSettings { Rate429 = 0.7, Rate5xx = 0.7 },
        }));
    }
}
