namespace ReflexiveIdentity.Omega.Sharing;

/// <summary>
/// A header sent with each report POST, usually <c>Authorization: Bearer ...</c>. A class, not a record, so that the
/// value never shows in a generated <c>ToString</c>.
/// </summary>
public sealed class ReportRequestHeader
{
    public ReportRequestHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Name = name;
        Value = value;
    }

    public string Name { get; }

    public string Value { get; }

    public static ReportRequestHeader Bearer(string token) => new("Authorization", "Bearer " + token);

    /// <inheritdoc />
    public override string ToString() => $"{Name}: (hidden)";
}
