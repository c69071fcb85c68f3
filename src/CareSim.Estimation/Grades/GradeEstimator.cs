using CareSim.Model.Grades;
using CareSim.Model.Parameters;
using CareSim.Model.Randomness;

namespace CareSim.Estimation.Grades;

/// <summary>How a grade parameter is estimated: on the log scale (rates, spreads), the logit scale (probabilities within [0, Upper]) or as it is.</summary>
public enum FitScale { Linear, Log, Logit }

/// <summary>
/// A parameter of the grade model as the fit sees it, with its weak prior (a normal on the fit
/// scale, wide enough that the data decide wherever they can) and how big a difference matters.
/// </summary>
/// <param name="Upper">The upper bound of a logit-scale parameter.</param>
/// <param name="PriorMean">Mean of the prior on the fit scale.</param>
/// <param name="PriorSd">Standard deviation of the prior on the fit scale (infinite: none).</param>
/// <param name="Meaningful">
/// The width of 95% interval (on the parameter's own scale, for linear and logit parameters; as a
/// factor, for log-scale ones) beyond which the data are said not to identify the parameter.
/// </param>
public sealed record GradeParameterSpec(ParameterDefinition Definition, FitScale Scale, double Start, double PriorMean, double PriorSd, double Meaningful, double Upper = 1)
{
    public string Name => Definition.Name;

    public double ToFit(double value) => Scale switch
    {
        FitScale.Log => Math.Log(Math.Max(value, 1e-9)),
        FitScale.Logit => Math.Log(value / (Upper - value)),
        _ => value,
    };

    public double FromFit(double x) => Scale switch
    {
        FitScale.Log => Math.Exp(x),
        FitScale.Logit => Upper / (1 + Math.Exp(-x)),
        _ => x,
    };

    /// <summary>Whether a 95% interval is narrow enough for the data to be said to identify the parameter.</summary>
    public bool Identifies(double low, double high) => Scale == FitScale.Log ? high / Math.Max(low, 1e-12) <= Meaningful : high - low <= Meaningful;
}

/// <summary>One estimated parameter: the estimate, its 95% bootstrap interval, and whether the data identify it.</summary>
public sealed record GradeEstimate(string Name, double Value, double Low, double High, bool Identified, string Note = "");

/// <summary>The maximum-likelihood fit of the grade model to the inspection records known at a date.</summary>
public sealed record GradeFitResult(
    DateOnly KnownAt,
    int Authorities,
    int Inspections,
    double LogLikelihood,
    IReadOnlyList<GradeEstimate> Estimates,
    int Bootstrap,
    int Evaluations,
    TimeSpan Elapsed)
{
    /// <summary>Each bootstrap replicate's refitted values, in the order of <see cref="GradeEstimator.Parameters"/> (empty without a bootstrap).</summary>
    public IReadOnlyList<double[]> Replicates { get; init; } = [];

    public double this[string name] => Estimates.First(e => e.Name == name).Value;

    /// <summary>The fitted values over the defaults.</summary>
    public ModelParameters Apply(ModelParameters defaults)
    {
        var p = defaults;
        foreach (var e in Estimates) p = p.With(P.All.First(d => d.Name == e.Name), e.Value);
        return p;
    }
}

/// <summary>
/// Fits the grade model (docs/model.md#grades) by penalised maximum likelihood: the exact
/// log-likelihood of every authority's inspection record from <see cref="GradeFilter"/>, plus
/// weak normal priors on the fit scales, maximised by quasi-Newton (BFGS) steps; intervals from a
/// bootstrap over authorities (each replicate refitted from the estimate), a parameter flagged as
/// not identified when its interval is too wide to say whether it matters.
/// </summary>
public static class GradeEstimator
{
    private static readonly double LogTenth = Math.Log(0.1);

    /// <summary>The estimated parameters, in fit order.</summary>
    public static IReadOnlyList<GradeParameterSpec> Parameters { get; } =
    [
        // Yearly rates: prior log-normal around 0.1 a year, a factor of e^2 either way (95%: 0.002 to 5).
        new(P.UpRateInadequate, FitScale.Log, 0.4, LogTenth, 2, 4),
        new(P.UpRateRequiresImprovement, FitScale.Log, 0.2, LogTenth, 2, 4),
        new(P.UpRateGood, FitScale.Log, 0.1, LogTenth, 2, 4),
        new(P.DownRateRequiresImprovement, FitScale.Log, 0.1, LogTenth, 2, 4),
        new(P.DownRateGood, FitScale.Log, 0.1, LogTenth, 2, 4),
        new(P.DownRateOutstanding, FitScale.Log, 0.05, LogTenth, 2, 4),
        new(P.JumpUpRate, FitScale.Log, 0.02, LogTenth, 2, 4),
        new(P.JumpDownRate, FitScale.Log, 0.02, LogTenth, 2, 4),
        new(P.SubJudgementSpread, FitScale.Logit, 0.2, 0, double.PositiveInfinity, 0.1, 0.9),
        // The own effect's spread: its physical bound is zero; prior log-normal around 0.1.
        new(P.QualityAuthoritySd, FitScale.Log, 0.1, LogTenth, 2, 4),
        // Drive weights: prior N(0, 2²); a weight matters when it moves rates by more than e^(±0.5)
        // over the typical range of its driver (support 0 to 0.5; the rates' p10 to p90 in 2022, brief section 3).
        new(P.QualitySupportWeight, FitScale.Linear, 1.0, 0, 2, 2.0),
        new(P.QualityAgencyWeight, FitScale.Linear, 0, 0, 2, 1.0 / 0.30),
        new(P.QualityVacancyWeight, FitScale.Linear, 0, 0, 2, 1.0 / 0.29),
        new(P.QualityTurnoverWeight, FitScale.Linear, 0, 0, 2, 1.0 / 0.16),
        // The ILACS effect on the rates out of inadequate: prior N(0, 1); it matters beyond e^(±0.5).
        new(P.IlacsRecoveryEffect, FitScale.Linear, 0, 0, 1, 1.0),
    ];

