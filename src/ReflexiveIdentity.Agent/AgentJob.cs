namespace ReflexiveIdentity.Omega;

/// <summary>One piece of work for agent_omega: read a dataset, build a report, deliver it.</summary>
public sealed record AgentJob
{
    /// <summary>The caller's id for the job; a job runs at most once per id.</summary>
    public required string JobId { get; init; }

    /// <summary>The JSON Lines log file to analyse.</summary>
    public required string Dataset { get; init; }

    /// <summary>The report's name (file names derive from it).</summary>
    public required string Report { get; init; }

    /// <summary>Where to deliver: a folder path (or <c>folder:PATH</c>), an HTTPS URL, or <c>blob:CONTAINER[/prefix]</c>.</summary>
    public required string Destination { get; init; }

    /// <summary>A fresh job id, <c>job_</c> and 32 hex digits, for callers that send none.</summary>
    public static string NewId() => $"job_{Guid.NewGuid():N}";

    /// <summary>What is wrong with the job, one message per field; empty when it can run.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(JobId) || JobId.Length > 128 || JobId.Any(char.IsControl))
        {
            problems.Add("job_id: required, at most 128 characters, no control characters.");
        }

        if (string.IsNullOrWhiteSpace(Dataset))
        {
            problems.Add("dataset: required (the path of a JSON Lines log file).");
        }

        if (string.IsNullOrWhiteSpace(Report) || Report.Length > 100 || Report.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || Report.StartsWith('.'))
        {
            problems.Add("report: required, up to 100 characters of letters, digits, '-', '_' or '.', not starting with '.'.");
        }

        if (string.IsNullOrWhiteSpace(Destination))
        {
            problems.Add("destination: required (a folder, an https:// URL or blob:CONTAINER).");
        }

        return problems;
    }
}
