using System.Numerics;

namespace CareSim.Model.Tests;

/// <summary>
/// The model's steps take Math.Min and Math.Max in vector lanes as Vector.Min and Vector.Max (WorkforceBlock's passes):
/// the same results, bit for bit, for every pair of arguments, NaN, infinities and signed zeros included, in either order.
/// (A replica's numbers in whole vectors against the scalar loops: DeterminismTests, blocks of 1, 7 and 64.)
/// </summary>
public class StepLanesTests
{
    [Fact]
    public void Vector_min_and_max_are_math_min_and_max_in_every_lane()
    {
        double[] special = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1.0, -1.0, 1e-9, 0.02,
            double.Epsilon, -double.Epsilon, double.MaxValue, 2.5, Math.BitIncrement(2.5)];
        var width = Vector<double>.Count;
        foreach (var x in special)
        {
            var xs = new double[width];
            var ys = new double[width];
            for (var start = 0; start < special.Length; start += width)
            {
                for (var k = 0; k < width; k++)
                {
                    xs[k] = x;
                    ys[k] = special[(start + k) % special.Length];
                }
                var min = Vector.Min(new Vector<double>(xs), new Vector<double>(ys));
                var max = Vector.Max(new Vector<double>(xs), new Vector<double>(ys));
                var minSwapped = Vector.Min(new Vector<double>(ys), new Vector<double>(xs));
                var maxSwapped = Vector.Max(new Vector<double>(ys), new Vector<double>(xs));
                for (var k = 0; k < width; k++)
                {
                    var y = ys[k];
                    Assert.True(Bits(Math.Min(x, y)) == Bits(min[k]), $"Min({x:R}, {y:R}): {Math.Min(x, y):R}, lanes {min[k]:R}");
                    Assert.True(Bits(Math.Max(x, y)) == Bits(max[k]), $"Max({x:R}, {y:R}): {Math.Max(x, y):R}, lanes {max[k]:R}");
                    Assert.True(Bits(Math.Min(y, x)) == Bits(minSwapped[k]), $"Min({y:R}, {x:R}): {Math.Min(y, x):R}, lanes {minSwapped[k]:R}");
                    Assert.True(Bits(Math.Max(y, x)) == Bits(maxSwapped[k]), $"Max({y:R}, {x:R}): {Math.Max(y, x):R}, lanes {maxSwapped[k]:R}");
                }
            }
        }
    }

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);
}
