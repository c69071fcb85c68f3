using System.Numerics;
using CareSim.Model.Numerics;

namespace CareSim.Model.Tests;

/// <summary>
/// The model's own exp, log and pow: their error against libm (Math), their special values, and that
/// vector lanes and the span helpers give the scalar's bits.
/// </summary>
public class ModelMathTests
{
    private const int Samples = 2_000_000;

    // Arguments at the edges of each function's branches and ranges.
    private static readonly double[] ExpEdges =
    [
        0.0, -0.0, 1e-300, -1e-300, double.Epsilon, 1e-320, 0.5, -0.5, 1, -1, Math.Log(2) / 2, -Math.Log(2) / 2,
        Math.BitIncrement(Math.Log(2) / 2), Math.BitDecrement(Math.Log(2) / 2), 1.5 * Math.Log(2), Math.BitIncrement(1.5 * Math.Log(2)),
        Math.BitDecrement(-1.5 * Math.Log(2)), 20.5 * Math.Log(2), -20.5 * Math.Log(2), 36, -36, 100, -100,
        709.782712893384, Math.BitIncrement(709.782712893384), Math.BitDecrement(709.782712893384), 709.78, 709.9, 710, 710.5, 1000, 1e300,
        double.MaxValue, -708.3964185322641, Math.BitIncrement(-708.3964185322641), Math.BitDecrement(-708.3964185322641), -708.5,
        -720, -740, -744.4400719213812, -745.1332191019411, -745.1332191019412, -745.2, -746, -746.5, -1000, -double.MaxValue,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN,
    ];

    private static readonly double[] LogEdges =
    [
        0.0, -0.0, -1e-300, -1, -double.Epsilon, double.NegativeInfinity, double.PositiveInfinity, double.NaN, double.Epsilon,
        2 * double.Epsilon, 1e-320, 2.2250738585072014E-308, Math.BitDecrement(2.2250738585072014E-308),
        Math.BitIncrement(2.2250738585072014E-308), Math.Sqrt(0.5), Math.BitIncrement(Math.Sqrt(0.5)), Math.BitDecrement(Math.Sqrt(0.5)),
        Math.Sqrt(2), Math.BitIncrement(Math.Sqrt(2)), Math.BitDecrement(Math.Sqrt(2)), 1, Math.BitIncrement(1.0), Math.BitDecrement(1.0),
        0.5, 2, 3, 10, 1e-10, 1e10, 1e300, double.MaxValue, 1 + 1e-9, 1 - 1e-9,
    ];

    [Fact]
    public void Exp_is_within_one_ulp_of_libm()
    {
        var random = new Random(16);
        var worst = 0L;
        for (var n = 0; n < Samples; n++)
        {
            // A third over the model's range, a third over the whole finite range, a third over subnormal results.
            var x = (n % 3) switch
            {
                0 => -40 + 80 * random.NextDouble(),
                1 => -746 + 1456 * random.NextDouble(),
                _ => -745.2 + 37 * random.NextDouble(),
            };
            worst = Math.Max(worst, Ulps(ModelMath.Exp(x), Math.Exp(x), x));
        }
        foreach (var x in ExpEdges) worst = Math.Max(worst, Ulps(ModelMath.Exp(x), Math.Exp(x), x));
        Assert.InRange(worst, 0, 1);
        Console.WriteLine($"Exp: at most {worst} ulp from Math.Exp");
    }

    [Fact]
    public void Log_is_within_one_ulp_of_libm()
    {
        var random = new Random(17);
        var worst = 0L;
        for (var n = 0; n < Samples; n++)
        {
            // Over every binade (subnormals included), near one, and over the model's range of (0, 10].
            var x = (n % 3) switch
            {
                0 => Math.Exp(-744 + 1453 * random.NextDouble()),
                1 => 1 + (random.NextDouble() - 0.5) * Math.Pow(2, -random.Next(1, 50)),
                _ => 10 * random.NextDouble(),
            };
            worst = Math.Max(worst, Ulps(ModelMath.Log(x), Math.Log(x), x));
        }
        foreach (var x in LogEdges) worst = Math.Max(worst, Ulps(ModelMath.Log(x), Math.Log(x), x));
        Assert.InRange(worst, 0, 1);
        Console.WriteLine($"Log: at most {worst} ulp from Math.Log");
    }

