using System.Text.Json.Serialization;

namespace ReflexiveIdentity.Cli.Demo;

[JsonSerializable(typeof(DemoStep))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
