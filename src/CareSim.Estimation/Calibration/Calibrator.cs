using System.Diagnostics;
using CareSim.Estimation.Backtest;
using CareSim.Data.Baseline;
using CareSim.Model.Parameters;
using CareSim.Model.Time;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace CareSim.Estimation.Calibration;

/// <summary>Settings of a calibration.</summary>
public sealed record CalibrationOptions
{
    /// <summary>Use only data known at this date (default: the latest date in the data).</summary>
    public DateOnly? Until { get; init; }
    /// <summary>Replicas per authority and origin while fitting (common random numbers: the same seed every evaluation).</summary>
    public int Replicas { get; init; } = 20;
    /// <summary>Replicas per authority and origin for the before/after report (another seed).</summary>
    public int ReportReplicas { get; init; } = 100;
    public ulong Seed { get; init; } = 1;
    /// <summary>Objective evaluations allowed per fitted parameter in each stage (plus 10 per stage).</summary>
    public int EvaluationsPerParameter { get; init; } = 20;
    /// <summary>Only these authorities (codes, LA numbers or names); null: all of England. For tests and quick looks.</summary>
    public IReadOnlyList<string>? Authorities { get; init; }
    /// <summary>The stages to fit, in order (default: workforce, leadership, Ofsted, demand).</summary>
    public IReadOnlyList<string>? Stages { get; init; }
    public int MaxConcurrency { get; init; }
    /// <summary>With the grades stage: bootstrap replicates over authorities for the grade model's intervals.</summary>
    public int Bootstrap { get; init; } = 100;
}

/// <summary>A parameter the calibration fits, within its uncertain range.</summary>
/// <param name="LowIsPhysical">The range's lower end is a physical bound (a standard deviation's 0): a fit there says "none", not "more than the range allows".</param>
/// <param name="HighIsPhysical">Likewise for the upper end.</param>
public sealed record FittedParameter(string Name, string Stage, double Default, double Low, double High, double Value,
    bool LowIsPhysical = false, bool HighIsPhysical = false)
{
    private double Position => (Value - Low) / (High - Low);

    /// <summary>Within 3% of the range from an end that is not a physical bound: the data push beyond the range thought plausible.</summary>
    public bool AtEdge => (Position < 0.03 && !LowIsPhysical) || (Position > 0.97 && !HighIsPhysical);

    /// <summary>Within 3% of the range from an end that is a physical bound.</summary>
    public bool AtPhysicalBound => (Position < 0.03 && LowIsPhysical) || (Position > 0.97 && HighIsPhysical);
}

/// <summary>One objective evaluation while fitting.</summary>
public sealed record TraceEntry(string Stage, int Evaluation, IReadOnlyDictionary<string, double> Values, double Objective);

/// <summary>A target's observed value and its simulated value before (defaults) and after (fitted).</summary>
public sealed record TargetReport(CalibrationTarget Target, double Before, double After)
{
    public double ZBefore => (Before - Target.Observed) / Target.Scale;
    public double ZAfter => (After - Target.Observed) / Target.Scale;
}

public sealed record StageReport(string Stage, int Evaluations, double ObjectiveBefore, double ObjectiveAfter, double FitObjectiveStart, double FitObjectiveBest);

public sealed record CalibrationResult(
    CalibrationOptions Options,
    string DataDescription,
    DateOnly Until,
    IReadOnlyList<DateOnly> WorkforceOrigins,
    IReadOnlyList<DateOnly> DemandOrigins,
    IReadOnlyList<FittedParameter> Parameters,
    IReadOnlyList<TargetReport> Targets,
    IReadOnlyList<StageReport> StageReports,
    (double Before, double After) GradeDeviance,
    (double Before, double After) GradeLogLoss,
    int Inspections,
    IReadOnlyList<TraceEntry> Trace,
    IReadOnlyList<string> Notes,
    TimeSpan Elapsed);

