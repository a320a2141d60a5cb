using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ReflexiveIdentity.Auth0Emulation.Emulator;
using ReflexiveIdentity.Auth0Emulation.Tokens;

namespace ReflexiveIdentity.Auth0Emulation;

/// <summary>The emulator's wire types: snake_case like Auth0, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthErrorBody))]
[JsonSerializable(typeof(FaultSettingsBody))]
internal sealed partial class EmulatorJsonContext : JsonSerializerContext;