    [Fact]
    public void Pow_is_within_two_plus_twice_y_log_x_ulps_of_libm()
    {
        // Pow = Exp(y Log x): Log's relative error times |y ln x| becomes Exp's relative error.
        var random = new Random(18);
        var worstExcess = double.NegativeInfinity;
        for (var n = 0; n < Samples; n++)
        {
            var x = Math.Exp(-7 + 14 * random.NextDouble()); // 0.0009 to 1100
            var y = (n % 2) == 0 ? -5 + 10 * random.NextDouble() : -0.5 + random.NextDouble();
            var bound = 2 + 2 * Math.Abs(y * Math.Log(x));
            worstExcess = Math.Max(worstExcess, Ulps(ModelMath.Pow(x, y), Math.Pow(x, y), x) - bound);
        }
        Assert.True(worstExcess <= 0, $"Pow exceeds its bound by {worstExcess} ulps");
    }

    [Fact]
    public void Special_values_are_those_of_Math()
    {
        Assert.Equal(1.0, ModelMath.Exp(0.0));
        Assert.Equal(1.0, ModelMath.Exp(-0.0));
        Assert.Equal(double.PositiveInfinity, ModelMath.Exp(double.PositiveInfinity));
        Assert.Equal(double.PositiveInfinity, ModelMath.Exp(709.79));
        Assert.Equal(Math.Exp(709.78), ModelMath.Exp(709.78), 1e-15 * Math.Exp(709.78));
        Assert.Equal(0.0, ModelMath.Exp(double.NegativeInfinity));
        Assert.Equal(0.0, ModelMath.Exp(-746));
        Assert.Equal(double.Epsilon, ModelMath.Exp(-745.0)); // the smallest subnormal
        Assert.True(double.IsSubnormal(ModelMath.Exp(-720)));
        Assert.True(double.IsNaN(ModelMath.Exp(double.NaN)));

        Assert.Equal(0.0, ModelMath.Log(1.0));
        Assert.Equal(double.NegativeInfinity, ModelMath.Log(0.0));
        Assert.Equal(double.NegativeInfinity, ModelMath.Log(-0.0));
        Assert.Equal(double.PositiveInfinity, ModelMath.Log(double.PositiveInfinity));
        Assert.True(double.IsNaN(ModelMath.Log(-1e-300)));
        Assert.True(double.IsNaN(ModelMath.Log(double.NegativeInfinity)));
        Assert.True(double.IsNaN(ModelMath.Log(double.NaN)));
        Assert.Equal(Math.Log(double.Epsilon), ModelMath.Log(double.Epsilon));

        Assert.Equal(1.0, ModelMath.Pow(0.0, 0.0));
        Assert.Equal(1.0, ModelMath.Pow(double.NaN, 0.0));
        Assert.Equal(1.0, ModelMath.Pow(1.0, double.NaN));
        Assert.Equal(1.0, ModelMath.Pow(1.0, double.PositiveInfinity));
        Assert.Equal(0.0, ModelMath.Pow(0.0, 0.5));
        Assert.Equal(double.PositiveInfinity, ModelMath.Pow(0.0, -2));
        Assert.Equal(double.PositiveInfinity, ModelMath.Pow(double.PositiveInfinity, 0.5));
        Assert.Equal(0.0, ModelMath.Pow(double.PositiveInfinity, -0.5));
        Assert.Equal(0.0, ModelMath.Pow(0.5, double.PositiveInfinity));
        Assert.Equal(double.PositiveInfinity, ModelMath.Pow(2.0, double.PositiveInfinity));
        Assert.True(double.IsNaN(ModelMath.Pow(-2.0, 0.5)));
        Assert.True(double.IsNaN(ModelMath.Pow(2.0, double.NaN)));
        Assert.True(double.IsNaN(ModelMath.Pow(double.NaN, 2.0)));
    }

