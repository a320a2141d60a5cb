using System.Text.Json.Nodes;

namespace ReflexiveIdentity.Auth0Emulation.Tenant;

/// <summary>
/// Auth0's metadata merge: root-level keys are replaced (deeper levels are not merged), a null value
/// deletes its key, and an empty object clears the metadata.
/// </summary>
internal static class MetadataMerge
{
    public static void Apply(JsonObject target, JsonObject patch)
    {
        if (patch.Count == 0)
        {
            target.Clear();
            return;
        }

        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
