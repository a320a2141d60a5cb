using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReflexiveIdentity.Ledger.Payloads;

/// <summary>Source-generated, snake_case JSON for ledger payloads; its output is what gets hashed.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(ElevationDecidedPayload))]
[JsonSerializable(typeof(RequestRejectedPayload))]
[JsonSerializable(typeof(AgentRegisteredPayload))]
[JsonSerializable(typeof(GrantRevokedPayload))]
[JsonSerializable(typeof(EventRecordedPayload))]
[JsonSerializable(typeof(SignalRecordedPayload))]
[JsonSerializable(typeof(Integrity.TrustRecomputedPayload))]
[JsonSerializable(typeof(Integrity.AgentQuarantinedPayload))]
[JsonSerializable(typeof(Integrity.AgentRestoredPayload))]
[JsonSerializable(typeof(Integrity.DirectorySyncedPayload))]
public sealed partial class LedgerJsonContext : JsonSerializerContext
{
    /// <summary>Serializes a payload with the ledger's canonical settings.</summary>
    public static string Serialize<T>(T payload) => JsonSerializer.Serialize(payload, typeof(T), Default);

    /// <summary>Reads a payload back.</summary>
    public static T Deserialize<T>(string json) =>
        (T)(JsonSerializer.Deserialize(json, typeof(T), Default) ?? throw new JsonException($"The ledger payload is not a {typeof(T).Name}."));
}
