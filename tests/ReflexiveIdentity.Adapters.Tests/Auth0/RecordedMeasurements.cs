using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ReflexiveIdentity.Telemetry;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>Every measurement of the service's meter while it is alive, with its tags (a BCL MeterListener: what any exporter would see).</summary>
internal sealed class RecordedMeasurements : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> measurements = new();

    public RecordedMeasurements()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ReflexiveTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            measurements.Enqueue((instrument.Name, value, copy));
        });
        listener.Start();
    }

    /// <summary>The sum of <paramref name="instrument"/>'s measurements whose tags include every one of <paramref name="tags"/>.</summary>
    public long Sum(string instrument, params (string Key, object? Value)[] tags) =>
        measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value))).Sum(m => m.Value);

    /// <summary>The distinct tag sets recorded for <paramref name="instrument"/>, each as <c>key=value</c> pairs joined with commas.</summary>
    public IReadOnlyList<string> TagSets(string instrument) =>
        [.. measurements.Where(m => m.Instrument == instrument)
            .Select(m => string.Join(',', m.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")))
            .Distinct()
            .Order(StringComparer.Ordinal)];

    public void Dispose() => listener.Dispose();
}
