namespace ReflexiveIdentity.Benchmarks;

/// <summary>The system clock, moved forward on demand: a sweep "a day later" without waiting a day.</summary>
internal sealed class ShiftedClock : TimeProvider
{
    private TimeSpan shift;

    public void Shift(TimeSpan by) => shift += by;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
}
