using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ReflexiveIdentity.Omega;

[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(AgentJob))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
