namespace ReflexiveIdentity.Omega.Samples;

/// <summary>What <see cref="LogSampleGenerator"/> produces: how many lines over how many hours from when, with which seed.</summary>
public sealed record LogSampleOptions
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    public required long Lines { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>The first hour (whole hours work best).</summary>
    public DateTimeOffset Start { get; init; } = DefaultStart;

    /// <summary>The span in hours; the lines spread over it whatever their number.</summary>
    public int Hours { get; init; } = 72;
}
