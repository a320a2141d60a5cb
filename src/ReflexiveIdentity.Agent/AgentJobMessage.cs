using System.Text.Json;

namespace ReflexiveIdentity.Omega;

/// <summary>
/// A job as a queue message: <c>{"job_id", "dataset", "report", "destination"}</c>, snake_case JSON (the
/// storage queue carries it Base64-encoded).
/// </summary>
public static class AgentJobMessage
{
    /// <summary>The message text for <paramref name="job"/>.</summary>
    public static string Serialize(AgentJob job) => JsonSerializer.Serialize(job, AgentJsonContext.Default.AgentJob);

    /// <summary>
    /// Reads a message: the job, or why the message is no job (not JSON, not an object, a field missing or
    /// of the wrong type). Whether the job can run is <see cref="AgentJob.Problems"/>'s to say.
    /// </summary>
    public static (AgentJob? Job, string? Problem) Parse(string message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, $"The message is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object.");
            }

            var job = document.RootElement.Deserialize(AgentJsonContext.Default.AgentJob);
            return job is null ? (null, "The message is JSON null, not an object.") : (job, null);
        }
        catch (JsonException ex)
        {
            return (null, $"The message is not a job: {FirstSentence(ex.Message)}.");
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }
}
