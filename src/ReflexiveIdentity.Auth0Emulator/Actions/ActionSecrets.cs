namespace ReflexiveIdentity.Auth0Emulation.Actions;

/// <summary>The secrets Actions see as <c>event.secrets</c>: the seed's, overridden by the emulator's options.</summary>
internal sealed record ActionSecrets(IReadOnlyDictionary<string, string> Values)
{
    public static ActionSecrets Merge(IReadOnlyDictionary<string, string> seeded, IEnumerable<KeyValuePair<string, string>> overrides)
    {
        var values = new Dictionary<string, string>(seeded, StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            values[name] = value;
        }

        return new ActionSecrets(values);
    }
}
