namespace ReflexiveIdentity.Omega.Dataset;

/// <summary>The <c>level</c> of a log line.</summary>
public enum LogSeverity
{
    Debug,
    Info,
    Warn,
    Error,
}