/// <summary>
/// Fits the model's uncertain parameters to the data (docs/calibration.md): projections from every
/// census year's end (and every 31 March for demand) are compared with what the data show one and
/// two years later; each stage minimises, with MathNet's Nelder-Mead over the parameters' uncertain
/// ranges (logistic transform), the sum of squared z-scores of its targets (plus the grade deviance
/// for the Ofsted stage), on common random numbers so the objective is deterministic.
/// </summary>
public static class Calibrator
{
    /// <summary>The parameters fitted, by stage: those with uncertain ranges that the targets identify.</summary>
    public static IReadOnlyList<(string Name, string Stage)> FittedParameters { get; } =
    [
        ("workforce.leaver_noise_sd", Stages.Workforce),
        ("workforce.recruitment_vacancy_elasticity", Stages.Workforce),
        ("workforce.establishment_noise_sd", Stages.Workforce),
        ("workforce.agency_noise_sd", Stages.Workforce),
        ("workforce.case_holder_noise_sd", Stages.Workforce),
        ("workforce.recruitment_noise_sd", Stages.Workforce),
        ("workforce.establishment_trend_per_year", Stages.Workforce),
        ("leadership.dcs_hazard", Stages.Leadership),
        ("demand.referral_level_sd", Stages.Demand),
        ("demand.referral_level_persistence", Stages.Demand),
        ("demand.entry_noise_sd", Stages.Demand),
        ("demand.rereferral_noise_sd", Stages.Demand),
        ("demand.care_noise_sd", Stages.Demand),
    ];

    /// <exception cref="CareSimDataException">No origin with data to fit, unknown authority.</exception>
    public static CalibrationResult Run(BaselineDataset data, string dataDescription, CalibrationOptions options, TextWriter? log = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var stopwatch = Stopwatch.StartNew();
        var latest = Backtester.LatestDate(data) ?? throw new CareSimDataException("The data hold no figures or inspections.");
        var until = options.Until ?? latest;
        var stages = options.Stages ?? Stages.All;
        var unknownStage = stages.FirstOrDefault(s => !Stages.All.Contains(s));
        if (unknownStage is not null)
            throw new CareSimDataException($"Unknown calibration stage '{unknownStage}'; stages are {string.Join(", ", Stages.All)}.");
        var authorities = options.Authorities?.Select(q => data.Resolve(q).Code).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        var notes = new List<string>();
        var seeded = DataWindow.NeedsDemandSeeding(data, until);
        // Before the population series the demand side is seeded from its first figures (the targets are changes).
        var window = seeded ? DataWindow.WithDemandSeeding(data, until) : DataWindow.Truncate(data, until);
        if (seeded)
        {
            notes.Add($"No population estimate is known at {until:yyyy-MM-dd}: projections take the first later population and looked-after figures (docs/calibration.md#no-look-ahead); the targets are changes known by {until:yyyy-MM-dd}.");
        }
        var design = BuildDesign(window, until, options, authorities, notes);
        log?.WriteLine($"Calibrating on data known at {until:yyyy-MM-dd}: {design.WorkforceOrigins.Count} workforce origins ({string.Join(", ", design.WorkforceOrigins.Select(o => o.Request.Origin.ToString("yyyy-MM-dd", null)))}), "
            + $"{design.DemandOrigins.Count} demand origins, {design.WorkforceOrigins.Sum(o => o.Codes.Count)} authority-origins, {design.Inspections.Count} inspections, "
            + $"{design.Targets.Count(t => t.Stage is not null)} fitted targets; {options.Replicas} replicas while fitting.");

        var parameters = new List<FittedParameter>();
        foreach (var (name, stage) in FittedParameters)
        {
            // The model is refined over time: a parameter that is gone or no longer uncertain is left out, said in the notes.
            if (ModelParameters.TryFind(name, out var d) && d.IsUncertain && d.UncertainHigh > d.UncertainLow)
                parameters.Add(new FittedParameter(name, stage, d.Default, d.UncertainLow!.Value, d.UncertainHigh!.Value, d.Default,
                    LowIsPhysical: d.UncertainLow.Value <= d.Min, HighIsPhysical: d.UncertainHigh.Value >= d.Max));
            else
                notes.Add($"{name} is not an uncertain parameter of the model (any more): not fitted.");
        }
        var current = parameters.ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
        var trace = new List<TraceEntry>();
        var fitStages = new Dictionary<string, (int Evaluations, double Start, double Best)>(StringComparer.Ordinal);

        foreach (var stage in stages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fitted = parameters.Where(p => p.Stage == stage).ToList();
            if (fitted.Count == 0 || !design.Targets.Any(t => t.Stage == stage))
            {
                notes.Add($"Stage {stage}: no targets in the data window; its parameters keep their defaults.");
                continue;
            }
            var budget = options.EvaluationsPerParameter * fitted.Count + 10;
            var stageStopwatch = Stopwatch.StartNew();
            var (best, evaluations, start, bestValue) = FitStage(design, stage, fitted, current, options, budget, trace, cancellationToken);
            foreach (var (name, value) in best)
                current[name] = value;
            fitStages[stage] = (evaluations, start, bestValue);
            log?.WriteLine($"  {stage}: objective {start:0.0} -> {bestValue:0.0} in {evaluations} evaluations ({stageStopwatch.Elapsed.TotalSeconds:0} s): "
                + string.Join(", ", best.Select(kv => $"{kv.Key} = {kv.Value:0.####}")));
        }

        // Before/after with more replicas and another seed (out of the fitting's random numbers).
        cancellationToken.ThrowIfCancellationRequested();
        var defaults = parameters.ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
        var reportSeed = options.Seed + 1000;
        var before = Evaluate(design, defaults, options.ReportReplicas, reportSeed, needWorkforce: true, needDemand: true, options.MaxConcurrency, cancellationToken);
        var after = Evaluate(design, current, options.ReportReplicas, reportSeed, needWorkforce: true, needDemand: true, options.MaxConcurrency, cancellationToken);
        var targets = design.Targets.Select(t => new TargetReport(t, t.Simulate(before), t.Simulate(after))).ToList();
        var stageReports = stages.Where(s => design.Targets.Any(t => t.Stage == s)).Select(s =>
        {
            var (evaluations, start, best) = fitStages.GetValueOrDefault(s);
            return new StageReport(s, evaluations, Objective(design, s, before), Objective(design, s, after), start, best);
        }).ToList();
        var n = Math.Max(1, design.Inspections.Count);
        var devianceBefore = design.GradeDeviance(before);
        var devianceAfter = design.GradeDeviance(after);
        var fittedParameters = parameters.Select(p => p with { Value = current[p.Name] }).ToList();
        foreach (var p in fittedParameters.Where(p => p.AtEdge))
            notes.Add($"{p.Name} = {p.Value:0.####} is at the edge of its uncertain range [{p.Low}, {p.High}]: the data push beyond what the range allows.");
        return new CalibrationResult(options, dataDescription, until,
            design.WorkforceOrigins.Select(o => o.Request.Origin).ToList(), design.DemandOrigins.Select(o => o.Request.Origin).ToList(),
            fittedParameters, targets, stageReports, (devianceBefore, devianceAfter), (devianceBefore / 2 / n, devianceAfter / 2 / n),
            design.Inspections.Count, trace, notes, stopwatch.Elapsed);
    }