    /// <summary>The chain and the filter's support strengths at a point on the fit scales (the rest from <paramref name="defaults"/>).</summary>
    public static GradeFilter Filter(double[] x, ModelParameters defaults)
    {
        var p = defaults;
        for (var j = 0; j < Parameters.Count; j++) p = p.With(Parameters[j].Definition, Parameters[j].FromFit(x[j]));
        return FilterOf(p);
    }

    /// <summary>The filter of a parameter set's grade model.</summary>
    public static GradeFilter FilterOf(ModelParameters p) => new(GradeChain.From(p), p[P.AdviserSupport], p[P.CommissionerSupport], p[P.TrustSupport]);

    /// <summary>The log-likelihood of the records at a point; authorities run in parallel and are summed in order.</summary>
    public static double LogLikelihood(GradeFilter filter, IReadOnlyList<AuthorityGradeRecord> records, int untilMonth, IReadOnlyList<int>? counts = null)
    {
        var parts = new double[records.Count];
        Parallel.For(0, records.Count, a => parts[a] = filter.Run(records[a].Record, untilMonth, out _));
        var total = 0.0;
        for (var a = 0; a < parts.Length; a++) total += parts[a] * (counts?[a] ?? 1);
        return total;
    }

    /// <summary>The fit's objective at a point: minus the log-likelihood, plus minus the log prior.</summary>
    private static double Objective(double[] x, ModelParameters defaults, IReadOnlyList<AuthorityGradeRecord> records, int until, IReadOnlyList<int>? counts)
    {
        // Outside a parameter's definition the objective is a wall, so that a line search backs off.
        for (var j = 0; j < x.Length; j++)
        {
            var v = Parameters[j].FromFit(x[j]);
            if (!double.IsFinite(x[j]) || v < Parameters[j].Definition.Min || v > Parameters[j].Definition.Max) return 1e12;
        }
        var value = -LogLikelihood(Filter(x, defaults), records, until, counts);
        for (var j = 0; j < x.Length; j++)
        {
            var spec = Parameters[j];
            if (double.IsFinite(spec.PriorSd)) value += 0.5 * Math.Pow((x[j] - spec.PriorMean) / spec.PriorSd, 2);
        }
        return double.IsFinite(value) ? value : 1e12;
    }

    /// <summary>
    /// Fits the records known at <paramref name="knownAt"/>, with <paramref name="bootstrap"/>
    /// replicates for the intervals (0: point estimates only, intervals empty).
    /// </summary>
    public static GradeFitResult Fit(IReadOnlyList<AuthorityGradeRecord> records, DateOnly knownAt, int bootstrap = 0, ulong seed = 1,
        ModelParameters? defaults = null, TextWriter? log = null, CancellationToken cancellationToken = default, double[]? start = null)
    {
        defaults ??= ModelParameters.Defaults;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var until = GradeRecords.Month(knownAt);
        var used = records.Where(r => r.Record.Inspections.Count > 0).ToList();
        var inspections = used.Sum(r => r.Record.Inspections.Count);
        var pairs = used.Sum(r => Math.Max(0, r.Record.Inspections.Count - 1));
        if (pairs < 2 * Parameters.Count)
            throw new CareSimDataException($"The grade model needs at least {2 * Parameters.Count} pairs of consecutive inspections known at {knownAt:yyyy-MM-dd} to fit {Parameters.Count} parameters; the data hold {pairs}. Choose a later date.");
        var evaluations = 0;
        double F(double[] x, IReadOnlyList<int>? counts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref evaluations);
            return Objective(x, defaults, used, until, counts);
        }
        var x0 = start ?? Parameters.Select(p => p.ToFit(p.Start)).ToArray();
        var best = Minimiser.Bfgs(x => F(x, null), x0, log, stopwatch);
        var logLikelihood = LogLikelihood(Filter(best, defaults), used, until);
        log?.WriteLine($"Grade model: log-likelihood {logLikelihood:0.00} over {inspections} inspections of {used.Count} authorities ({evaluations} evaluations, {stopwatch.Elapsed.TotalSeconds:0} s).");

