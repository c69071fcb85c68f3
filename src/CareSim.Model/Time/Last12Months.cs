using System.Numerics;
using System.Runtime.CompilerServices;

namespace CareSim.Model.Time;

/// <summary>Rolling 12-month sums over a ring of monthly arrays (slot k holds month k mod 12), one per replica.</summary>
internal static class Last12Months
{
    /// <summary>
    /// For every replica i below <paramref name="count"/>:
    /// sums[i] = 0.0 + ring[0][i] + ring[1][i] + ... + ring[11][i], added in slot order exactly as a
    /// loop over the slots for one replica adds them. Several replicas at once: vector lanes add
    /// as scalars do (IEEE, same rounding), so the sums are the same bit for bit.
    /// </summary>
    // Vector<T> code is never precompiled (ReadyToRun): compiled optimised at once, not first as slow tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] Sum(double[][] ring, double[] sums, int count)
    {
        var r0 = ring[0]; var r1 = ring[1]; var r2 = ring[2]; var r3 = ring[3];
        var r4 = ring[4]; var r5 = ring[5]; var r6 = ring[6]; var r7 = ring[7];
        var r8 = ring[8]; var r9 = ring[9]; var r10 = ring[10]; var r11 = ring[11];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<double>.Count;
            for (; i + width <= count; i += width)
            {
                var s = Vector<double>.Zero;
                s += new Vector<double>(r0, i);
                s += new Vector<double>(r1, i);
                s += new Vector<double>(r2, i);
                s += new Vector<double>(r3, i);
                s += new Vector<double>(r4, i);
                s += new Vector<double>(r5, i);
                s += new Vector<double>(r6, i);
                s += new Vector<double>(r7, i);
                s += new Vector<double>(r8, i);
                s += new Vector<double>(r9, i);
                s += new Vector<double>(r10, i);
                s += new Vector<double>(r11, i);
                s.CopyTo(sums, i);
            }
        }
        for (; i < count; i++)
        {
            var s = 0.0;
            s += r0[i]; s += r1[i]; s += r2[i]; s += r3[i];
            s += r4[i]; s += r5[i]; s += r6[i]; s += r7[i];
            s += r8[i]; s += r9[i]; s += r10[i]; s += r11[i];
            sums[i] = s;
        }
        return sums;
    }
}
