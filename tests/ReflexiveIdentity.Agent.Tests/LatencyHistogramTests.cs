using ReflexiveIdentity.Omega.Analysis;

namespace ReflexiveIdentity.Omega.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentile_FewValues_IsTheExactNearestRank()
    {
        var histogram = new LatencyHistogram();
        foreach (var value in Enumerable.Range(1, 100).Reverse())
        {
            histogram.Add(value);
        }

        Assert.True(histogram.IsExact);
        Assert.Equal(50, histogram.Percentile(0.50));
        Assert.Equal(95, histogram.Percentile(0.95));
        Assert.Equal(99, histogram.Percentile(0.99));
        Assert.Equal(100, histogram.Percentile(1));
        Assert.Equal(1, histogram.Min);
        Assert.Equal(100, histogram.Max);
    }

    [Fact]
    public void Percentile_Empty_IsNaN() => Assert.True(double.IsNaN(new LatencyHistogram().Percentile(0.5)));

    [Theory]
    [InlineData(0.50)]
    [InlineData(0.95)]
    [InlineData(0.99)]
    [InlineData(0.999)]
    public void Percentile_ManyLongTailedValues_IsWithinTheRelativeAccuracy(double fraction)
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 200_000)
            .Select(_ => Math.Round(40 * Math.Exp(0.8 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())), 3))
            .ToArray();
        var histogram = new LatencyHistogram();
        foreach (var value in values)
        {
            histogram.Add(value);
        }

        Array.Sort(values);
        var exact = values[(int)Math.Ceiling(fraction * values.Length) - 1];

        Assert.False(histogram.IsExact);
        var estimate = histogram.Percentile(fraction);
        Assert.InRange(estimate, exact * (1 - LatencyHistogram.RelativeAccuracy), exact * (1 + LatencyHistogram.RelativeAccuracy));
    }

    [Fact]
    public void Percentile_ZeroAndHugeLatencies_StayWithinMinAndMax()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < LatencyHistogram.ExactSamples; i++)
        {
            histogram.Add(0);
        }

        histogram.Add(5e12);

        Assert.Equal(0, histogram.Percentile(0.5));
        Assert.Equal(5e12, histogram.Percentile(1));
    }
}
