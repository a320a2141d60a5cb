using ReflexiveIdentity.Elevation;

namespace ReflexiveIdentity.Reasoning;

/// <summary>
/// Writes a rationale from the request alone, no model: the intent is the task sentence (which names what
/// the stage does, e.g. "Generate the operational report ..."), the reason is the evidence, and the
/// confidence starts at <see cref="StartingConfidence"/> and drops with every failure, retry and missing
/// evidence. The fallback whenever no model is configured or the model fails.
/// </summary>
public sealed class DeterministicRationaleWriter : IRationaleWriter
{
    /// <summary>The confidence of a clean run with evidence.</summary>
    public const double StartingConfidence = 0.92;

    /// <summary>No rationale is ever more confident than this.</summary>
    public const double MaxConfidence = 0.95;

    /// <summary>No rationale is less confident than this.</summary>
    public const double MinConfidence = 0.1;

    /// <summary>Taken off per failed attempt.</summary>
    public const double FailurePenalty = 0.15;

    /// <summary>Taken off per retry.</summary>
    public const double RetryPenalty = 0.05;

    /// <summary>Taken off when there is no evidence at all.</summary>
    public const double NoEvidencePenalty = 0.2;

    private const int MaxReasonLength = 480;

    private static readonly char[] ScopeSeparators = ['.', '_', '-', ':'];

    /// <summary>The kind recorded for this writer.</summary>
    public const string DeterministicKind = "deterministic";

    /// <inheritdoc />
    public string Kind => DeterministicKind;

    /// <summary>The confidence the evidence supports, rounded to two decimals, in [<see cref="MinConfidence"/>, <see cref="MaxConfidence"/>].</summary>
    public static double ConfidenceFor(RationaleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var confidence = StartingConfidence
            - (FailurePenalty * Math.Max(0, request.Failures))
            - (RetryPenalty * Math.Max(0, request.Retries))
            - (Facts(request).Count == 0 ? NoEvidencePenalty : 0);
        return Math.Round(Math.Clamp(confidence, MinConfidence, MaxConfidence), 2);
    }

    /// <summary>Writes the rationale at once.</summary>
    public static Rationale Write(RationaleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Rationale(Intent(request), Reason(request), ConfidenceFor(request));
    }

    /// <inheritdoc />
    public Task<Rationale> WriteAsync(RationaleRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(request));
    }

    // The task sentence carries the stage's verb; when it names nothing of the scope, the scope's own words are added.
    private static string Intent(RationaleRequest request)
    {
        var scopeWords = request.Scope.Split(ScopeSeparators, StringSplitOptions.RemoveEmptyEntries);
        var task = OneLine(request.Task).TrimEnd('.');
        if (task.Length == 0)
        {
            return Capitalize(string.Join(' ', scopeWords));
        }

        return scopeWords.Any(word => task.Contains(word, StringComparison.OrdinalIgnoreCase))
            ? task
            : $"{task} ({request.Scope})";
    }

    private static string Reason(RationaleRequest request)
    {
        var facts = Facts(request);
        var task = OneLine(request.Task).TrimEnd('.');
        var needed = task.Length == 0 ? $"The {request.Scope} stage is next" : $"The next stage must {Uncapitalize(task)}";
        var evidence = facts.Count == 0
            ? " and no evidence was gathered before it"
            : $" from what the job found so far: {string.Join("; ", facts)}";
        var setbacks = request.Failures > 0 || request.Retries > 0
            ? $" ({Count(request.Failures, "failed attempt")} and {Count(request.Retries, "retry", "retries")} in this job)"
            : string.Empty;
        var reason = $"{needed}{evidence}{setbacks}.";
        return reason.Length <= MaxReasonLength ? reason : string.Concat(reason.AsSpan(0, MaxReasonLength - 1), "…");
    }

    private static List<string> Facts(RationaleRequest request) =>
        (request.Evidence ?? []).Select(OneLine).Select(fact => fact.TrimEnd('.', ';')).Where(fact => fact.Length > 0).ToList();

    private static string Count(int n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{Math.Max(0, n)} {many ?? one + "s"}";

    private static string OneLine(string? text) =>
        string.Join(' ', (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Uncapitalize(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
}
