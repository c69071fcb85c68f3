using System.Globalization;
using System.Text;
using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.Model.Plan;
using CareSim.Model.Randomness;

namespace CareSim.Experiments;

/// <summary>
/// One parameter's Sobol indices for an outcome: first order (the share of the outcome's variance
/// the parameter explains alone) and total order (alone and through its interactions), each with
/// a 95% bootstrap interval; <see cref="Low"/> and <see cref="High"/> are the range sampled.
/// </summary>
public sealed record SobolRow(string Parameter, string Outcome, double First, double FirstLow, double FirstHigh,
    double Total, double TotalLow, double TotalHigh, double Low, double High, string Unit);

/// <summary>The indices of one input of a function on the unit cube (before names are attached).</summary>
public sealed record SobolIndex(double First, double FirstLow, double FirstHigh, double Total, double TotalLow, double TotalHigh);

/// <summary>
/// Sobol variance-based sensitivity by the Saltelli design: two N x k sample matrices A and B on
/// the unit cube, and for each input i the matrix A_B^(i) (A with column i taken from B), so
/// N (k + 2) evaluations. First order S_i = mean(f_B (f_ABi - f_A)) / V (Saltelli 2010, f_B centred), total
/// order ST_i = mean((f_A - f_ABi)^2) / 2V (Jansen 1999), with V the variance of f_A and f_B
/// together. Intervals: percentiles 2.5 and 97.5 of the indices recomputed on bootstrap
/// resamples of the N rows. Every number is counter-based on the seed, so results do not depend
/// on how the work is split.
/// </summary>
public static class SobolAnalysis
{
    public const int DefaultBootstrap = 500;

    /// <summary>Model evaluations a design of <paramref name="samples"/> base rows costs.</summary>
    public static int Cost(int samples, int parameters) => samples * (parameters + 2);

    /// <summary>
    /// Row <paramref name="row"/> of A (columns 0..k-1) or B (columns k..2k-1): independent uniforms
    /// on (0, 1), a function of (seed, row, column) only.
    /// </summary>
    public static double[] Row(ulong seed, int row, int k, bool b)
    {
        var key = CounterRng.ReplicaKey(CounterRng.StreamKey(seed, 0x5_0B01, RandomStream.Setup, -4), row);
        return Enumerable.Range(b ? k : 0, k).Select(j => CounterRng.Uniform(key, j)).ToArray();
    }

    /// <summary>
    /// Sobol indices of <paramref name="k"/> inputs on several outputs of <paramref name="evaluate"/>
    /// (a point of the unit cube to one value per output), one list per output in input order.
    /// </summary>
    public static async Task<IReadOnlyList<IReadOnlyList<SobolIndex>>> EstimateAsync(int k, int outputs, Func<double[], Task<double[]>> evaluate,
        int samples, int bootstrap, ulong seed, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(bootstrap, 1);
        // f[o][0][r] = f_A, f[o][1][r] = f_B, f[o][2 + i][r] = f_ABi.
        var f = Enumerable.Range(0, outputs).Select(_ => Enumerable.Range(0, k + 2).Select(_ => new double[samples]).ToArray()).ToArray();
        for (var r = 0; r < samples; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var a = Row(seed, r, k, b: false);
            var b = Row(seed, r, k, b: true);
            Store(0, await evaluate(a));
            Store(1, await evaluate(b));
            for (var i = 0; i < k; i++)
            {
                var abi = (double[])a.Clone();
                abi[i] = b[i];
                Store(2 + i, await evaluate(abi));
            }

            void Store(int matrix, double[] values)
            {
                for (var o = 0; o < outputs; o++) f[o][matrix][r] = values[o];
            }
        }
        return f.Select(fo => Indices(fo[0], fo[1], fo[2..], bootstrap, seed)).ToList();
    }

