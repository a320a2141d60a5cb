namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>
/// The wait between attempts after another writer won a conditional write: exponential from 10 ms, capped
/// at 500 ms, each wait a random half to all of that, so writers that collided do not collide again in step.
/// </summary>
internal static class TablesBackoff
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Cap = TimeSpan.FromMilliseconds(500);

    public static Task DelayAsync(int attempt, TimeProvider time, CancellationToken cancellationToken)
    {
        var ceiling = Math.Min(Cap.TotalMilliseconds, First.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16)));
#pragma warning disable CA5394 // Jitter, not security: a predictable generator is fine.
        var wait = TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
#pragma warning restore CA5394
        return Task.Delay(wait, time, cancellationToken);
    }
}
