using System.Numerics;
using System.Runtime.CompilerServices;

namespace CareSim.Model.Numerics;

/// <summary>
/// The model's own exp, log and pow: one implementation, whose scalar form and <see cref="Vector{T}"/>
/// lanes give the same bits, so that a hot loop can take a block's replicas several at a time and
/// still produce each replica's scalar numbers (libm's results cannot be reproduced in vector lanes).
/// Only IEEE additions, subtractions, multiplications and divisions (correctly rounded, the same in
/// lanes as in scalars), integer operations on the bits and selections, in the same order in both
/// forms; .NET never fuses a multiply and an add on its own.
/// </summary>
/// <remarks>
/// Accuracy (asserted by ModelMathTests against Math.Exp, Math.Log and Math.Pow over millions of
/// arguments): <see cref="Exp(double)"/> and <see cref="Log(double)"/> within 1 ulp of libm; <see cref="Pow(double, double)"/>
/// = Exp(y Log x), within 2 + 2|y ln x| ulps (the error of Log times y, magnified by Exp). Special values as
/// Math's: NaN in gives NaN; exp(+inf) = +inf, exp(-inf) = 0, overflow to +inf above 709.78, subnormal results
/// down to -745.13 and 0 below; log(0) = -inf, log(x &lt; 0) = NaN, log(+inf) = +inf, subnormal arguments;
/// pow(x, 0) = pow(1, y) = 1 (even for NaN), pow(0, y &gt; 0) = 0, pow(0, y &lt; 0) = +inf. Unlike Math.Pow, a
/// negative base gives NaN for every y but 0 (the model raises only non-negative quantities to powers).
/// </remarks>
public static class ModelMath
{
    // ---- exp: x = k ln 2 + r with k = round(x / ln 2), |r| <= ln 2 / 2 (Cody and Waite), e^x = 2^k e^r.
    private const double InvLn2 = 1.4426950408889634; // 1 / ln 2, rounded
    // ln 2 in two parts: Ln2Hi is ln 2 to 32 significant bits (its low 21 mantissa bits are zero), so k Ln2Hi is
    // exact for |k| < 2^21 and x - k Ln2Hi is exact (the two are within a factor of two); Ln2Lo = ln 2 - Ln2Hi.
    private const double Ln2Hi = 6.93147180369123816490e-01; // bits 0x3FE62E42FEE00000
    private const double Ln2Lo = 1.90821492927058770002e-10;
    // Adding 1.5 x 2^52 rounds a double of magnitude below 2^51 to an integer (round to nearest even), which then
    // sits in the low bits of the sum's mantissa: bits(t) - bits(Shifter) is that integer.
    private const double Shifter = 6755399441055744.0;
    private const long ShifterBits = 0x4338000000000000;
    // Arguments are clamped to [ExpLow, ExpHigh]: e^710 overflows to +inf, e^-746 is below half the smallest subnormal (0).
    private const double ExpHigh = 710.0, ExpLow = -746.0;
    // e^r - 1 - r = r² (E2 + E3 r + ... + E13 r^11), Taylor coefficients En = 1/n!. Truncation error: the first
    // term left out, r^14 / 14! <= 0.347^14 / 14! = 4.3e-18 relative to e^r >= 0.707, 0.04 ulp.
    private const double E2 = 1.0 / 2, E3 = 1.0 / 6, E4 = 1.0 / 24, E5 = 1.0 / 120, E6 = 1.0 / 720, E7 = 1.0 / 5040;
    private const double E8 = 1.0 / 40320, E9 = 1.0 / 362880, E10 = 1.0 / 3628800, E11 = 1.0 / 39916800;
    private const double E12 = 1.0 / 479001600, E13 = 1.0 / 6227020800;

    // ---- log: x = 2^e m with m in [sqrt(1/2), sqrt(2)), f = m - 1 (exact), s = f / (2 + f), so that
    // log(1 + f) = 2 atanh(s) = f - (f²/2 - s (f²/2 + R)) with R = 2s²/3 + 2s⁴/5 + ... (an identity: 2s = f - s f).
    private const long SqrtHalfBits = 0x3FE6A09E667F3BCD; // sqrt(1/2)
    private const long MantissaMask = 0x000FFFFFFFFFFFFF;
    private const long LogBias = 0x3FF0000000000000 - SqrtHalfBits; // x's bits + LogBias: exponent e + 1023 over m's mantissa
    private const double MinNormal = 2.2250738585072014E-308; // 2^-1022
    private const double TwoTo54 = 18014398509481984.0;
    // R = z (L1 + L2 z + ... + L10 z^9), z = s², Lj = 2 / (2j + 1). |s| <= (sqrt 2 - 1) / (sqrt 2 + 1) = 0.1716, z <= 0.0295;
    // truncation error: s times the first term left out, 2 s^23 / 23, relative to log(1 + f) ~ 2s: s^22 / 23 = 6e-19.
    private const double L1 = 2.0 / 3, L2 = 2.0 / 5, L3 = 2.0 / 7, L4 = 2.0 / 9, L5 = 2.0 / 11, L6 = 2.0 / 13;
    private const double L7 = 2.0 / 15, L8 = 2.0 / 17, L9 = 2.0 / 19, L10 = 2.0 / 21;

