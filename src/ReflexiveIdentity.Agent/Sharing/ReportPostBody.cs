namespace ReflexiveIdentity.Omega.Sharing;

/// <summary>The JSON an HTTPS destination receives: <c>{name, markdown, html, generated_at}</c>.</summary>
public sealed record ReportPostBody(string Name, string Markdown, string Html, DateTimeOffset GeneratedAt);
