using System.Text.Json.Serialization;

namespace ReflexiveIdentity.Omega.Sharing;

/// <summary>Source-generated, snake_case JSON for what the destinations send.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReportPostBody))]
public sealed partial class SharingJsonContext : JsonSerializerContext;
