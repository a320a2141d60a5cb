using System.Text.Json.Serialization;

namespace ReflexiveIdentity.Adapters.Reasoning;

/// <summary>The judge's user message: the rationale and the recent actions as one JSON document of data.</summary>
internal sealed record JudgeDocument(string AgentId, RationaleDocument Rationale, IReadOnlyList<string> Scopes, IReadOnlyList<string> RecentActions);

/// <summary>A rationale inside a judge document.</summary>
internal sealed record RationaleDocument(string Intent, string Reason, double Confidence);

/// <summary>The writer's user message: what the agent knows when it asks for a scope.</summary>
internal sealed record WriterDocument(string Scope, string Task, IReadOnlyList<string> Evidence, int Failures, int Retries, double MaxConfidence);

/// <summary>Snake_case JSON for the documents sent to the model. The default encoder escapes markup and non-ASCII, so tricks stay visible as data.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(JudgeDocument))]
[JsonSerializable(typeof(WriterDocument))]
internal sealed partial class ReasoningJsonContext : JsonSerializerContext;
