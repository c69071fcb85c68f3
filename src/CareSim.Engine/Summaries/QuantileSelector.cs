using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CareSim.Engine.Summaries;

/// <summary>
/// The mean and the standard quantiles (<see cref="Quantiles.Levels"/>) of a set of values,
/// bit for bit what summing in order, sorting a copy and reading <see cref="Quantiles.OfSorted"/>
/// gives, but without sorting everything: only the order statistics the quantiles need (two per
/// level) are found, by bucketing the values on their range and sorting just the buckets that
/// hold those ranks (recursively when such a bucket is large).
/// </summary>
/// <remarks>
/// Exactness: the bucket of a value, <c>(int)((v - min) * scale)</c>, never decreases when the
/// value increases (IEEE subtraction, multiplication by a positive number and truncation are
/// all monotone), so every value of a lower bucket is at most every value of a higher one and
/// the k-th smallest value overall is the (k - values below its bucket)-th smallest of its
/// bucket. Equal values fall into the same bucket. Values where the order of equal-comparing
/// but different bit patterns could matter (NaN, negative zero) or that have no finite range
/// take the sorting path, which is the old code. Sets of one or two distinct values (most of
/// the 0/1 indicators) are counted, not bucketed. Buckets of up to 32 values are sorted by
/// placing each value at its rank (values below it, plus equal ones before it): a true sort of
/// finite values, which is all that path sees. Not thread-safe: one instance per thread.
/// </remarks>
public sealed class QuantileSelector
{
    private const int SortBelow = 48;
    private const int SortFewBelow = 32; // sorted by counting comparisons up to here
    private const int MaxDepth = 4;
    private const int Ways = 4; // interleaved histograms: consecutive values never wait on one counter

    private readonly int _count;
    private readonly double[] _h;        // per level: (n - 1) p
    private readonly int[] _lo;          // per level: floor(h)
    private readonly int[] _hi;          // per level: min(lo + 1, n - 1)
    private readonly int[] _loIndex;     // per level: index of lo in _ranks
    private readonly int[] _hiIndex;
    private readonly int[] _ranks;       // the distinct order statistics needed, ascending
    private readonly double[] _rankValues;
    private readonly double[] _a;        // working copies (ping-pong between levels)
    private readonly double[] _b;
    private readonly int[] _bucketOf;
    private readonly int[][] _counts;    // per depth, Ways histograms of the buckets, one after the other
    private readonly int[][] _fill;      // per depth
    private readonly int[] _wantedBuckets; // the buckets holding wanted ranks, at most one per rank
    private readonly int _buckets;

    public QuantileSelector(int count)
    {
        _count = count;
        var levels = Quantiles.Levels;
        _h = new double[levels.Count];
        _lo = new int[levels.Count];
        _hi = new int[levels.Count];
        var ranks = new SortedSet<int>();
        for (var k = 0; k < levels.Count && count > 0; k++)
        {
            _h[k] = (count - 1) * levels[k];
            _lo[k] = (int)Math.Floor(_h[k]);
            _hi[k] = Math.Min(_lo[k] + 1, count - 1);
            ranks.Add(_lo[k]);
            ranks.Add(_hi[k]);
        }
        _ranks = [.. ranks];
        _loIndex = _lo.Select(r => Array.BinarySearch(_ranks, r)).ToArray();
        _hiIndex = _hi.Select(r => Array.BinarySearch(_ranks, r)).ToArray();
        _rankValues = new double[_ranks.Length];
        _a = new double[count];
        _b = new double[count];
        _bucketOf = new int[count];
        _buckets = Math.Clamp(count / 4, 16, 4096);
        _counts = new int[MaxDepth][];
        _fill = new int[MaxDepth][];
        _wantedBuckets = new int[_ranks.Length];
        for (var d = 0; d < MaxDepth; d++)
        {
            _counts[d] = new int[_buckets * Ways];
            _fill[d] = new int[_buckets];
        }
    }

    /// <summary>
    /// The mean (summed in the order given) and the quantiles at <see cref="Quantiles.Levels"/>
    /// of exactly <c>count</c> values, written into <paramref name="quantiles"/>.
    /// </summary>
    public double Describe(ReadOnlySpan<double> values, Span<double> quantiles)
    {
        CheckLength(values);
        var sum = 0.0;
        for (var r = 0; r < values.Length; r++) sum += values[r];
        DescribeQuantiles(values, quantiles);
        return sum / values.Length;
    }