    /// <summary>
    /// The indices from evaluations already made: f_A, f_B and f_ABi for each input i, all over the
    /// same N rows. When the outcome does not vary at all (V = 0) every index is 0.
    /// </summary>
    public static IReadOnlyList<SobolIndex> Indices(double[] fA, double[] fB, IReadOnlyList<double[]> fAB, int bootstrap, ulong seed)
    {
        var n = fA.Length;
        var all = Enumerable.Range(0, n).ToArray();
        var point = fAB.Select(fi => Estimate(fA, fB, fi, all)).ToArray();
        // Every bootstrap draw resamples the same rows for all inputs, so the draws are comparable.
        var draws = fAB.Select(_ => (First: new double[bootstrap], Total: new double[bootstrap])).ToArray();
        var rows = new int[n];
        for (var d = 0; d < bootstrap; d++)
        {
            var key = CounterRng.ReplicaKey(CounterRng.StreamKey(seed, 0x5_0B02, RandomStream.Setup, -4), d);
            for (var r = 0; r < n; r++) rows[r] = Math.Min(n - 1, (int)(CounterRng.Uniform(key, r) * n));
            for (var i = 0; i < fAB.Count; i++) (draws[i].First[d], draws[i].Total[d]) = Estimate(fA, fB, fAB[i], rows);
        }
        return point.Select((p, i) => new SobolIndex(p.First, Percentile(draws[i].First, 0.025), Percentile(draws[i].First, 0.975),
            p.Total, Percentile(draws[i].Total, 0.025), Percentile(draws[i].Total, 0.975))).ToList();
    }

    /// <summary>
    /// Saltelli 2010 first order and Jansen total order over the given rows (repeats allowed). f_B is
    /// centred on the mean of f_A and f_B: the same in expectation, but without the noise of
    /// mean x mean(f_ABi - f_A), which swamps outcomes far from zero (a cost in millions).
    /// </summary>
    private static (double First, double Total) Estimate(double[] fA, double[] fB, double[] fABi, int[] rows)
    {
        double mean = 0;
        foreach (var r in rows) mean += fA[r] + fB[r];
        mean /= 2 * rows.Length;
        double variance = 0, first = 0, total = 0;
        foreach (var r in rows)
        {
            variance += (fA[r] - mean) * (fA[r] - mean) + (fB[r] - mean) * (fB[r] - mean);
            first += (fB[r] - mean) * (fABi[r] - fA[r]);
            total += (fA[r] - fABi[r]) * (fA[r] - fABi[r]);
        }
        variance /= 2 * rows.Length;
        if (variance <= 0) return (0, 0);
        return (first / rows.Length / variance, total / rows.Length / (2 * variance));
    }

    /// <summary>Linear interpolation between order statistics (R type 7).</summary>
    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        return lo + 1 < sorted.Length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
    }

    /// <summary>
    /// Sobol indices of the uncertain parameters on several outcomes of one authority, every point a
    /// run of the scenario with those parameter values (as in the Morris screening: same seed, so
    /// common random numbers). Rows per outcome, largest total order first.
    /// </summary>
    public static async Task<IReadOnlyList<SobolRow>> RunAsync(ISimulationEngine engine, SimulationPlan plan, IReadOnlyList<OutcomeMeasure> outcomes, int authority,
        int samples, int bootstrap, RunSettings settings, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var parameters = UncertainParameters.All;
        var evaluate = SensitivityAnalysis.Evaluator(engine, plan, outcomes, authority, settings, Cost(samples, parameters.Count), progress, cancellationToken);
        var indices = await EstimateAsync(parameters.Count, outcomes.Count, evaluate, samples, bootstrap, plan.Seed, cancellationToken).ConfigureAwait(false);
        return outcomes.SelectMany((outcome, o) => parameters.Select((p, j) =>
        {
            var s = indices[o][j];
            return new SobolRow(p.Name, outcome.Name, s.First, s.FirstLow, s.FirstHigh, s.Total, s.TotalLow, s.TotalHigh,
                p.UncertainLow!.Value, p.UncertainHigh!.Value, outcome.Unit);
        }).OrderByDescending(r => r.Total)).ToList();
    }

    public static string CsvHeader => "parameter,outcome,first_order,first_low,first_high,total_order,total_low,total_high,low,high,unit";

    /// <summary>sobol.csv: one row per parameter and outcome.</summary>
    public static string ToCsv(IEnumerable<SobolRow> rows)
    {
        var csv = new StringBuilder(CsvHeader).Append('\n');
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Parameter},{r.Outcome},{ResultsWriter.Format(r.First)},{ResultsWriter.Format(r.FirstLow)},{ResultsWriter.Format(r.FirstHigh)},"
                + $"{ResultsWriter.Format(r.Total)},{ResultsWriter.Format(r.TotalLow)},{ResultsWriter.Format(r.TotalHigh)},{ResultsWriter.Format(r.Low)},{ResultsWriter.Format(r.High)},\"{r.Unit}\"\n");
        return csv.ToString();
    }
}
