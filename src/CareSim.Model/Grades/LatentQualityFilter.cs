using CareSim.Model.Plan;

namespace CareSim.Model.Grades;

/// <summary>
/// What the grade model believes about an authority at a month: a probability over its persistent
/// level (a node of the level distribution) and its current quality (a cell of the 0-1 grid), and
/// the grades that set its intervention.
/// </summary>
public sealed class FilterState
{
    internal FilterState(double[] probability, int month, Grade? last, Grade? previous, bool lastAcrossTheBoard)
    {
        Probability = probability;
        Month = month;
        Last = last;
        Previous = previous;
        LastAcrossTheBoard = lastAcrossTheBoard;
    }

    /// <summary>Probability of (level node k, quality cell g) at index k × grid + g.</summary>
    public double[] Probability { get; }
    public int Month { get; internal set; }
    public Grade? Last { get; internal set; }
    public Grade? Previous { get; internal set; }
    public bool LastAcrossTheBoard { get; internal set; }

    internal FilterState With(double[] probability, Grade? last, Grade? previous, bool across) => new(probability, Month, last, previous, across);
}

/// <summary>
/// The exact filter of the latent-quality grade model (docs/model.md#grades): a hidden Markov model
/// over a grid of quality and the Gauss-Hermite nodes of the authority's level. Between events
/// quality follows the Ornstein-Uhlenbeck step of the model with its target held, which has a
/// closed-form n-month transition; an inspection multiplies in the likelihood of all its
/// judgements. It gives the log-likelihood of an inspection record (the fit), the state at a month
/// (the simulation's starting distribution) and the predicted grade of later inspections (backtests).
/// </summary>
public sealed class LatentQualityFilter
{
    private readonly GradeDynamics _d;
    private readonly int _grid;
    private readonly int _nodes;
    private readonly double[] _centres;
    private readonly double[] _nodeOffsets;
    private readonly double[] _nodeWeights;
    private readonly double[][] _overallGivenQuality; // [grade][cell]
    private readonly Dictionary<int, double[]> _inspectionLikelihood = [];
    private readonly object _cacheLock = new();

    public LatentQualityFilter(GradeDynamics dynamics, int gridSize = 40, int levelNodes = 5)
    {
        _d = dynamics;
        _grid = gridSize;
        _nodes = levelNodes;
        _centres = Enumerable.Range(0, gridSize).Select(g => (g + 0.5) / gridSize).ToArray();
        (_nodeOffsets, _nodeWeights) = GaussHermite.StandardNormal(levelNodes);
        for (var k = 0; k < levelNodes; k++) _nodeOffsets[k] *= dynamics.AuthoritySd;
        _overallGivenQuality = new double[4][];
        for (var o = 0; o < 4; o++) _overallGivenQuality[o] = new double[gridSize];
        Span<double> probabilities = stackalloc double[4];
        for (var g = 0; g < gridSize; g++)
        {
            GradeDynamics.GradeProbabilities(_centres[g], dynamics.JudgementNoise, dynamics.Cuts, probabilities);
            for (var o = 0; o < 4; o++) _overallGivenQuality[o][g] = probabilities[o];
        }
    }

    public GradeDynamics Dynamics => _d;
    public int GridSize => _grid;
    public int LevelNodes => _nodes;

    /// <summary>The level of node k: μ + ω z_k.</summary>
    public double Level(int node) => _d.NationalLevel + _nodeOffsets[node];

