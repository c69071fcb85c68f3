using CareSim.Model.Grades;
using CareSim.Model.Parameters;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace CareSim.Estimation.Grades;

/// <summary>A parameter of the grade model as the fit sees it: estimated on the log scale when it must be positive.</summary>
/// <param name="EffectScale">Quality moved by one unit of the parameter in a typical use (for the identification check).</param>
public sealed record GradeParameterSpec(ParameterDefinition Definition, bool LogScale, double Start, double EffectScale = 1)
{
    public string Name => Definition.Name;
    public double ToFit(double value) => LogScale ? Math.Log(value) : value;
    public double FromFit(double x) => LogScale ? Math.Exp(x) : x;
}

/// <summary>One estimated parameter: the estimate and its 95% interval, and whether the data identify it.</summary>
public sealed record GradeEstimate(string Name, double Value, double Low, double High, double StandardError, bool Identified, string Scale);

/// <summary>The maximum-likelihood fit of the grade model to the inspection records known at a date.</summary>
public sealed record GradeFitResult(
    DateOnly KnownAt,
    int Authorities,
    int Inspections,
    double LogLikelihood,
    IReadOnlyList<GradeEstimate> Estimates,
    int Evaluations,
    TimeSpan Elapsed)
{
    public double this[string name] => Estimates.First(e => e.Name == name).Value;

    /// <summary>The fitted values over the defaults, with the drift stopping <paramref name="driftYears"/> after the data.</summary>
    public ModelParameters Apply(ModelParameters defaults, double driftYears = GradeEstimator.DriftYearsBeyondData)
    {
        var p = defaults;
        foreach (var e in Estimates) p = p.With(P.All.First(d => d.Name == e.Name), e.Value);
        return p.With(P.QualityDriftUntil, GradeEstimator.DriftUntil(KnownAt, driftYears));
    }
}

/// <summary>
/// Fits the grade model (docs/model.md#grades) by maximum likelihood: the exact log-likelihood of
/// every authority's inspection record from the latent-quality filter, maximised by BFGS on the
/// fit's scales; intervals from the observed information (the numerical Hessian), a parameter
/// flagged as not identified when its interval is wider than the data can be said to pin down.
/// </summary>
public static class GradeEstimator
{
    /// <summary>The estimated parameters, in fit order, with the values the search starts from.</summary>
    public static IReadOnlyList<GradeParameterSpec> Parameters { get; } =
    [
        new(P.QualityNationalMean, false, 0.6),
        new(P.QualityNationalDrift, false, 0.01, 10),     // over the decade of the record
        new(P.QualityAuthoritySd, true, 0.1),
        new(P.JudgementNoise, true, 0.07),
        new(P.SubJudgementNoise, true, 0.03),
        new(P.QualitySupportWeight, false, 0.2, 0.5),     // a commissioner's support
        // The workforce weights over the spread of the rate between authorities (p10 to p90 in 2022, brief section 3).
        new(P.QualityAgencyWeight, false, -0.1, 0.30),
        new(P.QualityVacancyWeight, false, -0.1, 0.29),
        new(P.QualityTurnoverWeight, false, -0.1, 0.16),
        new(P.SifOffset, false, 0),
        new(P.QualityWithinSd, true, 0.05),
        new(P.QualityShockRate, true, 0.003),
    ];

    /// <summary>How long the national drift goes on after the fit's data (quality.drift_until's default rule; assumed: none, which the rolling backtests favour over three years, docs/validation.md#grade-backtests).</summary>
    public const double DriftYearsBeyondData = 0;

    /// <summary>The year the drift stops: <paramref name="years"/> after the fit's data.</summary>
    public static double DriftUntil(DateOnly knownAt, double years = DriftYearsBeyondData) => knownAt.Year + (knownAt.Month - 0.5) / 12.0 + years;

    /// <summary>The dynamics of a point on the fit's scales (the supports and cut points from <paramref name="defaults"/>).</summary>
    public static GradeDynamics Dynamics(Vector<double> x, ModelParameters defaults)
    {
        double V(int j) => Parameters[j].FromFit(x[j]);
        // Within the fit the drift never stops: the records end at the date the fit knows.
        return GradeDynamics.From(defaults) with
        {
            NationalLevel = V(0), DriftPerYear = V(1), AuthoritySd = V(2),
            JudgementNoise = V(3), SubJudgementNoise = V(4), SupportWeight = V(5),
            AgencyWeight = V(6), VacancyWeight = V(7), TurnoverWeight = V(8), SifOffset = V(9), WithinSd = V(10), ShockRate = V(11), DriftUntil = double.PositiveInfinity,
        };
    }

    /// <summary>The log-likelihood of the records at a point; authorities are run in parallel and summed in order.</summary>
    public static double LogLikelihood(GradeDynamics dynamics, IReadOnlyList<AuthorityGradeRecord> records, int untilMonth)
    {
        var filter = new LatentQualityFilter(dynamics);
        var parts = new double[records.Count];
        Parallel.For(0, records.Count, a => parts[a] = filter.Run(records[a].Record, untilMonth, out _));
        var total = 0.0;
        foreach (var part in parts) total += part;
        return total;
    }

