using System.Globalization;
using System.Text;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>
/// Partition and row keys of the Tables ledger. Ids become keys with the characters Table storage
/// refuses in keys (<c>/ \ # ?</c>, control characters) and <c>%</c> itself written as <c>%XX</c>, so any id
/// round-trips and ordinary ids (agent ids, request ids) stay readable in Storage Explorer.
/// </summary>
internal static class TablesKeys
{
    /// <summary>The row key of a chain's head entity, after every seq key (digits sort before letters).</summary>
    public const string Head = "head";

    /// <summary>The lowest and highest entry row keys: every seq key lies between them.</summary>
    public const string FirstSeq = "0000000000000000000";

    /// <summary>The highest entry row key.</summary>
    public const string LastSeq = "9999999999999999999";

    /// <summary>The key for <paramref name="id"/>.</summary>
    public static string Key(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (!id.Any(NeedsEscape))
        {
            return id;
        }

        var key = new StringBuilder(id.Length + 8);
        foreach (var c in id)
        {
            if (NeedsEscape(c))
            {
                key.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                key.Append(c);
            }
        }

        return key.ToString();
    }

    /// <summary>The id a key was made from.</summary>
    public static string Id(string key)
    {
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var id = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length && int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                id.Append((char)code);
                i += 2;
            }
            else
            {
                id.Append(key[i]);
            }
        }

        return id.ToString();
    }

    /// <summary>The row key of the entry at <paramref name="seq"/>: 19 digits, so rows sort by seq.</summary>
    public static string Seq(long seq) => seq.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The seq a row key names.</summary>
    public static long ParseSeq(string rowKey) => long.Parse(rowKey, NumberStyles.None, CultureInfo.InvariantCulture);

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);
}