    /// <summary>
    /// Runs the filter over the record from its first inspection to <paramref name="untilMonth"/>
    /// and returns the log-likelihood of the inspections started by then; <paramref name="state"/> is
    /// the belief at <paramref name="untilMonth"/>. A record with no inspection gives the prior.
    /// </summary>
    public double Run(GradeRecord record, int untilMonth, out FilterState state)
    {
        var inspections = record.Inspections.Where(i => i.StartMonth <= untilMonth).ToList();
        var start = inspections.Count > 0 ? inspections[0].StartMonth : untilMonth;
        state = Prior(record, start);
        var events = new List<(int Month, int Order, GradeObservation Inspection)>();
        foreach (var i in inspections)
        {
            events.Add((i.StartMonth, 1, i));
            if (i.PublishedMonth <= untilMonth) events.Add((Math.Max(i.PublishedMonth, i.StartMonth), 0, i));
        }
        events.Sort((a, b) => a.Month != b.Month ? a.Month.CompareTo(b.Month) : a.Order.CompareTo(b.Order));
        var logLikelihood = 0.0;
        foreach (var (month, order, inspection) in events)
        {
            Propagate(state, record, month);
            if (order == 0)
            {
                state.Previous = state.Last;
                state.Last = inspection.Overall;
                state.LastAcrossTheBoard = inspection.AcrossTheBoard;
            }
            else
            {
                logLikelihood += Observe(state.Probability, InspectionLikelihood(inspection));
            }
        }
        Propagate(state, record, untilMonth);
        return logLikelihood;
    }

    /// <summary>
    /// The predicted overall grade of full inspections at the given months (in order) after the
    /// state's month, not knowing their results: each inspection's unknown grade splits the belief
    /// into "inadequate" (a direction follows) and "not inadequate". The workforce rates stay at the
    /// last ones in the record.
    /// </summary>
    public double[][] PredictGrades(FilterState state, GradeRecord record, IReadOnlyList<int> months)
    {
        var branches = new List<FilterState> { state.With((double[])state.Probability.Clone(), state.Last, state.Previous, state.LastAcrossTheBoard) };
        branches[0].Month = state.Month;
        var result = new double[months.Count][];
        for (var m = 0; m < months.Count; m++)
        {
            var p = new double[4];
            foreach (var branch in branches)
            {
                Propagate(branch, record, Math.Max(branch.Month, months[m]));
                for (var o = 0; o < 4; o++) p[o] += Mass(branch.Probability, _overallGivenQuality[o]);
            }
            var total = p.Sum();
            result[m] = p.Select(x => x / total).ToArray();
            var next = new List<FilterState>();
            foreach (var branch in branches)
            {
                var inadequate = Weighted(branch.Probability, _overallGivenQuality[0]);
                var better = new double[branch.Probability.Length];
                for (var j = 0; j < better.Length; j++) better[j] = branch.Probability[j] - inadequate[j];
                Merge(next, branch.With(inadequate, Grade.Inadequate, branch.Last, false), branch.Month);
                Merge(next, branch.With(better, Grade.RequiresImprovement, branch.Last, false), branch.Month);
            }
            branches = next;
        }
        return result;
    }

    /// <summary>Draws (level, quality) from a state with two uniforms: the cell by the first, the position within it by the second.</summary>
    public (double Level, double Quality) Sample(FilterState state, double u, double v)
    {
        var p = state.Probability;
        var total = 0.0;
        for (var j = 0; j < p.Length; j++) total += p[j];
        var target = u * total;
        var cumulative = 0.0;
        var index = p.Length - 1;
        for (var j = 0; j < p.Length; j++)
        {
            cumulative += p[j];
            if (cumulative >= target && p[j] > 0)
            {
                index = j;
                break;
            }
        }
        var node = index / _grid;
        var cell = index % _grid;
        return (Level(node), (cell + v) / _grid);
    }

    /// <summary>P(grade) of an inspection at the state's month (the overall grade, the judgement noise included).</summary>
    public double[] GradeDistribution(FilterState state)
    {
        var p = new double[4];
        for (var o = 0; o < 4; o++) p[o] = Mass(state.Probability, _overallGivenQuality[o]);
        var total = p.Sum();
        return p.Select(x => x / total).ToArray();
    }

    /// <summary>The prior at a month: every level node with its weight, quality at its stationary distribution around the target.</summary>
    private FilterState Prior(GradeRecord record, int month)
    {
        var p = new double[_nodes * _grid];
        var sd = _d.WithinSd;
        for (var k = 0; k < _nodes; k++)
        {
            var mean = Target(record, k, month, month + 1, null, null, false);
            var row = new Span<double>(p, k * _grid, _grid);
            Discretise(mean, sd, row);
            for (var g = 0; g < _grid; g++) row[g] *= _nodeWeights[k];
        }
        return new FilterState(p, month, null, null, false);
    }

