using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace ReflexiveIdentity.Auth0Emulation.Emulator;

/// <summary>
/// Counts Management API calls by method and route (every call that arrives, including those
/// answered with 401, 429 or an injected fault) and token requests by grant type.
/// </summary>
internal sealed class CallStats
{
    private readonly ConcurrentDictionary<string, long> _management = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _tokens = new(StringComparer.Ordinal);

    public void CountManagement(string method, string route) => _management.AddOrUpdate($"{method} {route}", 1, (_, n) => n + 1);

    public void CountToken(string grantType) => _tokens.AddOrUpdate(grantType, 1, (_, n) => n + 1);

    public JsonObject ToJson()
    {
        static JsonObject Counts(ConcurrentDictionary<string, long> counts) =>
            new([.. counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))]);

        return new JsonObject
        {
            ["management_api"] = new JsonObject { ["total"] = _management.Values.Sum(), ["calls"] = Counts(_management) },
            ["token_requests"] = new JsonObject { ["total"] = _tokens.Values.Sum(), ["grant_types"] = Counts(_tokens) },
        };
    }

    public void Reset()
    {
        _management.Clear();
        _tokens.Clear();
    }
}