    public static GradeFitResult Fit(IReadOnlyList<AuthorityGradeRecord> records, DateOnly knownAt, ModelParameters? defaults = null,
        TextWriter? log = null, CancellationToken cancellationToken = default, Vector<double>? start = null)
    {
        defaults ??= ModelParameters.Defaults;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var until = GradeRecords.Month(knownAt);
        var used = records.Where(r => r.Record.Inspections.Count > 0).ToList();
        var inspections = used.Sum(r => r.Record.Inspections.Count);
        if (inspections < 2 * Parameters.Count)
            throw new CareSimDataException($"The grade model needs at least {2 * Parameters.Count} inspections known at {knownAt:yyyy-MM-dd} to fit {Parameters.Count} parameters; the data hold {inspections}. Choose a later date.");
        var evaluations = 0;
        var bestSeen = double.PositiveInfinity;
        Vector<double>? bestPoint = null;
        var x0 = start ?? Vector<double>.Build.DenseOfEnumerable(Parameters.Select(p => p.ToFit(p.Start)));
        double Negative(Vector<double> x)
        {
            cancellationToken.ThrowIfCancellationRequested();
            evaluations++;
            // Far outside any plausible value (a factor e^4 from the start on the log scales, 2 quality
            // units on the others) the objective is a wall, so that a line search backs off.
            for (var j = 0; j < x.Count; j++)
                if (Math.Abs(x[j] - x0[j]) > 4) return 1e3;
            // The objective is the mean log-loss per inspection, so that its gradient is of order one.
            var value = -LogLikelihood(Dynamics(x, defaults), used, until) / inspections;
            if (value < bestSeen)
            {
                bestSeen = value;
                bestPoint = x.Clone();
            }
            if (evaluations % 50 == 0)
                log?.WriteLine($"  {evaluations} evaluations, {stopwatch.Elapsed.TotalSeconds:0} s: log-likelihood {-value * inspections:0.00}");
            return double.IsFinite(value) ? Math.Min(value, 1e3) : 1e3;
        }
        var objective = ObjectiveFunction.Gradient(Negative, x => Gradient(Negative, x));
        var minimizer = new BfgsMinimizer(2e-4, 1e-6, 1e-7, 200);
        Vector<double> best;
        try
        {
            best = minimizer.FindMinimum(objective, x0).MinimizingPoint;
        }
        catch (Exception e) when (e is MaximumIterationsException or InnerOptimizationException && bestPoint is not null)
        {
            // Near the optimum the numerical gradient's noise can stop the line search: the best
            // point evaluated is the estimate (its gradient is reported with the fit).
            log?.WriteLine($"  the search stopped ({e.Message}); the best point evaluated is used.");
            best = bestPoint!;
        }
        var logLikelihood = -Negative(best) * inspections;
        log?.WriteLine($"Grade model: log-likelihood {logLikelihood:0.0} over {inspections} inspections of {used.Count} authorities ({evaluations} evaluations, {stopwatch.Elapsed.TotalSeconds:0} s).");
        var covariance = Covariance(x => Negative(x) * inspections, best);
        var estimates = new List<GradeEstimate>();
        for (var j = 0; j < Parameters.Count; j++)
        {
            var spec = Parameters[j];
            var se = covariance is null ? double.NaN : Math.Sqrt(Math.Max(0, covariance[j, j]));
            var low = spec.FromFit(best[j] - 1.96 * se);
            var high = spec.FromFit(best[j] + 1.96 * se);
            estimates.Add(new GradeEstimate(spec.Name, spec.FromFit(best[j]), low, high, se, IsIdentified(spec, se), spec.LogScale ? "log" : "linear"));
        }
        return new GradeFitResult(knownAt, used.Count, inspections, logLikelihood, estimates, evaluations, stopwatch.Elapsed);
    }

    /// <summary>
    /// Not identified: no information at all (the Hessian is not positive definite), an interval
    /// spanning more than a factor of 4 (log-scale parameters), or, for the others, an interval
    /// whose effect in typical use (<see cref="GradeParameterSpec.EffectScale"/>) is wider than a
    /// grade band (0.2 quality units): the data cannot then say whether it matters.
    /// </summary>
    private static bool IsIdentified(GradeParameterSpec spec, double se) =>
        double.IsFinite(se) && (spec.LogScale ? se < Math.Log(4) / 3.92 : 3.92 * se * spec.EffectScale < 0.2);

    private static Vector<double> Gradient(Func<Vector<double>, double> f, Vector<double> x)
    {
        var g = Vector<double>.Build.Dense(x.Count);
        for (var j = 0; j < x.Count; j++)
        {
            var h = 1e-4 * Math.Max(1, Math.Abs(x[j]));
            var up = x.Clone();
            var down = x.Clone();
            up[j] += h;
            down[j] -= h;
            g[j] = (f(up) - f(down)) / (2 * h);
        }
        return g;
    }

    /// <summary>The inverse of the numerical Hessian of the negative log-likelihood (null when it is not positive definite).</summary>
    private static Matrix<double>? Covariance(Func<Vector<double>, double> f, Vector<double> x)
    {
        var n = x.Count;
        var hessian = Matrix<double>.Build.Dense(n, n);
        var steps = Enumerable.Range(0, n).Select(j => 1e-3 * Math.Max(1, Math.Abs(x[j]))).ToArray();
        var f0 = f(x);
        Vector<double> Shift(params (int J, double D)[] moves)
        {
            var y = x.Clone();
            foreach (var (j, d) in moves) y[j] += d;
            return y;
        }
        for (var i = 0; i < n; i++)
        {
            var hi = steps[i];
            hessian[i, i] = (f(Shift((i, hi))) - 2 * f0 + f(Shift((i, -hi)))) / (hi * hi);
            for (var j = i + 1; j < n; j++)
            {
                var hj = steps[j];
                var value = (f(Shift((i, hi), (j, hj))) - f(Shift((i, hi), (j, -hj))) - f(Shift((i, -hi), (j, hj))) + f(Shift((i, -hi), (j, -hj)))) / (4 * hi * hj);
                hessian[i, j] = hessian[j, i] = value;
            }
        }
        try
        {
            return hessian.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(n));
        }
        catch (ArgumentException)
        {
            return null; // not positive definite: the optimum is not a proper maximum in some direction
        }
    }
}