    private double Target(GradeRecord record, int node, int from, int to, Grade? last, Grade? previous, bool across)
    {
        var middleYear = ((from + to) / 2.0 + 0.5) / 12.0;
        var (agency, vacancy, turnover) = record.RatesAt(from);
        return Level(node) + _d.Drift(middleYear) + _d.Workforce(agency, vacancy, turnover) + _d.SupportWeight * Support(record, from, last, previous, across);
    }

    /// <summary>External support implied by the grades (an adviser, or a commissioner after an across-the-board or repeated inadequate grade) and a trust.</summary>
    private double Support(GradeRecord record, int month, Grade? last, Grade? previous, bool across)
    {
        var direction = last == Grade.Inadequate ? (across || previous == Grade.Inadequate ? _d.CommissionerSupport : _d.AdviserSupport) : 0;
        var trust = record.InTrustAt(month) ? _d.TrustSupport : 0;
        return 1 - (1 - direction) * (1 - trust);
    }

    /// <summary>
    /// Moves the state forward to a month, in pieces at each change of the record's rates (each
    /// October census) or trust spells and at most a year long; within a piece the drift is
    /// taken at its middle.
    /// </summary>
    private void Propagate(FilterState state, GradeRecord record, int month)
    {
        while (state.Month < month)
        {
            var next = Math.Min(month, state.Month + 12);
            foreach (var w in record.Workforce)
                if (w.FromMonth > state.Month && w.FromMonth < next) next = w.FromMonth;
            foreach (var t in record.Trusts)
            {
                if (t.FromMonth > state.Month && t.FromMonth < next) next = t.FromMonth;
                if (t.ToMonth > state.Month && t.ToMonth < next) next = t.ToMonth;
            }
            Step(state, record, next);
        }
    }

    private void Step(FilterState state, GradeRecord record, int to)
    {
        var n = to - state.Month;
        var rho = Math.Pow(_d.MonthlyPersistence, n);
        var sd = _d.WithinSd * Math.Sqrt(1 - rho * rho);
        // A shock at month u of the n decays by ρ^(n - u) by the end: at a uniform month its mean
        // remaining variance is σ_J² (1 - ρ^(2n)) / (n (1 - ρ²)) (one shock at most: λn is small).
        var jump = 1 - Math.Exp(-_d.ShockRate * n);
        var monthly = _d.MonthlyPersistence;
        var decayed = (1 - rho * rho) / (n * (1 - monthly * monthly));
        var jumpSd = Math.Sqrt(sd * sd + _d.ShockSd * _d.ShockSd * decayed);
        var p = state.Probability;
        var row = new double[_grid];
        var moved = new double[_grid];
        for (var k = 0; k < _nodes; k++)
        {
            var target = Target(record, k, state.Month, to, state.Last, state.Previous, state.LastAcrossTheBoard);
            Array.Copy(p, k * _grid, row, 0, _grid);
            Array.Clear(moved);
            for (var g = 0; g < _grid; g++)
            {
                if (row[g] == 0) continue;
                var mean = target + (_centres[g] - target) * rho;
                // A shock (at rate λ a month, size N(0, σ_J²)) within the n months adds its variance.
                Spread(row[g] * (1 - jump), mean, sd, moved);
                if (jump > 0) Spread(row[g] * jump, mean, jumpSd, moved);
            }
            Array.Copy(moved, 0, p, k * _grid, _grid);
        }
        state.Month = to;
    }

