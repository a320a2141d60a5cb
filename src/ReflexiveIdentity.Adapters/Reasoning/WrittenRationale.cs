using ReflexiveIdentity.Elevation;

namespace ReflexiveIdentity.Adapters.Reasoning;

/// <summary>A rationale and which writer produced it.</summary>
/// <param name="Rationale">The rationale.</param>
/// <param name="Kind"><c>openai</c> when the model's answer was used, <c>deterministic</c> when the writer fell back.</param>
/// <param name="Fallback">Why the writer fell back (null when the model's answer was used); never model output.</param>
public sealed record WrittenRationale(Rationale Rationale, string Kind, string? Fallback);
