using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace ReflexiveIdentity.Reasoning;

/// <summary>
/// Verdicts by the SHA-256 of a canonical encoding of the agent, the rationale (intent, reason, confidence)
/// and the sorted scopes, each kept for a lifetime on the injected clock, at most <c>capacity</c> of them.
/// Only verdicts are cached: a failure is asked again next time.
/// </summary>
internal sealed class JudgeVerdictCache(TimeSpan lifetime, int capacity, TimeProvider time)
{
    private readonly Dictionary<string, (JudgeVerdict Verdict, DateTimeOffset Expires)> entries = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>The cache key of <paramref name="request"/>: lowercase hex SHA-256. The recent actions are not part of it.</summary>
    public static string KeyOf(JudgeRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            // A JSON array of plain strings: every field is delimited and escaped, so no two requests share an encoding.
            writer.WriteStartArray();
            writer.WriteStringValue("judge-v1");
            writer.WriteStringValue(request.AgentId);
            writer.WriteStringValue(request.Rationale.Intent);
            writer.WriteStringValue(request.Rationale.Reason);
            writer.WriteStringValue(request.Rationale.Confidence.ToString("R", CultureInfo.InvariantCulture));
            writer.WriteStartArray();
            foreach (var scope in request.Scopes.Order(StringComparer.Ordinal))
            {
                writer.WriteStringValue(scope);
            }

            writer.WriteEndArray();
            writer.WriteEndArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    public bool TryGet(string key, out JudgeVerdict verdict)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (entries.TryGetValue(key, out var entry))
            {
                if (entry.Expires > now)
                {
                    verdict = entry.Verdict;
                    return true;
                }

                entries.Remove(key);
            }
        }

        verdict = null!;
        return false;
    }

    public void Add(string key, JudgeVerdict verdict)
    {
        if (capacity <= 0 || lifetime <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        lock (gate)
        {
            if (!entries.ContainsKey(key) && entries.Count >= capacity)
            {
                foreach (var expired in entries.Where(pair => pair.Value.Expires <= now).Select(pair => pair.Key).ToList())
                {
                    entries.Remove(expired);
                }

                if (entries.Count >= capacity)
                {
                    entries.Remove(entries.MinBy(pair => pair.Value.Expires).Key);
                }
            }

            entries[key] = (verdict, now + lifetime);
        }
    }
}