    /// <summary>
    /// The means of several columns of <paramref name="count"/> values, each summed in order:
    /// four at a time, so that the additions of one column need not wait for each other.
    /// </summary>
    public static void Means(double[][] columns, int count, Span<double> means)
    {
        var k = 0;
        for (; k + 4 <= columns.Length; k += 4)
        {
            var c0 = columns[k].AsSpan(0, count);
            var c1 = columns[k + 1].AsSpan(0, count);
            var c2 = columns[k + 2].AsSpan(0, count);
            var c3 = columns[k + 3].AsSpan(0, count);
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (var r = 0; r < count; r++)
            {
                s0 += c0[r];
                s1 += c1[r];
                s2 += c2[r];
                s3 += c3[r];
            }
            means[k] = s0 / count;
            means[k + 1] = s1 / count;
            means[k + 2] = s2 / count;
            means[k + 3] = s3 / count;
        }
        for (; k < columns.Length; k++)
        {
            var c = columns[k].AsSpan(0, count);
            var s = 0.0;
            for (var r = 0; r < count; r++) s += c[r];
            means[k] = s / count;
        }
    }

    /// <summary>The quantiles at <see cref="Quantiles.Levels"/> of exactly <c>count</c> values.</summary>
    public void DescribeQuantiles(ReadOnlySpan<double> values, Span<double> quantiles)
    {
        CheckLength(values);
        if (_count == 0)
        {
            quantiles.Fill(double.NaN);
            return;
        }

        var (min, max, special) = Range(values);
        if (special || !double.IsFinite(min) || !double.IsFinite(max))
        {
            // NaN, negative zero or infinities: their place among equals is whatever the sort made of it.
            values.CopyTo(_a);
            Array.Sort(_a);
            for (var j = 0; j < _ranks.Length; j++) _rankValues[j] = _a[_ranks[j]];
        }
        else if (min == max)
        {
            _rankValues.AsSpan().Fill(min);
        }
        else if (CountEqual(values, min, max) is var (atMin, atMax) && atMin + atMax == values.Length)
        {
            for (var j = 0; j < _ranks.Length; j++) _rankValues[j] = _ranks[j] < atMin ? min : max;
        }
        else
        {
            Select(values, _b, _a, 0, min, max, 0, _ranks.Length, 0);
        }

        for (var k = 0; k < _h.Length; k++)
        {
            var lo = _rankValues[_loIndex[k]];
            // The same expression as Quantiles.OfSorted.
            quantiles[k] = lo + (_h[k] - _lo[k]) * (_rankValues[_hiIndex[k]] - lo);
        }
    }

    private void CheckLength(ReadOnlySpan<double> values)
    {
        if (values.Length != _count) throw new ArgumentException($"expected {_count} values, got {values.Length}", nameof(values));
    }

