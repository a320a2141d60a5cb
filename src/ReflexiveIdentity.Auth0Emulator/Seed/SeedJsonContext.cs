using System.Text.Json.Serialization;

namespace ReflexiveIdentity.Auth0Emulation.Seed;

/// <summary>Seed files are snake_case; an unknown field is an error, so a typo cannot go unnoticed.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(TenantSeed))]
internal sealed partial class SeedJsonContext : JsonSerializerContext;
