using System.Buffers;

namespace ReflexiveIdentity.Omega.Report;

/// <summary>A report ready to deliver: its name, its Markdown and its self-contained HTML.</summary>
public sealed record RenderedReport
{
    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>The file or blob name without extension; see <see cref="IsValidName"/>.</summary>
    public required string Name { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }

    public required string Markdown { get; init; }

    public required string Html { get; init; }

    /// <summary>1 to 100 letters, digits, '-', '_' or '.', not starting with '.': safe as a file name and a blob name.</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= 100 } && name[0] != '.' && !name.AsSpan().ContainsAnyExcept(NameCharacters);

    /// <summary>Throws <see cref="ArgumentException"/> unless <see cref="IsValidName"/>.</summary>
    public static void EnsureValidName(string? name)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException("A report name is 1 to 100 letters, digits, '-', '_' or '.', and does not start with '.'.", nameof(name));
        }
    }
}