    /// <summary>Adds <paramref name="mass"/> × the normal(mean, sd) probability of each cell (the tails fall in the end cells, as the simulation clamps).</summary>
    private void Spread(double mass, double mean, double sd, double[] into)
    {
        var g = _grid;
        if (sd < 1e-9)
        {
            into[Math.Clamp((int)(mean * g), 0, g - 1)] += mass;
            return;
        }
        // Only the cells within 8 sd of the mean get mass; the edges are at (h + 1) / G.
        var first = Math.Clamp((int)Math.Floor((mean - 8 * sd) * g) - 1, 0, g - 1);
        var last = Math.Clamp((int)Math.Ceiling((mean + 8 * sd) * g), 0, g - 1);
        var below = first == 0 ? 0.0 : NormalCdf.Phi(((double)first / g - mean) / sd);
        for (var h = first; h < last; h++)
        {
            var cdf = NormalCdf.Phi(((h + 1.0) / g - mean) / sd);
            into[h] += mass * (cdf - below);
            below = cdf;
        }
        into[last] += mass * (1 - below);
    }

    private void Discretise(double mean, double sd, Span<double> row)
    {
        var tmp = new double[_grid];
        Spread(1, mean, sd, tmp);
        tmp.CopyTo(row);
    }

    /// <summary>Multiplies in an observation's likelihood per cell, renormalises and returns the log of the evidence.</summary>
    private double Observe(double[] p, double[] likelihood)
    {
        var total = 0.0;
        for (var k = 0; k < _nodes; k++)
        {
            var offset = k * _grid;
            for (var g = 0; g < _grid; g++)
            {
                p[offset + g] *= likelihood[g];
                total += p[offset + g];
            }
        }
        if (total <= 0 || !double.IsFinite(total)) return -1e6; // the record is impossible under these parameters
        for (var j = 0; j < p.Length; j++) p[j] /= total;
        return Math.Log(total);
    }

    private double Mass(double[] p, double[] perCell)
    {
        var total = 0.0;
        for (var k = 0; k < _nodes; k++)
            for (var g = 0; g < _grid; g++) total += p[k * _grid + g] * perCell[g];
        return total;
    }

    private double[] Weighted(double[] p, double[] perCell)
    {
        var result = new double[p.Length];
        for (var k = 0; k < _nodes; k++)
            for (var g = 0; g < _grid; g++) result[k * _grid + g] = p[k * _grid + g] * perCell[g];
        return result;
    }

    private static void Merge(List<FilterState> branches, FilterState branch, int month)
    {
        branch.Month = month;
        var same = branches.FirstOrDefault(b => b.Last == branch.Last && (b.Previous == Grade.Inadequate) == (branch.Previous == Grade.Inadequate));
        if (same is null)
        {
            branches.Add(branch);
            return;
        }
        for (var j = 0; j < same.Probability.Length; j++) same.Probability[j] += branch.Probability[j];
    }

    /// <summary>
    /// The likelihood, per quality cell, of an inspection's judgements: the inspection's result is
    /// r = q + η (+ φ under the SIF; η logistic, scale s); the overall grade is r's band and each sub-judgement the band
    /// of r plus its own logistic error (scale s_j). Integrated over r on a fine grid.
    /// </summary>
    private double[] InspectionLikelihood(GradeObservation i)
    {
        var key = (int)i.Overall + 4 * ((int?)i.Leaders + 1 ?? 0) + 20 * ((int?)i.HelpAndProtection + 1 ?? 0) + 100 * ((int?)i.ChildrenInCare + 1 ?? 0) + (i.UnderSif ? 1000 : 0);
        lock (_cacheLock)
        {
            if (_inspectionLikelihood.TryGetValue(key, out var cached)) return cached;
        }
        const double low = -0.8, high = 1.8;
        const int steps = 260;
        var dr = (high - low) / steps;
        var cuts = _d.Cuts;
        var s = _d.JudgementNoise;
        var shift = i.UnderSif ? _d.SifOffset : 0; // a SIF inspection saw quality q as q + φ
        var subs = new[] { i.Leaders, i.HelpAndProtection, i.ChildrenInCare };
        var weight = new double[steps];
        Span<double> probabilities = stackalloc double[4];
        for (var j = 0; j < steps; j++)
        {
            var r = low + (j + 0.5) * dr;
            var band = r < cuts[0] ? Grade.Inadequate : r < cuts[1] ? Grade.RequiresImprovement : r < cuts[2] ? Grade.Good : Grade.Outstanding;
            if (band != i.Overall) continue;
            var w = 1.0;
            foreach (var sub in subs)
            {
                if (sub is not { } k) continue;
                GradeDynamics.GradeProbabilities(r, _d.SubJudgementNoise, cuts, probabilities);
                w *= probabilities[(int)k];
            }
            weight[j] = w;
        }
        var likelihood = new double[_grid];
        for (var g = 0; g < _grid; g++)
        {
            var q = _centres[g];
            var sum = 0.0;
            for (var j = 0; j < steps; j++)
            {
                if (weight[j] == 0) continue;
                var z = (low + (j + 0.5) * dr - q - shift) / s;
                var e = Math.Exp(-Math.Abs(z));
                sum += weight[j] * e / (s * (1 + e) * (1 + e)) * dr;
            }
            likelihood[g] = sum;
        }
        lock (_cacheLock) _inspectionLikelihood[key] = likelihood;
        return likelihood;
    }
}

