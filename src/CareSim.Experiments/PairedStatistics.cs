using CareSim.Model.Randomness;
using MathNet.Numerics.Distributions;

namespace CareSim.Experiments;

/// <summary>
/// Statistics of paired samples: replica r of a strategy and replica r of the baseline saw the
/// same random world (common random numbers), so their difference isolates the strategy's effect.
/// </summary>
public static class PairedStatistics
{
    /// <summary>Mean of the paired differences with a 95% t-interval.</summary>
    public static (double Mean, double Low, double High) MeanDifference(double[] strategy, double[] baseline)
    {
        var n = Check(strategy, baseline);
        var mean = 0.0;
        for (var r = 0; r < n; r++) mean += strategy[r] - baseline[r];
        mean /= n;
        if (n < 2) return (mean, double.NaN, double.NaN);
        var squares = 0.0;
        for (var r = 0; r < n; r++)
        {
            var d = strategy[r] - baseline[r] - mean;
            squares += d * d;
        }
        var half = StudentT.InvCDF(0, 1, n - 1, 0.975) * Math.Sqrt(squares / (n - 1) / n);
        return (mean, mean - half, mean + half);
    }

    /// <summary>
    /// Difference of medians with a 95% percentile interval from a paired bootstrap (replicas
    /// resampled together). Deterministic: the resampling uses the counter-based generator.
    /// </summary>
    public static (double Difference, double Low, double High) MedianDifference(double[] strategy, double[] baseline, int resamples = 1000, ulong seed = 1)
    {
        var n = Check(strategy, baseline);
        var difference = Median(strategy) - Median(baseline);
        var samples = new double[resamples];
        var s = new double[n];
        var b = new double[n];
        for (var k = 0; k < resamples; k++)
        {
            var key = CounterRng.ReplicaKey(CounterRng.StreamKey(seed, 0x5EED, RandomStream.Intervention, -1), k);
            for (var r = 0; r < n; r++)
            {
                var pick = (int)(CounterRng.Uniform(key, r) * n);
                s[r] = strategy[pick];
                b[r] = baseline[pick];
            }
            samples[k] = Median(s) - Median(b);
        }
        Array.Sort(samples);
        return (difference, samples[(int)(0.025 * (resamples - 1))], samples[(int)Math.Ceiling(0.975 * (resamples - 1))]);
    }

    /// <summary>Share of replicas in which the strategy does better than the baseline (ties count half).</summary>
    public static double ShareBetter(double[] strategy, double[] baseline, Better better)
    {
        var n = Check(strategy, baseline);
        var score = 0.0;
        for (var r = 0; r < n; r++)
        {
            var d = strategy[r] - baseline[r];
            if (d == 0) score += 0.5;
            else if (better == Better.Higher ? d > 0 : d < 0) score += 1;
        }
        return score / n;
    }

    public static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static int Check(double[] strategy, double[] baseline)
    {
        if (strategy.Length != baseline.Length || strategy.Length == 0)
            throw new ArgumentException($"paired samples must have the same, positive length (got {strategy.Length} and {baseline.Length})");
        return strategy.Length;
    }
}
