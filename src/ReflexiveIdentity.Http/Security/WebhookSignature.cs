using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReflexiveIdentity.Http.Security;

/// <summary>The outcome of checking a webhook signature.</summary>
public enum SignatureCheck
{
    /// <summary>A configured secret signed this body at an acceptable time.</summary>
    Valid,

    /// <summary>A header is missing.</summary>
    Missing,

    /// <summary>A header is not in the expected format.</summary>
    Malformed,

    /// <summary>The timestamp is more than the tolerance away from now.</summary>
    Stale,

    /// <summary>No configured secret produces the signature.</summary>
    Mismatch,
}

/// <summary>
/// <c>X-Reflexive-Signature: v1=&lt;hex HMAC-SHA256(secret, "&lt;timestamp&gt;.&lt;raw body&gt;")&gt;</c> with
/// <c>X-Reflexive-Timestamp: &lt;unix seconds&gt;</c>. Several <c>v1=</c> values may be sent (comma-separated)
/// and several secrets configured, so signing secrets rotate without downtime. Compared in constant time.
/// </summary>
public sealed class WebhookSignature(IReadOnlyList<string> secrets)
{
    /// <summary>The header carrying the unix timestamp.</summary>
    public const string TimestampHeader = "X-Reflexive-Timestamp";

    /// <summary>The header carrying the signature(s).</summary>
    public const string SignatureHeader = "X-Reflexive-Signature";

    /// <summary>How far the timestamp may be from now.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    private readonly byte[][] keys = secrets.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>Computes the header value for <paramref name="body"/> signed at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        "v1=" + Convert.ToHexStringLower(Mac(Encoding.UTF8.GetBytes(secret), timestamp, body));

    /// <summary>Checks the headers against the raw body at <paramref name="now"/>.</summary>
    public SignatureCheck Check(string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(timestampHeader) || string.IsNullOrWhiteSpace(signatureHeader))
        {
            return SignatureCheck.Missing;
        }

        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return SignatureCheck.Malformed;
        }

        var candidates = new List<byte[]>();
        foreach (var part in signatureHeader.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!part.StartsWith("v1=", StringComparison.Ordinal) || part.Length != 3 + 64)
            {
                continue;
            }

            try
            {
                candidates.Add(Convert.FromHexString(part.AsSpan(3)));
            }
            catch (FormatException)
            {
                return SignatureCheck.Malformed;
            }
        }

        if (candidates.Count == 0)
        {
            return SignatureCheck.Malformed;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > Tolerance.TotalSeconds)
        {
            return SignatureCheck.Stale;
        }

        var matched = false;
        foreach (var key in keys)
        {
            var expected = Mac(key, timestamp, body);
            foreach (var candidate in candidates)
            {
                // Evaluate every pair so the time taken does not depend on which secret matched.
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        return matched ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    private static byte[] Mac(byte[] key, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
