namespace ReflexiveIdentity.Omega.Sharing;

/// <summary>Where a report went: the <paramref name="Location"/> (folder, endpoint or container URI) and each item written there. No secrets.</summary>
public sealed record ReportDelivery(string Location, IReadOnlyList<string> Items);
