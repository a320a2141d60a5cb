using System.Diagnostics;
using System.Globalization;

namespace ReflexiveIdentity.Benchmarks;

/// <summary>
/// Prints what a long step has done so far to stderr every half minute, so a run that takes many minutes
/// shows it is alive without mixing progress into the results on stdout.
/// </summary>
internal sealed class Heartbeat : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource stop = new();
    private readonly Task beating;

    private Heartbeat(string step, Func<string> progress)
    {
        var stopwatch = Stopwatch.StartNew();
        beating = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Interval);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[sweep] {step}: {progress()} after {stopwatch.Elapsed.TotalSeconds:0} s"));
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped by DisposeAsync.
            }
        });
    }

    public static Heartbeat Start(string step, Func<string> progress) => new(step, progress);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await beating;
        stop.Dispose();
    }
}
