using CareSim.Data.Baseline;
using CareSim.Model.Plan;

namespace CareSim.Estimation.Backtest;

/// <summary>How a figure changes from year to year in the persistence baseline.</summary>
public enum ChangeScale
{
    /// <summary>Differences (shares: agency, vacancy, turnover, re-referral), the result kept in [0, 1].</summary>
    Additive,
    /// <summary>Log ratios (FTE, caseload, rates per 10,000 children), the result kept positive.</summary>
    Log,
}

/// <summary>A workforce or demand figure the backtest scores, with the model metric that predicts it.</summary>
public sealed record FigureTarget(string Name, string Measure, CareSim.Model.Outputs.Metric Metric, ChangeScale Scale, string? CountMeasure = null)
{
    public MeasureInfo Info => Measures.Get(Measure);

    public bool IsWorkforce => Info.Timing == MeasureTiming.Workforce;
}

/// <summary>
/// The persistence baseline for figures: the last value known at the origin, spread by the
/// empirical k-year changes of every authority's figure observed before the origin (k = years from
/// the last value to the scored year). The forecast is that ensemble: last value ⊕ each observed
/// change, so its CRPS and interval are computed exactly like the model's.
/// </summary>
public sealed class FigurePersistence
{
    /// <summary>Fewer pairs than this and a pool is not used (the count measure's, then a shorter lag, then a point mass).</summary>
    public const int MinPairs = 20;

    private readonly BaselineDataset _window;
    private readonly Dictionary<(string Measure, int Lag, ChangeScale Scale), double[]> _pools = [];

    public FigurePersistence(BaselineDataset window) => _window = window;

    /// <summary>Notes on pools that fell back (to a count measure, a shorter lag or a point mass).</summary>
    public SortedSet<string> Notes { get; } = new(StringComparer.Ordinal);

    /// <summary>The ensemble for a figure of <paramref name="target"/> in <paramref name="year"/>, or null if no value is known at the origin.</summary>
    public double[]? Ensemble(FigureTarget target, string code, int year, DateOnly origin, out double last, out int lastYear)
    {
        var known = _window.ValueAsOf(code, target.Measure, origin);
        last = known?.Value ?? double.NaN;
        lastYear = known?.Year ?? 0;
        if (known is null)
            return null;
        var changes = Changes(target, year - known.Year);
        var result = new double[Math.Max(1, changes.Length)];
        if (changes.Length == 0)
        {
            result[0] = known.Value;
            return result;
        }
        for (var i = 0; i < changes.Length; i++)
        {
            result[i] = target.Scale == ChangeScale.Log
                ? known.Value * Math.Exp(changes[i])
                : Math.Clamp(known.Value + changes[i], 0, target.Info.Unit == MeasureUnit.Fraction ? 1 : double.MaxValue);
        }
        Array.Sort(result);
        return result;
    }

    private double[] Changes(FigureTarget target, int lag)
    {
        for (var k = lag; k >= 1; k--)
        {
            var own = Pool(target.Measure, k, target.Scale);
            if (own.Length >= MinPairs)
            {
                if (k < lag)
                    Notes.Add($"{target.Name}: no {lag}-year changes before the origin; used the {k}-year changes ({own.Length} pairs)");
                return own;
            }
            if (target.CountMeasure is not null)
            {
                var count = Pool(target.CountMeasure, k, ChangeScale.Log);
                if (count.Length >= MinPairs)
                {
                    Notes.Add($"{target.Name}: {(k < lag ? $"no {lag}-year changes before the origin; " : "")}spread from the {k}-year log changes of {target.CountMeasure} ({count.Length} pairs; too few years of the rate before the origin)");
                    return count;
                }
            }
        }
        Notes.Add($"{target.Name}: fewer than {MinPairs} pairs of years before the origin: persistence is a point mass on the last value (its CRPS is the absolute error)");
        return [];
    }

    private double[] Pool(string measure, int lag, ChangeScale scale)
    {
        if (_pools.TryGetValue((measure, lag, scale), out var pool))
            return pool;
        var list = new List<double>();
        foreach (var a in _window.Authorities)
        {
            var years = _window.Years(a.Code);
            foreach (var y in years)
            {
                if (y[measure] is not { } x1)
                    continue;
                var later = years.FirstOrDefault(z => z.Year == y.Year + lag);
                if (later?[measure] is not { } x2)
                    continue;
                if (scale == ChangeScale.Log)
                {
                    if (x1 > 0 && x2 > 0)
                        list.Add(Math.Log(x2 / x1));
                }
                else
                {
                    list.Add(x2 - x1);
                }
            }
        }
        pool = list.ToArray();
        Array.Sort(pool);
        _pools[(measure, lag, scale)] = pool;
        return pool;
    }
}

/// <summary>
/// The grade baselines, estimated from the inspections published by the origin: persistence
/// (the last grade keeps the share of consecutive inspections that repeated the grade, the rest is
/// shared equally by the other three grades) and the empirical transition matrix
/// P(next grade | last grade) with add-one smoothing. An authority without a grade gets the
/// smoothed share of each grade among all inspections before the origin, in both.
/// </summary>
public sealed class GradeBaselines
{
    public GradeBaselines(BaselineDataset window)
        : this(window.Authorities.Select(a => window.Inspections(a.Code).Select(i => i.Overall).ToList()))
    {
    }

    /// <param name="sequences">Each authority's overall grades in date order.</param>
    public GradeBaselines(IEnumerable<IReadOnlyList<Grade>> sequences)
    {
        var counts = new double[4, 4];
        var marginal = new double[4];
        var same = 0;
        var pairs = 0;
        foreach (var list in sequences)
        {
            for (var i = 0; i < list.Count; i++)
            {
                marginal[(int)list[i]]++;
                if (i == 0)
                    continue;
                var from = (int)list[i - 1];
                var to = (int)list[i];
                counts[from, to]++;
                pairs++;
                if (from == to)
                    same++;
            }
        }
        Pairs = pairs;
        Inspections = (int)marginal.Sum();
        SameShare = (same + 1.0) / (pairs + 2.0);
        Transition = new double[4][];
        TransitionCounts = new int[4][];
        for (var h = 0; h < 4; h++)
        {
            var row = Enumerable.Range(0, 4).Select(g => counts[h, g] + 1).ToArray();
            var total = row.Sum();
            Transition[h] = row.Select(x => x / total).ToArray();
            TransitionCounts[h] = Enumerable.Range(0, 4).Select(g => (int)counts[h, g]).ToArray();
        }
        var all = marginal.Sum() + 4;
        Marginal = marginal.Select(x => (x + 1) / all).ToArray();
    }

    /// <summary>Consecutive pairs of inspections before the origin.</summary>
    public int Pairs { get; }
    public int Inspections { get; }
    /// <summary>(repeats + 1) / (pairs + 2): the probability persistence gives the last grade.</summary>
    public double SameShare { get; }
    /// <summary>[last][next], rows sum to 1.</summary>
    public double[][] Transition { get; }
    public int[][] TransitionCounts { get; }
    public double[] Marginal { get; }

    public double[] Persistence(Grade? last)
    {
        if (last is not { } g)
            return Marginal.ToArray();
        var p = new double[4];
        for (var k = 0; k < 4; k++)
            p[k] = k == (int)g ? SameShare : (1 - SameShare) / 3;
        return p;
    }

    public double[] TransitionMatrix(Grade? last) => last is { } g ? Transition[(int)g].ToArray() : Marginal.ToArray();
}
