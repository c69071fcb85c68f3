using CareSim.Data.Baseline;
using CareSim.Data.Interventions;
using CareSim.Estimation.Backtest;
using CareSim.Model.Grades;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;

namespace CareSim.Estimation.Grades;

/// <summary>One scored inspection of a grade backtest: the grade and each method's probabilities.</summary>
public sealed record GradeForecast(string Code, DateOnly Start, Grade Actual, Grade? LastGrade, double[] Model, double[] Persistence, double[] TransitionMatrix);

/// <summary>The scores of one check (an origin, a fold, or pooled): log-loss and Brier score per method.</summary>
public sealed record GradeScoreRow(string Check, int N, double ModelLogLoss, double PersistenceLogLoss, double MatrixLogLoss,
    double ModelBrier, double PersistenceBrier, double MatrixBrier)
{
    public static GradeScoreRow Of(string check, IReadOnlyList<GradeForecast> items)
    {
        double Mean(Func<GradeForecast, double[]> method, Func<IReadOnlyList<double>, int, double> score) =>
            items.Count == 0 ? double.NaN : items.Average(i => score(method(i), (int)i.Actual));
        return new GradeScoreRow(check, items.Count,
            Mean(i => i.Model, Scores.LogLoss), Mean(i => i.Persistence, Scores.LogLoss), Mean(i => i.TransitionMatrix, Scores.LogLoss),
            Mean(i => i.Model, Scores.Brier), Mean(i => i.Persistence, Scores.Brier), Mean(i => i.TransitionMatrix, Scores.Brier));
    }
}

/// <summary>A grade backtest at one origin: the fit made there and the inspections it scores.</summary>
public sealed record GradeOriginResult(DateOnly Origin, GradeFitResult Fit, IReadOnlyList<GradeForecast> Items, string? Fold = null);

/// <summary>
/// Backtests of the grade model that cannot be tuned to (docs/validation.md#grade-backtests):
/// rolling origins, each refitting on the data known at that 31 December and scoring every full
/// inspection started after it, and leave-authorities-out, fitting on four fifths of the
/// authorities and scoring the rest. Both against persistence and the transition matrix, estimated
/// from the same data the fit sees.
/// </summary>
public static class GradeBacktest
{
    /// <summary>Fits at the origin and scores the inspections after it, of <paramref name="scored"/> (all when null) with a fit on <paramref name="fitted"/> (all when null).</summary>
    public static GradeOriginResult AtOrigin(BaselineDataset data, DateOnly origin, IReadOnlySet<string>? fitted = null, IReadOnlySet<string>? scored = null,
        string? fold = null, TextWriter? log = null, CancellationToken cancellationToken = default, InterventionRecord? interventions = null)
    {
        var records = GradeRecords.KnownAt(data, origin, null, GradeRecords.Trusts(interventions, origin));
        var training = records.Where(r => fitted is null || fitted.Contains(r.Code)).ToList();
        var fit = GradeEstimator.Fit(training, origin, log: log, cancellationToken: cancellationToken);
        var filter = GradeEstimator.FilterOf(fit.Apply(ModelParameters.Defaults));
        var baselines = new GradeBaselines(training.Select(r => (IReadOnlyList<Grade>)r.Record.Inspections.Select(i => i.Overall).ToList()));
        var until = GradeRecords.Month(origin);
        var items = new List<GradeForecast>();
        foreach (var r in records)
        {
            if (scored is not null && !scored.Contains(r.Code)) continue;
            var later = data.Inspections(r.Code).Where(i => i.Start > origin).OrderBy(i => i.Start).ToList();
            if (later.Count == 0) continue;
            filter.Run(r.Record, until, out var state);
            var predicted = filter.PredictGrades(state, r.Record, later.Select(i => GradeRecords.Month(i.Start)).ToList());
            var last = r.Record.Inspections.Count > 0 ? r.Record.Inspections[^1].Overall : (Grade?)null;
            for (var k = 0; k < later.Count; k++)
                items.Add(new GradeForecast(r.Code, later[k].Start, later[k].Overall, last, predicted[k], baselines.Persistence(last), baselines.TransitionMatrix(last)));
        }
        return new GradeOriginResult(origin, fit, items, fold);
    }

    /// <summary>Rolling origins: each 31 December from <paramref name="firstYear"/> to <paramref name="lastYear"/>.</summary>
    public static List<GradeOriginResult> RollingOrigins(BaselineDataset data, int firstYear, int lastYear, TextWriter? log = null,
        CancellationToken cancellationToken = default, InterventionRecord? interventions = null)
    {
        var results = new List<GradeOriginResult>();
        for (var year = firstYear; year <= lastYear; year++)
        {
            var origin = new DateOnly(year, 12, 31);
            log?.WriteLine($"Origin {origin:yyyy-MM-dd}:");
            results.Add(AtOrigin(data, origin, log: log, cancellationToken: cancellationToken, interventions: interventions));
        }
        return results;
    }

    /// <summary>
    /// Leave-authorities-out at one origin: the authorities are dealt into <paramref name="folds"/>
    /// folds by a hash of their codes; each fold is scored with a fit on the others.
    /// </summary>
    public static List<GradeOriginResult> LeaveAuthoritiesOut(BaselineDataset data, DateOnly origin, int folds = 5, TextWriter? log = null,
        CancellationToken cancellationToken = default, InterventionRecord? interventions = null)
    {
        var codes = data.Authorities.Select(a => a.Code).ToList();
        var results = new List<GradeOriginResult>();
        for (var f = 0; f < folds; f++)
        {
            var held = codes.Where(c => FoldOf(c, folds) == f).ToHashSet(StringComparer.Ordinal);
            var training = codes.Where(c => !held.Contains(c)).ToHashSet(StringComparer.Ordinal);
            log?.WriteLine($"Fold {f + 1} of {folds} ({held.Count} authorities held out), origin {origin:yyyy-MM-dd}:");
            results.Add(AtOrigin(data, origin, training, held, $"fold {f + 1}", log, cancellationToken, interventions));
        }
        return results;
    }

    /// <summary>An authority's fold: FNV-1a of its code, modulo the folds (stable across runs and machines).</summary>
    public static int FoldOf(string code, int folds)
    {
        var hash = 2166136261u;
        foreach (var c in code)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)folds);
    }
}
