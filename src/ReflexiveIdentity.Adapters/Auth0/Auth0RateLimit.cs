using System.Globalization;
using System.Net.Http.Headers;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>Auth0's rate-limit state from the <c>x-ratelimit-limit</c>, <c>x-ratelimit-remaining</c> and <c>x-ratelimit-reset</c> headers.</summary>
/// <param name="Limit">Calls the bucket holds.</param>
/// <param name="Remaining">Calls left in the bucket.</param>
/// <param name="Reset">When the bucket is full again (<c>x-ratelimit-reset</c>, unix seconds).</param>
public sealed record Auth0RateLimit(long? Limit, long? Remaining, DateTimeOffset? Reset)
{
    /// <summary>The headers' state, or null when the answer carried none of them.</summary>
    public static Auth0RateLimit? From(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var limit = Read(headers, "x-ratelimit-limit");
        var remaining = Read(headers, "x-ratelimit-remaining");
        var reset = Read(headers, "x-ratelimit-reset");
        if (limit is null && remaining is null && reset is null)
        {
            return null;
        }

        return new Auth0RateLimit(limit, remaining, reset is { } seconds && seconds is >= 0 and <= 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null);
    }

    private static long? Read(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
