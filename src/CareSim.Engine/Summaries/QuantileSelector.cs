namespace CareSim.Engine.Summaries;

/// <summary>
/// The mean and the standard quantiles (<see cref="Quantiles.Levels"/>) of a set of values,
/// bit for bit what sorting a copy and reading <see cref="Quantiles.OfSorted"/> gives, but
/// without sorting everything: only the order statistics the quantiles need (two per level)
/// are found, by bucketing the values on their range and sorting just the buckets that hold
/// those ranks (recursively when such a bucket is large).
/// </summary>
/// <remarks>
/// Exactness: the bucket of a value, <c>(int)((v - min) * scale)</c>, never decreases when the
/// value increases (IEEE subtraction, multiplication by a positive number and truncation are
/// all monotone), so every value of a lower bucket is at most every value of a higher one and
/// the k-th smallest value overall is the (k - values below its bucket)-th smallest of its
/// bucket. Equal values fall into the same bucket. Values where the order of equal-comparing
/// but different bit patterns could matter (NaN, negative zero) or that have no finite range
/// take the sorting path, which is the old code. Not thread-safe: one instance per thread.
/// </remarks>
public sealed class QuantileSelector
{
    private const int SortBelow = 48;
    private const int MaxDepth = 4;

    private readonly int _count;
    private readonly double[] _h;        // per level: (n - 1) p
    private readonly int[] _lo;          // per level: floor(h)
    private readonly int[] _hi;          // per level: min(lo + 1, n - 1)
    private readonly int[] _ranks;       // the distinct order statistics needed, ascending
    private readonly double[] _rankValues;
    private readonly double[] _a;        // working copies (ping-pong between levels)
    private readonly double[] _b;
    private readonly int[] _bucketOf;
    private readonly int[][] _counts;    // per depth
    private readonly int[][] _fill;      // per depth
    private readonly int _buckets;

    public QuantileSelector(int count)
    {
        _count = count;
        var levels = Quantiles.Levels;
        _h = new double[levels.Count];
        _lo = new int[levels.Count];
        _hi = new int[levels.Count];
        var ranks = new SortedSet<int>();
        for (var k = 0; k < levels.Count; k++)
        {
            if (count == 0) break;
            _h[k] = (count - 1) * levels[k];
            _lo[k] = (int)Math.Floor(_h[k]);
            _hi[k] = Math.Min(_lo[k] + 1, count - 1);
            ranks.Add(_lo[k]);
            ranks.Add(_hi[k]);
        }
        _ranks = [.. ranks];
        _rankValues = new double[_ranks.Length];
        _a = new double[count];
        _b = new double[count];
        _bucketOf = new int[count];
        _buckets = Math.Clamp(count / 4, 16, 4096);
        _counts = new int[MaxDepth][];
        _fill = new int[MaxDepth][];
        for (var d = 0; d < MaxDepth; d++)
        {
            _counts[d] = new int[_buckets];
            _fill[d] = new int[_buckets];
        }
    }

    /// <summary>
    /// The mean (summed in the order given) and the quantiles at <see cref="Quantiles.Levels"/>
    /// of exactly <c>count</c> values, written into <paramref name="quantiles"/>.
    /// </summary>
    public double Describe(ReadOnlySpan<double> values, Span<double> quantiles)
    {
        if (values.Length != _count) throw new ArgumentException($"expected {_count} values, got {values.Length}", nameof(values));
        var sum = 0.0;
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        var special = false;
        for (var r = 0; r < values.Length; r++)
        {
            var v = values[r];
            sum += v;
            if (v < min) min = v;
            if (v > max) max = v;
            // NaN, and negative zero (equal to +0 but printed differently): their place among
            // equals is whatever the sort made of it, so leave them to the sort.
            special |= double.IsNaN(v) || BitConverter.DoubleToInt64Bits(v) == long.MinValue;
        }
        var mean = sum / values.Length;
        if (_count == 0)
        {
            quantiles.Fill(double.NaN);
            return mean;
        }

        values.CopyTo(_a);
        if (special || !double.IsFinite(min) || !double.IsFinite(max))
        {
            Array.Sort(_a);
            for (var j = 0; j < _ranks.Length; j++) _rankValues[j] = _a[_ranks[j]];
        }
        else
        {
            Select(_a, _b, 0, _count, min, max, 0, _ranks.Length, 0);
        }

        for (var k = 0; k < _h.Length; k++)
        {
            var lo = Array.BinarySearch(_ranks, _lo[k]);
            var hi = Array.BinarySearch(_ranks, _hi[k]);
            // The same expression as Quantiles.OfSorted.
            quantiles[k] = _rankValues[lo] + (_h[k] - _lo[k]) * (_rankValues[hi] - _rankValues[lo]);
        }
        return mean;
    }

    /// <summary>
    /// Finds the values of ranks <c>_ranks[firstRank..lastRank)</c> (ranks within the whole set;
    /// this segment holds ranks offset..offset+length) among <c>source[offset..offset+length)</c>,
    /// whose values lie in [min, max]. <paramref name="target"/> is scratch over the same range.
    /// </summary>
    private void Select(double[] source, double[] target, int offset, int length, double min, double max, int firstRank, int lastRank, int depth)
    {
        if (firstRank >= lastRank) return;
        if (min == max)
        {
            for (var j = firstRank; j < lastRank; j++) _rankValues[j] = min;
            return;
        }
        var scale = _buckets / (max - min);
        if (length <= SortBelow || depth >= MaxDepth || !double.IsFinite(scale) || scale <= 0)
        {
            var segment = source.AsSpan(offset, length);
            segment.Sort();
            for (var j = firstRank; j < lastRank; j++) _rankValues[j] = segment[_ranks[j] - offset];
            return;
        }

        var counts = _counts[depth];
        var fill = _fill[depth];
        Array.Clear(counts);
        var last = _buckets - 1;
        for (var r = offset; r < offset + length; r++)
        {
            var bucket = (int)((source[r] - min) * scale);
            if (bucket > last) bucket = last;
            _bucketOf[r] = bucket;
            counts[bucket]++;
        }

        // Which buckets hold the wanted ranks; fill[b] = start of bucket b (absolute), or -1 if not wanted.
        var start = offset;
        var j2 = firstRank;
        for (var b = 0; b < _buckets; b++)
        {
            var end = start + counts[b];
            if (j2 < lastRank && _ranks[j2] < end)
            {
                fill[b] = start;
                while (j2 < lastRank && _ranks[j2] < end) j2++;
            }
            else
            {
                fill[b] = -1;
            }
            start = end;
        }
        for (var r = offset; r < offset + length; r++)
        {
            var at = fill[_bucketOf[r]];
            if (at < 0) continue;
            target[at] = source[r];
            fill[_bucketOf[r]] = at + 1;
        }

        // Recurse into each wanted bucket (its values now sit in target at its start).
        start = offset;
        var j3 = firstRank;
        for (var b = 0; b < _buckets && j3 < lastRank; b++)
        {
            var n = counts[b];
            var end = start + n;
            if (_ranks[j3] < end)
            {
                var first = j3;
                while (j3 < lastRank && _ranks[j3] < end) j3++;
                double bmin = double.PositiveInfinity, bmax = double.NegativeInfinity;
                for (var r = start; r < end; r++)
                {
                    var v = target[r];
                    if (v < bmin) bmin = v;
                    if (v > bmax) bmax = v;
                }
                Select(target, source, start, n, bmin, bmax, first, j3, depth + 1);
            }
            start = end;
        }
    }
}
