namespace CareSim.Engine.Summaries;

/// <summary>Sample quantiles with linear interpolation between order statistics (Hyndman and Fan type 7, as R and NumPy by default).</summary>
public static class Quantiles
{
    /// <summary>The quantile levels every summary reports.</summary>
    public static IReadOnlyList<double> Levels { get; } = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

    public static IReadOnlyList<string> ColumnNames { get; } = ["p05", "p10", "p25", "p50", "p75", "p90", "p95"];

    /// <summary>The p-quantile of values already sorted ascending.</summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
