using System.Text.Json.Nodes;
using ReflexiveIdentity.Auth0Emulation.Seed;

namespace ReflexiveIdentity.Auth0Emulation.Tests.Support;

/// <summary>The sample seed, optionally edited as JSON first.</summary>
internal static class TestSeeds
{
    public static JsonObject SampleJson() => (JsonObject)JsonNode.Parse(File.ReadAllText(RepoPaths.SampleSeed))!;

    public static TenantSeed Sample(Action<JsonObject>? edit = null)
    {
        var json = SampleJson();
        edit?.Invoke(json);
        return TenantSeed.Parse(json.ToJsonString(), "test seed");
    }

    /// <summary>The sample without Action bindings: tokens are issued without starting Node.</summary>
    public static TenantSeed WithoutActions(Action<JsonObject>? edit = null) => Sample(json =>
    {
        json.Remove("action_bindings");
        edit?.Invoke(json);
    });
}
