using CareSim.Engine.Summaries;
using FsCheck.Xunit;

namespace CareSim.Engine.Tests;

public class QuantileSelectorTests
{
    /// <summary>What the summaries computed before the selector: sum in order, sort a copy, read the sorted copy.</summary>
    private static (double Mean, double[] Quantiles) BySorting(double[] values)
    {
        var sum = 0.0;
        for (var r = 0; r < values.Length; r++) sum += values[r];
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return (sum / values.Length, Quantiles.Levels.Select(p => Quantiles.OfSorted(sorted, p)).ToArray());
    }

    private static void AssertBitIdentical(double[] values)
    {
        var (mean, expected) = BySorting(values);
        var selector = new QuantileSelector(values.Length);
        var actual = new double[Quantiles.Levels.Count];
        // Twice: the selector's buffers are reused.
        for (var round = 0; round < 2; round++)
        {
            var actualMean = selector.Describe(values, actual);
            Assert.Equal(BitConverter.DoubleToInt64Bits(mean), BitConverter.DoubleToInt64Bits(actualMean));
            for (var k = 0; k < expected.Length; k++)
                Assert.True(BitConverter.DoubleToInt64Bits(expected[k]) == BitConverter.DoubleToInt64Bits(actual[k]),
                    $"level {Quantiles.Levels[k]} of {values.Length} values: expected {expected[k]:R}, got {actual[k]:R}");
        }
    }

    public static TheoryData<string> Shapes() => ["normal", "lognormal", "binary", "constant", "few", "outlier", "heavy", "integers", "tiny-range", "zeros-and-negatives", "huge-range", "clumps"];

    private static double[] Make(string shape, int n, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Enumerable.Range(0, n).Select(i => shape switch
        {
            "normal" => 10 + 3 * Normal(),
            "lognormal" => Math.Exp(2 * Normal()),
            "binary" => random.NextDouble() < 0.3 ? 1.0 : 0.0,
            "constant" => 0.731,
            "few" => random.Next(4) * 0.25,
            "outlier" => i == n / 2 ? 1e9 : 1 + 1e-6 * Normal(),
            "heavy" => 1 / Math.Pow(1 - random.NextDouble(), 3),
            "integers" => random.Next(-3, 4),
            "tiny-range" => 1.0 + random.Next(5) * 2.220446049250313e-16,
            "zeros-and-negatives" => random.NextDouble() < 0.5 ? 0.0 : -random.NextDouble(),
            "huge-range" => random.NextDouble() < 0.5 ? -1e308 : 1e308 * random.NextDouble(),
            // Runs of equal values inside the range (a clamped or rounded metric) among continuous ones.
            "clumps" => random.Next(4) switch { 0 => 0.2, 1 => 0.5, _ => random.NextDouble() },
            _ => throw new ArgumentException(shape),
        }).ToArray();
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gives_exactly_the_quantiles_of_a_full_sort(string shape)
    {
        foreach (var n in new[] { 1, 2, 3, 7, 20, 49, 100, 1000, 1001, 10_000 })
            for (var seed = 0; seed < 3; seed++)
                AssertBitIdentical(Make(shape, n, seed));
    }

    /// <summary>
    /// Every size from 1 to 300 (all remainders of the eight-at-a-time copy, sets sorted whole and
    /// sets bucketed, small buckets sorted by rank) with ties: values rounded to a few digits, runs
    /// of one value among continuous ones, integers, and the fraction of ties changing with the size.
    /// </summary>
    [Fact]
    public void Every_size_with_ties_gives_the_sorted_quantiles()
    {
        var random = new Random(16);
        for (var n = 1; n <= 300; n++)
        {
            AssertBitIdentical(Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble() * 10, 1)).ToArray());
            AssertBitIdentical(Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 0.25 : random.NextDouble()).ToArray());
            AssertBitIdentical(Enumerable.Range(0, n).Select(_ => (double)random.Next(0, 1 + n / 10)).ToArray());
            AssertBitIdentical(Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.9 ? 1.0 : random.NextDouble()).ToArray());
        }
    }

    [Fact]
    public void Leaves_NaN_negative_zero_and_infinities_to_the_sort()
    {
        AssertBitIdentical([1, double.NaN, 3, 0.5, 2, 7, 8, 9]);
        AssertBitIdentical([0.0, -0.0, 0.0, 1, -1, -0.0, 2, 0.0]);
        AssertBitIdentical([1, double.PositiveInfinity, 3, double.NegativeInfinity, 2, 7]);
    }

    [Property(MaxTest = 300)]
    public bool Any_finite_values_give_the_sorted_quantiles(double[] raw)
    {
        if (raw.Length == 0) return true;
        var values = raw.Select(v => double.IsFinite(v) ? v : 0).ToArray();
        AssertBitIdentical(values);
        return true;
    }
}
