using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CareSim.Model.Numerics;

namespace CareSim.Model.Randomness;

/// <summary>Deterministic distribution helpers used inside the monthly step.</summary>
public static class Distributions
{
    // AS 241's central branch, |p - 0.5| <= 0.425: q * A(r) / B(r) with r = 0.180625 - q².
    private const double CentralLimit = 0.425;
    private const double CentralR = 0.180625;
    private const double A7 = 2509.0809287301226727, A6 = 33430.575583588128105, A5 = 67265.770927008700853, A4 = 45921.953931549871457;
    private const double A3 = 13731.693765509461125, A2 = 1971.5909503065514427, A1 = 133.14166789178437745, A0 = 3.387132872796366608;
    private const double B7 = 5226.495278852545925, B6 = 28729.085735721942674, B5 = 39307.89580009271061, B4 = 21213.794301586595867;
    private const double B3 = 5394.1960214247511077, B2 = 687.1870074920579083, B1 = 42.313330701600911252;
    // The near tails, r = sqrt(-log(min(p, 1 - p))) <= 5 (p above about 1e-11): C(r - 1.6) / D(r - 1.6).
    private const double TailLimit = 5.0;
    private const double TailShift = 1.6;
    private const double C7 = 7.7454501427834140764e-4, C6 = 0.0227238449892691845833, C5 = 0.24178072517745061177, C4 = 1.27045825245236838258;
    private const double C3 = 3.64784832476320460504, C2 = 5.7694972214606914055, C1 = 4.6303378461565452959, C0 = 1.42343711074968357734;
    private const double D7 = 1.05075007164441684324e-9, D6 = 5.475938084995344946e-4, D5 = 0.0151986665636164571966, D4 = 0.14810397642748007459;
    private const double D3 = 0.68976733498510000455, D2 = 1.6763848301838038494, D1 = 2.05319162663775882187;

