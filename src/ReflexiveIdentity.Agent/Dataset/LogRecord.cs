namespace ReflexiveIdentity.Omega.Dataset;

/// <summary>One line of an operational log dataset.</summary>
/// <param name="Timestamp">When the request was served (<c>timestamp</c>, ISO-8601).</param>
/// <param name="Service">The service that served it (<c>service</c>).</param>
/// <param name="Level">The log level (<c>level</c>).</param>
/// <param name="Status">The HTTP status answered (<c>status</c>).</param>
/// <param name="LatencyMs">How long it took, in milliseconds (<c>latency_ms</c>).</param>
/// <param name="Message">The log message (<c>message</c>); untrusted text.</param>
public readonly record struct LogRecord(DateTimeOffset Timestamp, string Service, LogSeverity Level, int Status, double LatencyMs, string Message)
{
    /// <summary>A server error (status 500 or above) or a line logged at level error.</summary>
    public bool IsError => Status >= 500 || Level == LogSeverity.Error;
}
