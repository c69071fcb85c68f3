using CareSim.Engine.Summaries;

namespace CareSim.Estimation.Backtest;

/// <summary>Proper scores of probabilistic forecasts, as the backtest computes them.</summary>
public static class Scores
{
    /// <summary>Probabilities are floored at this value in the log-loss (a zero would give an infinite loss).</summary>
    public const double LogLossFloor = 1e-3;

    /// <summary>
    /// The continuous ranked probability score of an ensemble (its empirical distribution) for an
    /// observation: E|X - y| - ½ E|X - X'|, with X, X' drawn independently from the ensemble, computed
    /// on the sorted sample in O(n) (E|X - X'| = 2/n² Σ (2i - n - 1) x₍ᵢ₎, i = 1..n). A single member
    /// gives the absolute error. Lower is better; in the unit of the figure.
    /// </summary>
    public static double Crps(ReadOnlySpan<double> sorted, double observed)
    {
        var n = sorted.Length;
        if (n == 0)
            throw new ArgumentException("empty ensemble", nameof(sorted));
        double absError = 0, spread = 0;
        for (var i = 0; i < n; i++)
        {
            absError += Math.Abs(sorted[i] - observed);
            spread += (2.0 * (i + 1) - n - 1) * sorted[i];
        }
        return absError / n - spread / ((double)n * n);
    }

    /// <summary>The p-quantile of a sorted sample (linear interpolation, type 7, as the run summaries).</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double p) => Quantiles.OfSorted(sorted, p);

    /// <summary>Whether the observation lies in the central 80% interval (p10 to p90, inclusive) of the sorted sample.</summary>
    public static bool Inside80(ReadOnlySpan<double> sorted, double observed) =>
        observed >= Quantile(sorted, 0.10) && observed <= Quantile(sorted, 0.90);

    /// <summary>-ln p(observed), with p floored at <see cref="LogLossFloor"/>.</summary>
    public static double LogLoss(IReadOnlyList<double> probabilities, int observed) =>
        -Math.Log(Math.Max(LogLossFloor, probabilities[observed]));

    /// <summary>Σ_k (p_k - 1[k = observed])² over the grades (0 is perfect, 2 the worst).</summary>
    public static double Brier(IReadOnlyList<double> probabilities, int observed)
    {
        var sum = 0.0;
        for (var k = 0; k < probabilities.Count; k++)
        {
            var d = probabilities[k] - (k == observed ? 1 : 0);
            sum += d * d;
        }
        return sum;
    }
}
