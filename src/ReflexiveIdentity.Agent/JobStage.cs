namespace ReflexiveIdentity.Omega;

/// <summary>One gated stage of a job: the scope it needs, what it does in a sentence, and the work.</summary>
/// <param name="Scope">The scope the stage needs (<c>read.dataset</c>, <c>generate.report</c>, <c>share.output</c>).</param>
/// <param name="Task">What the stage does, as the rationale will say it.</param>
/// <param name="RunAsync">The work; returns one line of evidence for later rationales (e.g. "read 3,000 lines from 6 services").</param>
public sealed record JobStage(string Scope, string Task, Func<CancellationToken, Task<string>> RunAsync);

/// <summary>A job's input is wrong (missing dataset, unknown destination form): retrying cannot help.</summary>
public sealed class JobInputException : Exception
{
    public JobInputException()
    {
    }

    public JobInputException(string message)
        : base(message)
    {
    }

    public JobInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