/// <summary>Gauss-Hermite nodes and weights for a standard normal (probabilists' form, weights summing to 1).</summary>
internal static class GaussHermite
{
    public static (double[] Nodes, double[] Weights) StandardNormal(int n)
    {
        // Golub-Welsch would be general; the fixed small orders the filter uses are computed by
        // Newton iteration on the physicists' Hermite polynomial, then scaled by √2.
        var x = new double[n];
        var w = new double[n];
        var m = (n + 1) / 2;
        double z = 0;
        for (var i = 0; i < m; i++)
        {
            z = i switch
            {
                0 => Math.Sqrt(2.0 * n + 1) - 1.85575 * Math.Pow(2.0 * n + 1, -0.16667),
                1 => z - 1.14 * Math.Pow(n, 0.426) / z,
                2 => 1.86 * z - 0.86 * x[0],
                3 => 1.91 * z - 0.91 * x[1],
                _ => 2.0 * z - x[i - 2],
            };
            double pp = 0;
            for (var iteration = 0; iteration < 100; iteration++)
            {
                double p1 = 0.7511255444649425, p2 = 0; // π^(-1/4)
                for (var j = 1; j <= n; j++)
                {
                    var p3 = p2;
                    p2 = p1;
                    p1 = z * Math.Sqrt(2.0 / j) * p2 - Math.Sqrt((j - 1.0) / j) * p3;
                }
                pp = Math.Sqrt(2.0 * n) * p2;
                var z1 = z;
                z = z1 - p1 / pp;
                if (Math.Abs(z - z1) <= 1e-14) break;
            }
            x[i] = z;
            x[n - 1 - i] = -z;
            w[i] = 2.0 / (pp * pp);
            w[n - 1 - i] = w[i];
        }
        var nodes = new double[n];
        var weights = new double[n];
        for (var i = 0; i < n; i++)
        {
            nodes[i] = x[n - 1 - i] * Math.Sqrt(2);
            weights[i] = w[n - 1 - i] / Math.Sqrt(Math.PI);
        }
        return (nodes, weights);
    }
}

/// <summary>The standard normal CDF from a table with linear interpolation (error below 1e-7), for the filter's hot loop.</summary>
internal static class NormalCdf
{
    private const double Range = 8.5;
    private const int PerUnit = 512;
    private static readonly double[] Table = Build();

    public static double Phi(double z)
    {
        if (z <= -Range) return 0;
        if (z >= Range) return 1;
        var x = (z + Range) * PerUnit;
        var i = (int)x;
        var f = x - i;
        return Table[i] + f * (Table[i + 1] - Table[i]);
    }

    private static double[] Build()
    {
        var n = (int)(2 * Range * PerUnit) + 2;
        var table = new double[n];
        for (var i = 0; i < n; i++) table[i] = 0.5 * Erfc(-((double)i / PerUnit - Range) / Math.Sqrt(2));
        return table;
    }

    /// <summary>erfc by a Chebyshev fit (fractional error below 1.2e-7 everywhere).</summary>
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }
}