    /// <summary>
    /// Inverse of the standard normal CDF, Wichura's algorithm AS 241 (PPND16),
    /// relative accuracy about 1e-16.
    /// </summary>
    public static double NormalQuantile(double p)
    {
        var q = p - 0.5;
        if (Math.Abs(q) <= CentralLimit)
        {
            var r = CentralR - q * q;
            return q * (((((((r * A7 + A6) * r + A5) * r + A4) * r + A3) * r + A2) * r + A1) * r + A0)
                   / (((((((r * B7 + B6) * r + B5) * r + B4) * r + B3) * r + B2) * r + B1) * r + 1.0);
        }

        var rr = q < 0 ? p : 1.0 - p;
        rr = Math.Sqrt(-ModelMath.Log(rr));
        double x;
        if (rr <= TailLimit)
        {
            rr -= TailShift;
            x = (((((((rr * C7 + C6) * rr + C5) * rr + C4) * rr + C3) * rr + C2) * rr + C1) * rr + C0)
                / (((((((rr * D7 + D6) * rr + D5) * rr + D4) * rr + D3) * rr + D2) * rr + D1) * rr + 1.0);
        }
        else
        {
            rr -= 5.0;
            x = (((((((rr * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * rr + 0.0012426609473880784386) * rr
                    + 0.026532189526576123093) * rr + 0.29656057182850489123) * rr + 1.7848265399172913358) * rr
                    + 5.4637849111641143699) * rr + 6.6579046435011037772)
                / (((((((rr * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * rr + 1.8463183175100546818e-5) * rr
                    + 7.868691311456132591e-4) * rr + 0.0148753612908506148525) * rr + 0.13692988092273580531) * rr
                    + 0.59983220655588793769) * rr + 1.0);
        }
        return q < 0 ? -x : x;
    }

    // NormalQuantiles' working memory, one per thread (as CounterRng.Normals'): where the tail values are, and their p.
    [ThreadStatic] private static int[]? t_tailAt;
    [ThreadStatic] private static double[]? t_tailP;

    /// <summary>
    /// <see cref="NormalQuantile"/> of every value, in place: the same bits. Several values at once:
    /// vector lanes multiply, add, divide and take square roots as scalars do (IEEE, same rounding,
    /// the same operations in the same order; .NET never fuses a multiply and an add on its own), so
    /// each lane's result is the scalar one. The tails' log is the model's own (<see cref="ModelMath.Log(Vector{double})"/>,
    /// the scalar's bits in every lane); the far tails (p below about 1e-11) are taken by the scalar code.
    /// </summary>
    /// <remarks>
    /// Two passes. The first takes every value as central and notes the tail ones (15% of values, |p - 0.5| &gt; 0.425)
    /// in a packed list; the second computes the tails from that list, whole vectors of tail values only, and puts each
    /// where it belongs. Taking the tails in the vectors where they fall made every vector holding one tail lane (half of
    /// them with 4 lanes) compute the log and the tail polynomial for all its lanes, and branch unpredictably.
    /// </remarks>
    // Vector<T> code is never precompiled (ReadyToRun): compiled optimised at once, not first as slow tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NormalQuantiles(Span<double> values)
    {
        var width = Vector<double>.Count;
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= width)
        {
            var tailAt = StepScratch.Grow(ref t_tailAt, values.Length);
            var tailP = StepScratch.Grow(ref t_tailP, values.Length + width);
            var tails = 0;
            ref var v = ref MemoryMarshal.GetReference(values);
            for (; i + width <= values.Length; i += width)
            {
                var p = Vector.LoadUnsafe(ref v, (nuint)i);
                var q = p - new Vector<double>(0.5);
                var r = new Vector<double>(CentralR) - q * q;
                var a = ((((((r * A7 + new Vector<double>(A6)) * r + new Vector<double>(A5)) * r + new Vector<double>(A4)) * r
                    + new Vector<double>(A3)) * r + new Vector<double>(A2)) * r + new Vector<double>(A1)) * r + new Vector<double>(A0);
                var b = ((((((r * B7 + new Vector<double>(B6)) * r + new Vector<double>(B5)) * r + new Vector<double>(B4)) * r
                    + new Vector<double>(B3)) * r + new Vector<double>(B2)) * r + new Vector<double>(B1)) * r + Vector<double>.One;
                // Every lane noted, the list advancing only past tail ones: no branch on the (random) lanes.
                for (var k = 0; k < width; k++)
                {
                    var pk = Unsafe.Add(ref v, i + k);
                    tailAt[tails] = i + k;
                    tailP[tails] = pk;
                    tails += Math.Abs(pk - 0.5) <= CentralLimit ? 0 : 1;
                }
                Vector.StoreUnsafe(q * a / b, ref v, (nuint)i);
            }

            // The tail values, a vector at a time; the last vector padded with a tail value whose results are not kept.
            tailP.Slice(tails, width).Fill(0.01);
            Span<double> x = stackalloc double[width];
            for (var t = 0; t < tails; t += width)
            {
                var p = new Vector<double>(tailP[t..]);
                var below = Vector.LessThan(p - new Vector<double>(0.5), Vector<double>.Zero);
                var smaller = Vector.ConditionalSelect(below, p, Vector<double>.One - p);
                var root = Vector.SquareRoot(-ModelMath.Log(smaller));
                var rr = root - new Vector<double>(TailShift);
                var c = ((((((rr * C7 + new Vector<double>(C6)) * rr + new Vector<double>(C5)) * rr + new Vector<double>(C4)) * rr
                    + new Vector<double>(C3)) * rr + new Vector<double>(C2)) * rr + new Vector<double>(C1)) * rr + new Vector<double>(C0);
                var d = ((((((rr * D7 + new Vector<double>(D6)) * rr + new Vector<double>(D5)) * rr + new Vector<double>(D4)) * rr
                    + new Vector<double>(D3)) * rr + new Vector<double>(D2)) * rr + new Vector<double>(D1)) * rr + Vector<double>.One;
                var quotient = c / d;
                Vector.ConditionalSelect(below, -quotient, quotient).CopyTo(x);
                var last = Math.Min(width, tails - t);
                for (var k = 0; k < last; k++) values[tailAt[t + k]] = x[k];
                if (Vector.GreaterThanAny(root, new Vector<double>(TailLimit)))
                {
                    for (var k = 0; k < last; k++)
                    {
                        if (root[k] > TailLimit) values[tailAt[t + k]] = NormalQuantile(tailP[t + k]);
                    }
                }
            }
        }
        for (; i < values.Length; i++) values[i] = NormalQuantile(values[i]);
    }

    /// <summary>The logistic function 1 / (1 + e^-x).</summary>
    public static double Logistic(double x) => 1.0 / (1.0 + ModelMath.Exp(-x));

    /// <summary>Uniform on [low, high) from a uniform u on (0, 1).</summary>
    public static double Between(double u, double low, double high) => low + (high - low) * u;
}
