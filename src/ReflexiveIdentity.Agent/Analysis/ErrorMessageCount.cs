namespace ReflexiveIdentity.Omega.Analysis;

/// <summary>An error message, the service that logged it and how often (at most <paramref name="MaxOverestimate"/> too many).</summary>
public sealed record ErrorMessageCount(string Service, string Message, long Count, long MaxOverestimate);
