using System.Collections.Concurrent;
using ReflexiveIdentity.Agents;

namespace ReflexiveIdentity.Benchmarks;

/// <summary>
/// The identity provider of the sweep benchmark: counts each operation and the principals it touched, and
/// does nothing else. Neither a real Auth0 tenant nor the emulator can take ten thousand agents' worth of
/// Management API calls inside a benchmark (a Free tenant sustains 2 requests/s), so the sweep's own cost
/// is measured and the directory's is reported as a count.
/// </summary>
internal sealed class CountingDirectory : IAgentDirectory
{
    private readonly ConcurrentDictionary<string, byte> principals = new(StringComparer.Ordinal);
    private long published;
    private long revoked;
    private long restored;

    public Task PublishTrustAsync(Principal principal, AgentTrustRecord record, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref published);
        principals.TryAdd(principal.Id, 0);
        return Task.CompletedTask;
    }

    public Task RevokeScopesAsync(Principal principal, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref revoked);
        principals.TryAdd(principal.Id, 0);
        return Task.CompletedTask;
    }

    public Task RestoreScopesAsync(Principal principal, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref restored);
        principals.TryAdd(principal.Id, 0);
        return Task.CompletedTask;
    }

    /// <summary>The calls counted since the last call, and starts counting afresh.</summary>
    public DirectoryCalls Take()
    {
        var calls = new DirectoryCalls(
            Interlocked.Exchange(ref published, 0),
            Interlocked.Exchange(ref revoked, 0),
            Interlocked.Exchange(ref restored, 0),
            principals.Keys.ToHashSet(StringComparer.Ordinal));
        principals.Clear();
        return calls;
    }
}

/// <summary>Identity-provider operations of one sweep, by kind, and the principals they were made for.</summary>
internal sealed record DirectoryCalls(long Published, long Revoked, long Restored, IReadOnlySet<string> Principals)
{
    public long Total => Published + Revoked + Restored;
}