    /// <summary>e^x, within 1 ulp of Math.Exp; the same bits as each lane of <see cref="Exp(Vector{double})"/>.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return x;
        x = x > ExpHigh ? ExpHigh : x < ExpLow ? ExpLow : x;
        var t = x * InvLn2 + Shifter;
        var k = t - Shifter;
        var r = (x - k * Ln2Hi) - k * Ln2Lo;
        // Estrin's scheme: pairs, then pairs of pairs, so that the multiplications do not wait on each other.
        var r2 = r * r;
        var r4 = r2 * r2;
        var r8 = r4 * r4;
        var b0 = (E2 + E3 * r) + (E4 + E5 * r) * r2;
        var b1 = (E6 + E7 * r) + (E8 + E9 * r) * r2;
        var b2 = (E10 + E11 * r) + (E12 + E13 * r) * r2;
        var er = 1.0 + (r + r2 * ((b0 + b1 * r4) + b2 * r8));
        // 2^k as two factors 2^k1 2^k2 (k1 = k / 2 rounded to even, k2 = k - k1, both within [-539, 513]), each
        // a normal double built from its exponent bits: e^r 2^k1 is exact, the last product rounds once
        // (to +inf on overflow, to a subnormal or 0 on underflow).
        var kBits = BitConverter.DoubleToInt64Bits(t) - ShifterBits;
        var k1 = BitConverter.DoubleToInt64Bits(k * 0.5 + Shifter) - ShifterBits;
        var k2 = kBits - k1;
        return er * BitConverter.Int64BitsToDouble((k1 + 1023) << 52) * BitConverter.Int64BitsToDouble((k2 + 1023) << 52);
    }

    /// <summary><see cref="Exp(double)"/> of every lane: the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Exp(Vector<double> x)
    {
        var nan = ~Vector.Equals(x, x);
        var c = Vector.ConditionalSelect(Vector.GreaterThan(x, new Vector<double>(ExpHigh)), new Vector<double>(ExpHigh),
            Vector.ConditionalSelect(Vector.LessThan(x, new Vector<double>(ExpLow)), new Vector<double>(ExpLow), x));
        var shifter = new Vector<double>(Shifter);
        var t = c * new Vector<double>(InvLn2) + shifter;
        var k = t - shifter;
        var r = (c - k * new Vector<double>(Ln2Hi)) - k * new Vector<double>(Ln2Lo);
        var r2 = r * r;
        var r4 = r2 * r2;
        var r8 = r4 * r4;
        var b0 = (new Vector<double>(E2) + new Vector<double>(E3) * r) + (new Vector<double>(E4) + new Vector<double>(E5) * r) * r2;
        var b1 = (new Vector<double>(E6) + new Vector<double>(E7) * r) + (new Vector<double>(E8) + new Vector<double>(E9) * r) * r2;
        var b2 = (new Vector<double>(E10) + new Vector<double>(E11) * r) + (new Vector<double>(E12) + new Vector<double>(E13) * r) * r2;
        var er = Vector<double>.One + (r + r2 * ((b0 + b1 * r4) + b2 * r8));
        var shifterBits = new Vector<long>(ShifterBits);
        var kBits = Vector.AsVectorInt64(t) - shifterBits;
        var k1 = Vector.AsVectorInt64(k * new Vector<double>(0.5) + shifter) - shifterBits;
        var k2 = kBits - k1;
        var bias = new Vector<long>(1023);
        var result = er * Vector.AsVectorDouble(Vector.ShiftLeft(k1 + bias, 52)) * Vector.AsVectorDouble(Vector.ShiftLeft(k2 + bias, 52));
        return Vector.ConditionalSelect(nan, x, result);
    }

    /// <summary>Natural logarithm, within 1 ulp of Math.Log; the same bits as each lane of <see cref="Log(Vector{double})"/>.</summary>
    public static double Log(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < 0) return double.NaN;
        if (x == 0) return double.NegativeInfinity;
        if (x == double.PositiveInfinity) return x;
        var adjust = 0.0;
        if (x < MinNormal)
        {
            x *= TwoTo54; // exact: a subnormal scaled into the normal range
            adjust = 54.0;
        }
        var w = BitConverter.DoubleToInt64Bits(x) + LogBias;
        var e = BitConverter.Int64BitsToDouble((w >>> 52) - 1023 + ShifterBits) - Shifter - adjust;
        var f = BitConverter.Int64BitsToDouble((w & MantissaMask) + SqrtHalfBits) - 1.0;
        var s = f / (2.0 + f);
        var hfsq = 0.5 * f * f;
        var z = s * s;
        var z2 = z * z;
        var z4 = z2 * z2;
        var z8 = z4 * z4;
        var c0 = (L1 + L2 * z) + (L3 + L4 * z) * z2;
        var c1 = (L5 + L6 * z) + (L7 + L8 * z) * z2;
        var r = z * ((c0 + c1 * z4) + (L9 + L10 * z) * z8);
        return e * Ln2Hi + (f - (hfsq - (s * (hfsq + r) + e * Ln2Lo)));
    }

    /// <summary><see cref="Log(double)"/> of every lane: the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Log(Vector<double> x)
    {
        var subnormal = Vector.LessThan(x, new Vector<double>(MinNormal));
        var scaled = Vector.ConditionalSelect(subnormal, x * new Vector<double>(TwoTo54), x);
        var adjust = Vector.ConditionalSelect(subnormal, new Vector<double>(54.0), Vector<double>.Zero);
        var w = Vector.AsVectorInt64(scaled) + new Vector<long>(LogBias);
        var e = Vector.AsVectorDouble(Vector.ShiftRightLogical(w, 52) - new Vector<long>(1023) + new Vector<long>(ShifterBits))
            - new Vector<double>(Shifter) - adjust;
        var f = Vector.AsVectorDouble((w & new Vector<long>(MantissaMask)) + new Vector<long>(SqrtHalfBits)) - Vector<double>.One;
        var s = f / (new Vector<double>(2.0) + f);
        var hfsq = new Vector<double>(0.5) * f * f;
        var z = s * s;
        var z2 = z * z;
        var z4 = z2 * z2;
        var z8 = z4 * z4;
        var c0 = (new Vector<double>(L1) + new Vector<double>(L2) * z) + (new Vector<double>(L3) + new Vector<double>(L4) * z) * z2;
        var c1 = (new Vector<double>(L5) + new Vector<double>(L6) * z) + (new Vector<double>(L7) + new Vector<double>(L8) * z) * z2;
        var r = z * ((c0 + c1 * z4) + (new Vector<double>(L9) + new Vector<double>(L10) * z) * z8);
        var result = e * new Vector<double>(Ln2Hi) + (f - (hfsq - (s * (hfsq + r) + e * new Vector<double>(Ln2Lo))));
        // Special arguments, in the scalar's order of precedence (NaN first).
        result = Vector.ConditionalSelect(Vector.Equals(x, new Vector<double>(double.PositiveInfinity)), x, result);
        result = Vector.ConditionalSelect(Vector.Equals(x, Vector<double>.Zero), new Vector<double>(double.NegativeInfinity), result);
        result = Vector.ConditionalSelect(Vector.LessThan(x, Vector<double>.Zero), new Vector<double>(double.NaN), result);
        return Vector.ConditionalSelect(~Vector.Equals(x, x), x, result);
    }

    /// <summary>x^y = <see cref="Exp(double)"/>(y <see cref="Log(double)"/>(x)), 1 when y = 0 or x = 1; NaN for a negative base.</summary>
    public static double Pow(double x, double y) => y == 0 || x == 1 ? 1.0 : Exp(y * Log(x));

    /// <summary><see cref="Pow(double, double)"/> of every lane: the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Pow(Vector<double> x, Vector<double> y) =>
        Vector.ConditionalSelect(Vector.Equals(y, Vector<double>.Zero) | Vector.Equals(x, Vector<double>.One), Vector<double>.One, Exp(y * Log(x)));

    /// <summary>destination[i] = <see cref="Exp(double)"/>(x[i]): vector lanes, then scalars for the tail; the same bits. In place if the spans are the same.</summary>
    // Vector<T> code is never precompiled (ReadyToRun): compiled optimised at once, not first as slow tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Exp(ReadOnlySpan<double> x, Span<double> destination)
    {
        CheckLengths(x.Length, destination.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<double>.Count <= x.Length; i += Vector<double>.Count) Exp(new Vector<double>(x[i..])).CopyTo(destination[i..]);
        }
        for (; i < x.Length; i++) destination[i] = Exp(x[i]);
    }

    /// <summary>destination[i] = <see cref="Log(double)"/>(x[i]), as <see cref="Exp(ReadOnlySpan{double}, Span{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Log(ReadOnlySpan<double> x, Span<double> destination)
    {
        CheckLengths(x.Length, destination.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<double>.Count <= x.Length; i += Vector<double>.Count) Log(new Vector<double>(x[i..])).CopyTo(destination[i..]);
        }
        for (; i < x.Length; i++) destination[i] = Log(x[i]);
    }

    /// <summary>destination[i] = <see cref="Pow(double, double)"/>(x[i], y), as <see cref="Exp(ReadOnlySpan{double}, Span{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pow(ReadOnlySpan<double> x, double y, Span<double> destination)
    {
        CheckLengths(x.Length, destination.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var power = new Vector<double>(y);
            for (; i + Vector<double>.Count <= x.Length; i += Vector<double>.Count) Pow(new Vector<double>(x[i..]), power).CopyTo(destination[i..]);
        }
        for (; i < x.Length; i++) destination[i] = Pow(x[i], y);
    }

    private static void CheckLengths(int source, int destination)
    {
        if (destination < source) throw new ArgumentException($"The destination holds {destination} values, fewer than the {source} arguments.");
    }
}
