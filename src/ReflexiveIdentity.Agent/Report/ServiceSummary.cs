namespace ReflexiveIdentity.Omega.Report;

/// <summary>One row of the report's service table. Latencies in milliseconds; NaN when there were no requests.</summary>
public sealed record ServiceSummary(string Service, long Requests, long Errors, double ErrorRate, double P50Ms, double P95Ms, double P99Ms);
