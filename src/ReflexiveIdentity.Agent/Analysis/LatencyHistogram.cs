namespace ReflexiveIdentity.Omega.Analysis;

/// <summary>
/// A latency distribution in bounded memory: logarithmic buckets whose representative value is within
/// <see cref="RelativeAccuracy"/> of every value in the bucket (the DDSketch mapping), so a percentile read from it is
/// within 1% of the true one. Until <see cref="ExactSamples"/> values have been added it also keeps them, and answers
/// exactly (nearest rank).
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>The relative error bound of a percentile once the histogram is no longer exact.</summary>
    public const double RelativeAccuracy = 0.01;

    /// <summary>Up to this many values the percentiles are exact.</summary>
    public const int ExactSamples = 512;

    /// <summary>The smallest latency told apart from zero: 1 µs. Values at or below it share the first bucket.</summary>
    private const double Floor = 0.001;

    /// <summary>The largest latency told apart: about 11.6 days. Larger values share the last bucket, which answers <see cref="Max"/>.</summary>
    private const double Ceiling = 1e9;

    private static readonly double Gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private static readonly double LogGamma = Math.Log(Gamma);
    private static readonly int BucketCount = (int)Math.Ceiling(Math.Log(Ceiling / Floor) / LogGamma) + 1;

    private readonly long[] buckets = new long[BucketCount];
    private double[]? exact = new double[16];

    /// <summary>Values added.</summary>
    public long Count { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public double Sum { get; private set; }

    /// <summary>True while every value added is still kept, so percentiles are exact.</summary>
    public bool IsExact => exact is not null;

    public void Add(double milliseconds)
    {
        Count++;
        Sum += milliseconds;
        Min = Math.Min(Min, milliseconds);
        Max = Math.Max(Max, milliseconds);
        buckets[Index(milliseconds)]++;
        if (exact is null)
        {
            return;
        }

        if (Count > ExactSamples)
        {
            exact = null;
            return;
        }

        if (Count > exact.Length)
        {
            Array.Resize(ref exact, Math.Min(exact.Length * 2, ExactSamples));
        }

        exact[Count - 1] = milliseconds;
    }

    /// <summary>The nearest-rank percentile, <paramref name="fraction"/> in (0, 1]: 0.5 is the median. NaN when empty.</summary>
    public double Percentile(double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(fraction * Count);
        if (exact is not null)
        {
            var sorted = exact.AsSpan(0, (int)Count).ToArray();
            Array.Sort(sorted);
            return sorted[rank - 1];
        }

        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += buckets[i];
            if (seen >= rank)
            {
                return i == 0 ? Min : i == buckets.Length - 1 ? Max : Math.Clamp(Representative(i), Min, Max);
            }
        }

        return Max;
    }

    private static int Index(double milliseconds) =>
        milliseconds <= Floor ? 0 : Math.Min((int)Math.Ceiling(Math.Log(milliseconds / Floor) / LogGamma), BucketCount - 1);

    /// <summary>
    /// Bucket i &gt; 0 holds (Floor·γ^(i-1), Floor·γ^i]; 2·Floor·γ^i/(γ+1) is within α of both ends. Bucket 0 holds
    /// [0, Floor] and answers <see cref="Min"/>: off by at most a microsecond.
    /// </summary>
    private static double Representative(int index) => 2 * Floor * Math.Pow(Gamma, index) / (Gamma + 1);
}