    /// <summary>The origins: 31 December of each census year with a later census in the window (workforce, grades, DCS) and 31 March of each demand year with a later one (demand).</summary>
    public static CalibrationDesign BuildDesign(BaselineDataset window, DateOnly until, CalibrationOptions options, IReadOnlyList<string>? authorities, List<string> notes)
    {
        var untilMonth = SimMonth.FromDate(until);
        var workforceYears = YearsWith(window, MeasureTiming.Workforce, Measures.SwFte);
        var demandYears = YearsWith(window, MeasureTiming.Demand, Measures.Referrals);
        var workforce = new List<PreparedForecast>();
        foreach (var year in workforceYears.Where(y => workforceYears.Contains(y + 1)))
        {
            var last = Min(new SimMonth(year + 2, 9), untilMonth);
            workforce.Add(Prepare(window, new DateOnly(year, 12, 31), last, options, authorities, notes));
        }
        var demand = new List<PreparedForecast>();
        foreach (var year in demandYears.Where(y => demandYears.Contains(y + 1) && workforceYears.Contains(y - 1)))
        {
            var last = Min(new SimMonth(year + 2, 3), untilMonth);
            demand.Add(Prepare(window, new DateOnly(year, 3, 31), last, options, authorities, notes));
        }
        if (workforce.Count == 0 && demand.Count == 0)
            throw new CareSimDataException($"Nothing to calibrate on: the data known at {until:yyyy-MM-dd} hold no two consecutive workforce censuses (30 September) or demand years (31 March) with the figures a projection needs.");
        return new CalibrationDesign(window, until, workforce, demand);
    }

    private static PreparedForecast Prepare(BaselineDataset window, DateOnly origin, SimMonth last, CalibrationOptions options, IReadOnlyList<string>? authorities, List<string> notes)
    {
        var prepared = Forecaster.PrepareFromWindow(window, new ForecastRequest
        {
            Origin = origin,
            LastMonth = last,
            Replicas = options.Replicas,
            Seed = options.Seed,
            Authorities = authorities,
            UseLaterFiguresWhenMissing = true,
        });
        var ahead = prepared.Notes.Count(n => n.Contains("looks ahead", StringComparison.Ordinal) || n.Contains("earliest in the data", StringComparison.Ordinal));
        if (ahead > 0)
            notes.Add($"Origin {origin:yyyy-MM-dd}: {ahead} figure(s) missing at the origin were taken from the earliest later year within the data window (population and looked-after figures start on 31 March 2021).");
        if (prepared.Skipped.Count > 0)
            notes.Add($"Origin {origin:yyyy-MM-dd}: {prepared.Skipped.Count} authorit{(prepared.Skipped.Count == 1 ? "y" : "ies")} not projected (not reporting then, or no figures).");
        return prepared;
    }

