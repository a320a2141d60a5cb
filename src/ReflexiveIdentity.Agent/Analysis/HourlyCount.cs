namespace ReflexiveIdentity.Omega.Analysis;

/// <summary>Requests and errors in the UTC hour starting at <paramref name="Hour"/>.</summary>
public sealed record HourlyCount(DateTimeOffset Hour, long Requests, long Errors);