    /// <summary>Min and max, and whether any value is NaN or negative zero.</summary>
    // Vector<T> code is never precompiled (ReadyToRun): compiled optimised at once, not first as slow tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Min, double Max, bool Special) Range(ReadOnlySpan<double> values)
    {
        var r = 0;
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        var special = false;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<double>.Count)
        {
            var vmin = new Vector<double>(double.PositiveInfinity);
            var vmax = new Vector<double>(double.NegativeInfinity);
            var negativeZero = new Vector<long>(long.MinValue);
            var odd = Vector<long>.Zero;
            for (; r + Vector<double>.Count <= values.Length; r += Vector<double>.Count)
            {
                var v = new Vector<double>(values[r..]);
                vmin = Vector.Min(vmin, v);
                vmax = Vector.Max(vmax, v);
                // NaN lanes are unequal to themselves; negative zero is one bit pattern.
                odd |= ~Vector.Equals(v, v) | Vector.Equals(Vector.AsVectorInt64(v), negativeZero);
            }
            for (var k = 0; k < Vector<double>.Count; k++)
            {
                min = Math.Min(min, vmin[k]);
                max = Math.Max(max, vmax[k]);
            }
            special = odd != Vector<long>.Zero;
        }
        for (; r < values.Length; r++)
        {
            var v = values[r];
            if (v < min) min = v;
            if (v > max) max = v;
            special |= double.IsNaN(v) || BitConverter.DoubleToInt64Bits(v) == long.MinValue;
        }
        return (min, max, special);
    }

    /// <summary>How many values equal <paramref name="min"/> and how many equal <paramref name="max"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int AtMin, int AtMax) CountEqual(ReadOnlySpan<double> values, double min, double max)
    {
        var r = 0;
        long atMin = 0, atMax = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<double>.Count)
        {
            var vmin = new Vector<double>(min);
            var vmax = new Vector<double>(max);
            var cmin = Vector<long>.Zero;
            var cmax = Vector<long>.Zero;
            for (; r + Vector<double>.Count <= values.Length; r += Vector<double>.Count)
            {
                var v = new Vector<double>(values[r..]);
                cmin -= Vector.Equals(v, vmin); // true lanes are -1
                cmax -= Vector.Equals(v, vmax);
            }
            atMin = Vector.Sum(cmin);
            atMax = Vector.Sum(cmax);
        }
        for (; r < values.Length; r++)
        {
            if (values[r] == min) atMin++;
            else if (values[r] == max) atMax++;
        }
        return ((int)atMin, (int)atMax);
    }

    /// <summary>
    /// The bucket of each value, <c>min((int)((v - min) * scale), last)</c>, four values at a time
    /// (the same IEEE subtraction, multiplication and truncation in each lane as in the scalar
    /// expression, so the same buckets); returns how many values it did (the rest are scalar).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Buckets(ReadOnlySpan<double> source, Span<int> bucketOf, double min, double scale, int last)
    {
        if (!Avx.IsSupported) return 0;
        var vmin = Vector256.Create(min);
        var vscale = Vector256.Create(scale);
        var vlast = Vector128.Create(last);
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(bucketOf);
        var r = 0;
        for (; r + 4 <= source.Length; r += 4)
        {
            var v = Vector256.LoadUnsafe(ref from, (nuint)r);
            var bucket = Avx.ConvertToVector128Int32WithTruncation(Avx.Multiply(Avx.Subtract(v, vmin), vscale));
            Vector128.Min(bucket, vlast).StoreUnsafe(ref to, (nuint)r);
        }
        return r;
    }

    /// <summary>
    /// Copies the values of the wanted buckets to target[fill[bucket]++], in order. Eight buckets
    /// at a time are compared with the few wanted ones, and only groups holding one are visited
    /// value by value: most values are not wanted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyWanted(ReadOnlySpan<double> source, ReadOnlySpan<int> bucketOf, ReadOnlySpan<int> wantedBuckets, int[] fill, double[] target)
    {
        var r = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var buckets = ref MemoryMarshal.GetReference(bucketOf);
            for (; r + Vector256<int>.Count <= source.Length; r += Vector256<int>.Count)
            {
                var group = Vector256.LoadUnsafe(ref buckets, (nuint)r);
                var hit = Vector256<int>.Zero;
                foreach (var w in wantedBuckets) hit |= Vector256.Equals(group, Vector256.Create(w));
                var lanes = hit.ExtractMostSignificantBits();
                while (lanes != 0)
                {
                    var i = r + BitOperations.TrailingZeroCount(lanes);
                    target[fill[bucketOf[i]]++] = source[i];
                    lanes &= lanes - 1;
                }
            }
        }
        for (; r < source.Length; r++)
        {
            var bucket = bucketOf[r];
            if (wantedBuckets.Contains(bucket)) target[fill[bucket]++] = source[r];
        }
    }

    /// <summary>
    /// A few finite values (no negative zero) sorted into <paramref name="sorted"/>: each value goes
    /// to its rank, the number of values below it plus the equal ones before it. Comparisons
    /// counted, not branched on, so that new data costs no mispredicted branches.
    /// </summary>
    private static void SortFew(ReadOnlySpan<double> values, Span<double> sorted)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            var rank = 0;
            for (var j = 0; j < i; j++) rank += values[j] <= v ? 1 : 0;
            for (var j = i + 1; j < values.Length; j++) rank += values[j] < v ? 1 : 0;
            sorted[rank] = v;
        }
    }

    /// <summary>The four histograms' sum, bucket by bucket, into the first: counts[b] += counts[buckets + b] + counts[2 buckets + b] + counts[3 buckets + b].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumWays(int[] counts, int buckets)
    {
        ref var c = ref MemoryMarshal.GetArrayDataReference(counts);
        var b = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; b + Vector256<int>.Count <= buckets; b += Vector256<int>.Count)
            {
                var sum = Vector256.LoadUnsafe(ref c, (nuint)b) + Vector256.LoadUnsafe(ref c, (nuint)(buckets + b))
                    + Vector256.LoadUnsafe(ref c, (nuint)(2 * buckets + b)) + Vector256.LoadUnsafe(ref c, (nuint)(3 * buckets + b));
                sum.StoreUnsafe(ref c, (nuint)b);
            }
        }
        for (; b < buckets; b++) counts[b] += counts[buckets + b] + counts[2 * buckets + b] + counts[3 * buckets + b];
    }

    /// <summary>
    /// Finds the values of ranks <c>_ranks[firstRank..lastRank)</c> (ranks within the whole set;
    /// this segment holds ranks offset..offset+source.Length) among <paramref name="source"/>, whose
    /// values lie in [min, max]. <paramref name="target"/> (from index offset) receives the wanted
    /// buckets; <paramref name="spare"/> is scratch for the next level. Both span the whole set.
    /// </summary>
    private void Select(ReadOnlySpan<double> source, double[] target, double[] spare, int offset, double min, double max, int firstRank, int lastRank, int depth)
    {
        if (firstRank >= lastRank) return;
        if (min == max)
        {
            for (var j = firstRank; j < lastRank; j++) _rankValues[j] = min;
            return;
        }
        var length = source.Length;
        var scale = _buckets / (max - min);
        if (length <= SortBelow || depth >= MaxDepth || !double.IsFinite(scale) || scale <= 0)
        {
            var segment = target.AsSpan(offset, length);
            if (length <= SortFewBelow)
            {
                SortFew(source, segment);
            }
            else
            {
                source.CopyTo(segment);
                segment.Sort();
            }
            for (var j = firstRank; j < lastRank; j++) _rankValues[j] = segment[_ranks[j] - offset];
            return;
        }

        var counts = _counts[depth];
        var fill = _fill[depth];
        Array.Clear(counts);
        var last = _buckets - 1;
        var bucketOf = _bucketOf.AsSpan(offset, length);
        var r = Buckets(source, bucketOf, min, scale, last);
        for (; r < length; r++)
        {
            var bucket = (int)((source[r] - min) * scale);
            if (bucket > last) bucket = last;
            bucketOf[r] = bucket;
        }
        // Four histograms side by side (way w counts values r with r % 4 == w): consecutive
        // values never wait on one counter. Then their sum, bucket by bucket, into the first.
        var buckets = _buckets;
        r = 0;
        for (; r + Ways <= length; r += Ways)
        {
            counts[bucketOf[r]]++;
            counts[buckets + bucketOf[r + 1]]++;
            counts[2 * buckets + bucketOf[r + 2]]++;
            counts[3 * buckets + bucketOf[r + 3]]++;
        }
        for (; r < length; r++) counts[(r & (Ways - 1)) * buckets + bucketOf[r]]++;
        SumWays(counts, buckets);

        // Which buckets hold the wanted ranks (fill[b] = where bucket b goes in target), then their values.
        var start = offset;
        var wanted = firstRank;
        var wantedBuckets = 0;
        for (var b = 0; b < buckets && wanted < lastRank; b++)
        {
            var end = start + counts[b];
            if (_ranks[wanted] < end)
            {
                fill[b] = start;
                _wantedBuckets[wantedBuckets++] = b;
                while (wanted < lastRank && _ranks[wanted] < end) wanted++;
            }
            start = end;
        }
        CopyWanted(source, bucketOf, _wantedBuckets.AsSpan(0, wantedBuckets), fill, target);

        // Recurse into each wanted bucket (its values now sit in target from its start).
        start = offset;
        wanted = firstRank;
        for (var b = 0; b < buckets && wanted < lastRank; b++)
        {
            var n = counts[b];
            var end = start + n;
            if (_ranks[wanted] < end)
            {
                var first = wanted;
                while (wanted < lastRank && _ranks[wanted] < end) wanted++;
                var segment = target.AsSpan(start, n);
                if (n <= SortFewBelow)
                {
                    // Few values: sorted at once (their range would only decide how).
                    var sorted = spare.AsSpan(start, n);
                    SortFew(segment, sorted);
                    for (var j = first; j < wanted; j++) _rankValues[j] = sorted[_ranks[j] - start];
                }
                else
                {
                    double bmin = double.PositiveInfinity, bmax = double.NegativeInfinity;
                    foreach (var v in segment)
                    {
                        bmin = Math.Min(bmin, v);
                        bmax = Math.Max(bmax, v);
                    }
                    Select(segment, spare, target, start, bmin, bmax, first, wanted, depth + 1);
                }
            }
            start = end;
        }
    }
}