    [Fact]
    public void Vector_lanes_are_the_scalar_bits()
    {
        var random = new Random(19);
        var xs = Enumerable.Range(0, 200_000).Select(n => (n % 2) == 0 ? -50 + 100 * random.NextDouble() : -750 + 1462 * random.NextDouble())
            .Concat(ExpEdges).ToArray();
        AssertLanes(xs, ModelMath.Exp, ModelMath.Exp);
        var positives = Enumerable.Range(0, 200_000).Select(_ => Math.Exp(-745 + 1454 * random.NextDouble())).Concat(LogEdges).ToArray();
        AssertLanes(positives, ModelMath.Log, ModelMath.Log);
        double[] powers = [0.0, -0.0, 1, -1, 0.5, 1.0 / 12, -2.5, 30, double.PositiveInfinity, double.NegativeInfinity, double.NaN];
        foreach (var y in powers)
        {
            AssertLanes(positives, v => ModelMath.Pow(v, new Vector<double>(y)), v => ModelMath.Pow(v, y));
        }
        var ys = Enumerable.Range(0, positives.Length).Select(_ => -4 + 8 * random.NextDouble()).ToArray();
        for (var i = 0; i + Vector<double>.Count <= positives.Length; i += Vector<double>.Count)
        {
            var lanes = ModelMath.Pow(new Vector<double>(positives, i), new Vector<double>(ys, i));
            for (var k = 0; k < Vector<double>.Count; k++) AssertSameBits(ModelMath.Pow(positives[i + k], ys[i + k]), lanes[k], positives[i + k]);
        }
    }

    [Fact]
    public void The_span_helpers_give_the_scalar_bits_for_every_length()
    {
        var random = new Random(20);
        var xs = Enumerable.Range(0, 67).Select(n => (n % 3) == 0 ? ExpEdges[n % ExpEdges.Length] : -30 + 60 * random.NextDouble()).ToArray();
        var positives = xs.Select((x, n) => (n % 3) == 0 ? LogEdges[n % LogEdges.Length] : Math.Abs(x) + 1e-3).ToArray();
        for (var length = 0; length <= xs.Length; length++)
        {
            var exp = new double[length];
            ModelMath.Exp(xs.AsSpan(0, length), exp);
            var log = new double[length];
            ModelMath.Log(positives.AsSpan(0, length), log);
            var pow = new double[length];
            ModelMath.Pow(positives.AsSpan(0, length), 0.37, pow);
            var inPlace = xs[..length];
            ModelMath.Exp(inPlace, inPlace);
            for (var i = 0; i < length; i++)
            {
                AssertSameBits(ModelMath.Exp(xs[i]), exp[i], xs[i]);
                AssertSameBits(ModelMath.Exp(xs[i]), inPlace[i], xs[i]);
                AssertSameBits(ModelMath.Log(positives[i]), log[i], positives[i]);
                AssertSameBits(ModelMath.Pow(positives[i], 0.37), pow[i], positives[i]);
            }
        }
        Assert.Throws<ArgumentException>(() => ModelMath.Exp(new double[3], new double[2]));
    }

    private static void AssertLanes(double[] xs, Func<Vector<double>, Vector<double>> vector, Func<double, double> scalar)
    {
        var width = Vector<double>.Count;
        // Every value in every lane position: the array as is, then shifted by one.
        for (var offset = 0; offset < width; offset++)
        {
            for (var i = offset; i + width <= xs.Length; i += width)
            {
                var lanes = vector(new Vector<double>(xs, i));
                for (var k = 0; k < width; k++) AssertSameBits(scalar(xs[i + k]), lanes[k], xs[i + k]);
            }
        }
    }

    private static void AssertSameBits(double expected, double actual, double argument)
    {
        if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
        {
            Assert.Fail($"at {argument:R}: scalar {expected:R}, other {actual:R}");
        }
    }

    // The distance in units in the last place between two results (0 when both are NaN or equal, including infinities).
    private static long Ulps(double actual, double expected, double argument)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            Assert.True(double.IsNaN(expected) && double.IsNaN(actual), $"at {argument:R}: {actual:R}, libm {expected:R}");
            return 0;
        }
        if (actual == expected) return 0;
        Assert.True(Math.Sign(actual) == Math.Sign(expected) || actual == 0 || expected == 0, $"at {argument:R}: {actual:R}, libm {expected:R}");
        var distance = Math.Abs(Ordered(actual) - Ordered(expected));
        return distance;
    }

    // Bits as an integer that orders doubles: consecutive doubles differ by one.
    private static long Ordered(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        return bits < 0 ? long.MinValue - bits : bits;
    }
}