    private static List<int> YearsWith(BaselineDataset window, MeasureTiming timing, string measure) =>
        window.Authorities.SelectMany(a => window.Years(a.Code)).Where(y => y[measure] is not null && Measures.Get(measure).Timing == timing)
            .Select(y => y.Year).Distinct().Order().ToList();

    private static SimMonth Min(SimMonth a, SimMonth b) => a < b ? a : b;

    private static (Dictionary<string, double> Best, int Evaluations, double Start, double BestValue) FitStage(CalibrationDesign design, string stage,
        List<FittedParameter> fitted, Dictionary<string, double> current, CalibrationOptions options, int budget, List<TraceEntry> trace,
        CancellationToken cancellationToken)
    {
        var needWorkforce = stage != Stages.Demand;
        var needDemand = stage == Stages.Demand;
        var evaluations = 0;
        var bestValue = double.PositiveInfinity;
        var start = double.NaN;
        Dictionary<string, double> best = fitted.ToDictionary(p => p.Name, p => current[p.Name], StringComparer.Ordinal);

        Dictionary<string, double> Values(Vector<double> u)
        {
            var values = new Dictionary<string, double>(current, StringComparer.Ordinal);
            for (var i = 0; i < fitted.Count; i++)
                values[fitted[i].Name] = fitted[i].Low + (fitted[i].High - fitted[i].Low) / (1 + Math.Exp(-u[i]));
            return values;
        }

        double Objective(Vector<double> u)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (evaluations >= budget)
                throw new BudgetExhaustedException();
            var values = Values(u);
            var set = Evaluate(design, values, options.Replicas, options.Seed, needWorkforce, needDemand, options.MaxConcurrency, cancellationToken);
            var value = Calibrator.Objective(design, stage, set);
            evaluations++;
            if (evaluations == 1)
                start = value;
            trace.Add(new TraceEntry(stage, evaluations, fitted.ToDictionary(p => p.Name, p => values[p.Name], StringComparer.Ordinal), value));
            if (value < bestValue)
            {
                bestValue = value;
                best = fitted.ToDictionary(p => p.Name, p => values[p.Name], StringComparer.Ordinal);
            }
            return double.IsFinite(value) ? value : 1e12;
        }

        var initial = Vector<double>.Build.Dense(fitted.Count, i =>
        {
            var f = Math.Clamp((current[fitted[i].Name] - fitted[i].Low) / (fitted[i].High - fitted[i].Low), 0.02, 0.98);
            return Math.Log(f / (1 - f));
        });
        var step = Vector<double>.Build.Dense(fitted.Count, 0.8);
        try
        {
            new NelderMeadSimplex(1e-4, budget).FindMinimum(ObjectiveFunction.Value(Objective), initial, step);
        }
        catch (BudgetExhaustedException)
        {
            // Stop at the budget with the best point seen.
        }
        catch (MaximumIterationsException)
        {
            // Same.
        }
        return (best, evaluations, start, bestValue);
    }

    /// <summary>The stage's objective: Σ z² over its targets, plus the grade deviance for the Ofsted stage.</summary>
    internal static double Objective(CalibrationDesign design, string stage, ProjectionSet set)
    {
        var sum = 0.0;
        foreach (var t in design.Targets)
        {
            if (t.Stage != stage)
                continue;
            var z = (t.Simulate(set) - t.Observed) / t.Scale;
            sum += z * z;
        }
        if (stage == Stages.Ofsted && design.Inspections.Count > 0)
            sum += design.GradeDeviance(set);
        return sum;
    }

    internal static ProjectionSet Evaluate(CalibrationDesign design, IReadOnlyDictionary<string, double> values, int replicas, ulong seed,
        bool needWorkforce, bool needDemand, int maxConcurrency, CancellationToken cancellationToken)
    {
        var forecasts = (needWorkforce ? design.WorkforceOrigins : []).Concat(needDemand ? design.DemandOrigins : []).ToList();
        var results = Forecaster.RunMany(forecasts, values, replicas, seed, maxConcurrency, cancellationToken);
        var workforce = needWorkforce ? design.WorkforceOrigins.Count : 0;
        return new ProjectionSet(results.Take(workforce).ToList(), results.Skip(workforce).ToList());
    }

    private sealed class BudgetExhaustedException : Exception;
}
