using System.Text.Json.Serialization;

namespace ReflexiveIdentity.Http.Contracts;

/// <summary>Source-generated, snake_case JSON for every HTTP contract type.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(ElevationRequestBody))]
[JsonSerializable(typeof(ElevationResponseBody))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(AgentBody))]
[JsonSerializable(typeof(AgentListBody))]
[JsonSerializable(typeof(GrantBody))]
[JsonSerializable(typeof(LedgerVerificationBody))]
[JsonSerializable(typeof(HealthBody))]
[JsonSerializable(typeof(AgentEventBody))]
[JsonSerializable(typeof(AgentSignalBody))]
[JsonSerializable(typeof(RecordedBody))]
[JsonSerializable(typeof(RestoreRequestBody))]
[JsonSerializable(typeof(RestoreBody))]
[JsonSerializable(typeof(DashboardBody))]
[JsonSerializable(typeof(JobRequestBody))]
[JsonSerializable(typeof(JobAcceptedBody))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class ReflexiveJsonContext : JsonSerializerContext;
