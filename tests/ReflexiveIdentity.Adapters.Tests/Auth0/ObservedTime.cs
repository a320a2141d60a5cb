using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer armed on it (created with a due time, or
/// changed to one, as a CancellationTokenSource's CancelAfter does). A retry delay or an attempt timeout
/// is a timer on the injected clock, so a test waits for the timer it expects (which proves the code is
/// now waiting on it), then advances the clock by exactly that much: no sleeping, no guessing.
/// </summary>
internal sealed class ObservedTime : FakeTimeProvider
{
    public static readonly DateTimeOffset Epoch = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);

    private readonly Channel<TimeSpan> armed = Channel.CreateUnbounded<TimeSpan>();

    public ObservedTime()
        : base(Epoch)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Armed(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer armed that is not an attempt timeout of <paramref name="attemptTimeout"/>.</summary>
    public async Task<TimeSpan> NextDelayAsync(TimeSpan attemptTimeout)
    {
        while (true)
        {
            var dueTime = await armed.Reader.ReadAsync().AsTask().WaitAsync(TestGuard.Hang);
            if (dueTime != attemptTimeout)
            {
                return dueTime;
            }
        }
    }

    /// <summary>
    /// Disposes a container whose resilience pipelines may still track a call waiting on this clock (a
    /// test that failed half-way): Polly polls for it on this clock, so each timer it arms is let run.
    /// </summary>
    public async Task DisposeAdvancingAsync(IAsyncDisposable services)
    {
        var disposing = services.DisposeAsync().AsTask();
        while (!disposing.IsCompleted)
        {
            var next = armed.Reader.ReadAsync().AsTask();
            if (await Task.WhenAny(disposing, next).WaitAsync(TestGuard.Hang) == next)
            {
                Advance(await next);
            }
        }

        await disposing;
    }

    private void Armed(TimeSpan dueTime)
    {
        if (dueTime >= TimeSpan.Zero)
        {
            armed.Writer.TryWrite(dueTime);
        }
    }

    private sealed class ObservedTimer(ITimer inner, ObservedTime time) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            time.Armed(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
