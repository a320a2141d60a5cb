namespace ReflexiveIdentity.Omega.Analysis;

/// <summary>What one service served: requests, errors and its latency distribution.</summary>
public sealed class ServiceTally
{
    public long Requests { get; private set; }

    /// <summary>Requests answered with status 500 or above, or logged at level error.</summary>
    public long Errors { get; private set; }

    public LatencyHistogram Latency { get; } = new();

    internal void Add(double latencyMs, bool isError)
    {
        Requests++;
        if (isError)
        {
            Errors++;
        }

        Latency.Add(latencyMs);
    }
}