        // Bootstrap over authorities: each replicate draws the authorities with replacement (as
        // counts, deterministic in the seed) and refits from the estimate.
        var draws = new List<double[]>();
        for (var b = 0; b < bootstrap; b++)
        {
            var key = CounterRng.ReplicaKey(CounterRng.StreamKey(seed, CounterRng.AuthorityKey("grade-bootstrap"), RandomStream.Setup, 0), b);
            var counts = new int[used.Count];
            for (var a = 0; a < used.Count; a++) counts[(int)(CounterRng.Uniform(key, a) * used.Count)]++;
            draws.Add(Minimiser.Bfgs(x => F(x, counts), best, null, stopwatch));
            if ((b + 1) % 10 == 0) log?.WriteLine($"  bootstrap {b + 1} of {bootstrap}, {stopwatch.Elapsed.TotalSeconds:0} s");
        }
        var estimates = new List<GradeEstimate>();
        for (var j = 0; j < Parameters.Count; j++)
        {
            var spec = Parameters[j];
            var value = spec.FromFit(best[j]);
            if (draws.Count == 0)
            {
                estimates.Add(new GradeEstimate(spec.Name, value, double.NaN, double.NaN, true));
                continue;
            }
            var sorted = draws.Select(d => spec.FromFit(d[j])).Order().ToArray();
            var low = Quantile(sorted, 0.025);
            var high = Quantile(sorted, 0.975);
            var note = spec.Scale == FitScale.Log && spec.Definition.Min <= 0 && value < 0.01 ? "at its physical bound of zero" : "";
            estimates.Add(new GradeEstimate(spec.Name, value, low, high, spec.Identifies(low, high), note));
        }
        return new GradeFitResult(knownAt, used.Count, inspections, logLikelihood, estimates, bootstrap, evaluations, stopwatch.Elapsed)
        {
            Replicates = draws.Select(d => Parameters.Select((spec, j) => spec.FromFit(d[j])).ToArray()).ToList(),
        };
    }

    private static double Quantile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(sorted.Length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}

/// <summary>A quasi-Newton (BFGS) minimiser with central-difference gradients and a backtracking line search.</summary>
public static class Minimiser
{
    public static double[] Bfgs(Func<double[], double> f, double[] x0, TextWriter? log = null, System.Diagnostics.Stopwatch? clock = null,
        int iterations = 300, double tolerance = 1e-7)
    {
        var n = x0.Length;
        var x = (double[])x0.Clone();
        var fx = f(x);
        var g = Gradient(f, x);
        var h = Identity(n, g);
        for (var it = 0; it < iterations; it++)
        {
            var p = new double[n];
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++) p[i] -= h[i, j] * g[j];
            var slope = Dot(g, p);
            if (slope >= 0)
            {
                // Not a descent direction: restart from steepest descent.
                h = Identity(n, g);
                for (var i = 0; i < n; i++) p[i] = -h[i, i] * g[i];
                slope = Dot(g, p);
            }
            double step = 1, fn;
            double[] xn;
            do
            {
                xn = new double[n];
                for (var i = 0; i < n; i++) xn[i] = x[i] + step * p[i];
                fn = f(xn);
                step *= 0.5;
            } while (fn > fx + 1e-4 * 2 * step * slope && step > 1e-12);
            if (fn >= fx) break; // no progress along any step: at a minimum to the gradient's accuracy
            var gn = Gradient(f, xn);
            var s = new double[n];
            var y = new double[n];
            for (var i = 0; i < n; i++)
            {
                s[i] = xn[i] - x[i];
                y[i] = gn[i] - g[i];
            }
            var converged = fx - fn < tolerance * Math.Max(1, Math.Abs(fn)) && gn.Max(Math.Abs) < 1e-3;
            x = xn;
            fx = fn;
            g = gn;
            if (log is not null && (it + 1) % 10 == 0) log.WriteLine($"  iteration {it + 1}: objective {fx:0.000}{(clock is null ? "" : $", {clock.Elapsed.TotalSeconds:0} s")}");
            if (converged) break;
            var sy = Dot(s, y);
            if (sy <= 1e-12) continue;
            var hy = new double[n];
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++) hy[i] += h[i, j] * y[j];
            var yhy = Dot(y, hy);
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++) h[i, j] += (sy + yhy) * s[i] * s[j] / (sy * sy) - (hy[i] * s[j] + s[i] * hy[j]) / sy;
        }
        return x;
    }

    private static double[] Gradient(Func<double[], double> f, double[] x)
    {
        var g = new double[x.Length];
        for (var j = 0; j < x.Length; j++)
        {
            const double h = 1e-5;
            var up = (double[])x.Clone();
            var down = (double[])x.Clone();
            up[j] += h;
            down[j] -= h;
            g[j] = (f(up) - f(down)) / (2 * h);
        }
        return g;
    }

    /// <summary>The starting inverse Hessian: the identity, scaled so that the first step moves no coordinate by more than 0.5.</summary>
    private static double[,] Identity(int n, double[] gradient)
    {
        var scale = 0.5 / Math.Max(0.5, gradient.Max(Math.Abs));
        var m = new double[n, n];
        for (var i = 0; i < n; i++) m[i, i] = scale;
        return m;
    }

    private static double Dot(double[] a, double[] b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
