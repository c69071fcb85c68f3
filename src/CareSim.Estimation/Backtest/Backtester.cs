using CareSim.Data.Baseline;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Model.Time;

namespace CareSim.Estimation.Backtest;

/// <summary>Settings of a backtest.</summary>
public sealed record BacktestOptions
{
    /// <summary>Train on the data known at this date; score everything dated after it.</summary>
    public required DateOnly Origin { get; init; }
    public int Replicas { get; init; } = 500;
    public ulong Seed { get; init; } = 1;
    /// <summary>A parameter file (e.g. a calibration's fitted.yaml) applied to every authority.</summary>
    public string? ParameterFile { get; init; }
    /// <summary>Only these authorities (codes, LA numbers or names); null: all of England.</summary>
    public IReadOnlyList<string>? Authorities { get; init; }
    public int MaxConcurrency { get; init; }
    /// <summary>Score the full inspections too (false: the figures only, as the rolling-origin backtest does).</summary>
    public bool ScoreGrades { get; init; } = true;
    /// <summary>
    /// When the origin precedes the population estimates, seed the demand side from the first later
    /// population and looked-after figures (<see cref="DataWindow.WithDemandSeeding"/>) and score
    /// the workforce figures only; false: such an origin is an error.
    /// </summary>
    public bool ApproximateDemandSeeding { get; init; }
}

/// <summary>The forecasting methods compared.</summary>
public static class Methods
{
    public const string Model = "model";
    public const string Persistence = "persistence";
    public const string TransitionMatrix = "transition_matrix";
}

/// <summary>One scored item: a figure or an inspection after the origin, and every method's forecast of it.</summary>
public sealed record ScoredItem(string Code, DateOnly Date, string Target, double Actual, Grade? ActualGrade)
{
    public bool IsGrade => ActualGrade is not null;
    /// <summary>Per method: the sorted ensemble (figures).</summary>
    public Dictionary<string, double[]> Ensembles { get; } = new(StringComparer.Ordinal);
    /// <summary>Per method: the grade probabilities in <see cref="Grade"/> order (inspections).</summary>
    public Dictionary<string, double[]> GradeProbabilities { get; } = new(StringComparer.Ordinal);
    /// <summary>The latest grade published by the origin (inspections; null when none).</summary>
    public Grade? LastGrade { get; set; }
}

/// <summary>Inspections grouped by the last grade known at the origin: observed shares and each method's mean probabilities and log-loss.</summary>
public sealed record GradeGroup(string LastGrade, int N, double[] Observed, IReadOnlyDictionary<string, double[]> Predicted, IReadOnlyDictionary<string, double> LogLoss);

/// <summary>A row of the backtest table.</summary>
public sealed record BacktestRow(string Target, string Metric, int N, double? Model, double? Persistence, double? TransitionMatrix);

public sealed record BacktestResult(
    BacktestOptions Options,
    string DataDescription,
    SimMonth Start,
    SimMonth DemandStart,
    SimMonth DecisionMonth,
    SimMonth LastMonth,
    int AuthoritiesProjected,
    IReadOnlyList<ScoredItem> Items,
    IReadOnlyList<BacktestRow> Rows,
    IReadOnlyList<string> Notes,
    GradeBaselines GradeBaselines);

/// <summary>
/// Backtests the model from an origin: seeds every authority from the data known then, projects to
/// the last date in the data, and scores every later workforce and demand figure (CRPS, 80%
/// interval coverage) and every later full inspection (log-loss, Brier score), with the persistence
/// and transition-matrix baselines scored the same way. See docs/validation.md.
/// </summary>
public static class Backtester
{
    /// <summary>The figures scored, in table order.</summary>
    public static IReadOnlyList<FigureTarget> Figures { get; } =
    [
        new("sw_fte", Measures.SwFte, Metric.SwFte, ChangeScale.Log),
        new("agency_rate", Measures.AgencyRate, Metric.AgencyRate, ChangeScale.Additive),
        new("vacancy_rate", Measures.VacancyRate, Metric.VacancyRate, ChangeScale.Additive),
        new("turnover_rate", Measures.TurnoverRate, Metric.TurnoverRate, ChangeScale.Additive),
        new("caseload", Measures.Caseload, Metric.Caseload, ChangeScale.Log),
        new("referrals_per_10k", Measures.ReferralsPer10k, Metric.ReferralsPer10k, ChangeScale.Log, Measures.Referrals),
        new("rereferral_share", Measures.RereferralShare, Metric.RereferralRate, ChangeScale.Additive),
        new("cin_per_10k", Measures.CinPer10k, Metric.CinPer10k, ChangeScale.Log, Measures.Cin),
        new("cpp_per_10k", Measures.CppPer10k, Metric.CppPer10k, ChangeScale.Log, Measures.Cpp),
        new("cla_per_10k", Measures.ClaPer10k, Metric.ClaPer10k, ChangeScale.Log, Measures.Cla),
    ];

    public const string GradeTarget = "ofsted_grade";

    /// <exception cref="CareSimDataException">Unknown authority, origin before the data or with nothing after it, bad parameter file.</exception>
    public static BacktestResult Run(BaselineDataset data, string dataDescription, BacktestOptions options, TextWriter? log = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var origin = options.Origin;
        var selected = options.Authorities?.Select(q => data.Resolve(q)).DistinctBy(a => a.Code).ToList();
        var codes = (selected ?? data.Authorities).Select(a => a.Code).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var approximated = options.ApproximateDemandSeeding && DataWindow.NeedsDemandSeeding(data, origin);
        // Seeded with later demand figures, the demand projection is not a forecast: only the workforce figures are scored.
        var items = CollectItems(data, codes, origin)
            .Where(i => (options.ScoreGrades || !i.IsGrade) && !(approximated && (i.IsGrade || !Figures.First(f => f.Name == i.Target).IsWorkforce)))
            .ToList();
        if (items.Count == 0)
        {
            var last = LatestDate(data);
            throw new CareSimDataException(last is null
                ? "The data hold no figures or inspections."
                : $"Nothing to score: the data hold no figure or inspection dated after the origin {origin:yyyy-MM-dd} for the authorities chosen (the latest date in the data is {last:yyyy-MM-dd}). Choose an earlier origin.");
        }

        var window = approximated ? DataWindow.WithDemandSeeding(data, origin) : DataWindow.Truncate(data, origin);
        if (Forecaster.LatestReferenceDate(window, origin) is null)
        {
            var first = EarliestDate(data);
            throw new CareSimDataException($"No workforce or demand figure is known at the origin {origin:yyyy-MM-dd}{(first is null ? "" : $" (the first refers to {first:yyyy-MM-dd})")}: nothing to seed the model from. Choose a later origin.");
        }
        var lastMonth = items.Max(i => SimMonth.FromDate(i.Date));
        log?.WriteLine($"Seeding from the data known at {origin:yyyy-MM-dd}; scoring {items.Count(i => !i.IsGrade)} figures and {items.Count(i => i.IsGrade)} inspections up to {lastMonth}.");
        var request = new ForecastRequest
        {
            Origin = origin,
            LastMonth = lastMonth,
            Replicas = options.Replicas,
            Seed = options.Seed,
            Authorities = options.Authorities is null ? null : selected!.Select(a => a.Code).ToList(),
            ParameterFile = options.ParameterFile,
            // Only the demand-seeding figures can be later in the approximated window.
            UseLaterFiguresWhenMissing = approximated,
        };
        // Workforce figures and grades are projected from the latest census, demand figures from the
        // latest demand year: each from the date of its own newest data.
        var prepared = Forecaster.PrepareFromWindow(window, request with { Alignment = ProjectionAlignment.Workforce });
        var preparedDemand = approximated ? prepared : Forecaster.PrepareFromWindow(window, request with { Alignment = ProjectionAlignment.Demand });
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var sameStart = preparedDemand.Start == prepared.Start;
        var runs = Forecaster.RunMany(sameStart ? [prepared] : [prepared, preparedDemand], maxConcurrency: options.MaxConcurrency, cancellationToken: cancellationToken);
        var forecast = runs[0];
        var demandForecast = runs[^1];
        log?.WriteLine($"Projected {forecast.Codes.Count} authorities x {forecast.Replicas} replicas from {forecast.Start} (workforce, grades)"
            + (sameStart ? "" : $" and from {demandForecast.Start} (demand)") + $" to {forecast.LastMonth} in {stopwatch.Elapsed.TotalSeconds:0.0} s.");

        var notes = new List<string>();
        if (approximated)
            notes.Add($"No population estimate is known at {origin:yyyy-MM-dd}: the demand side was seeded with the first later population and looked-after figures (docs/validation.md#rolling-origins), so only the workforce figures are scored.");
        var persistence = new FigurePersistence(window);
        var grades = new GradeBaselines(window);
        var scored = new List<ScoredItem>();
        var notForecast = new SortedDictionary<string, int>(StringComparer.Ordinal);
        void Skip(string reason) => notForecast[reason] = notForecast.GetValueOrDefault(reason) + 1;
        foreach (var item in items)
        {
            var a = forecast.IndexOf(item.Code);
            var d = demandForecast.IndexOf(item.Code);
            if (a < 0 || d < 0)
            {
                Skip("authority not projected (no figures at the origin, or not yet created)");
                continue;
            }
            var month = SimMonth.FromDate(item.Date);
            if (item.IsGrade)
            {
                var last = window.Inspections(item.Code).LastOrDefault()?.Overall;
                item.LastGrade = last;
                item.GradeProbabilities[Methods.Model] = Normalise(forecast.JudgedGrade(a, month));
                item.GradeProbabilities[Methods.Persistence] = grades.Persistence(last);
                item.GradeProbabilities[Methods.TransitionMatrix] = grades.TransitionMatrix(last);
            }
            else
            {
                var target = Figures.First(f => f.Name == item.Target);
                var samples = target.IsWorkforce ? forecast.Samples(a, target.Metric, month) : demandForecast.Samples(d, target.Metric, month);
                var baseline = persistence.Ensemble(target, item.Code, item.Date.Year, origin, out _, out _);
                if (samples is null)
                {
                    Skip("month outside the projection");
                    continue;
                }
                if (baseline is null)
                {
                    Skip($"{target.Name}: no value known at the origin (persistence has nothing to persist)");
                    continue;
                }
                var sorted = samples.ToArray();
                Array.Sort(sorted);
                item.Ensembles[Methods.Model] = sorted;
                item.Ensembles[Methods.Persistence] = baseline;
            }
            scored.Add(item);
        }
        foreach (var (reason, count) in notForecast)
            notes.Add($"{count} item(s) not scored: {reason}.");
        notes.AddRange(persistence.Notes);
        if (scored.Any(i => i.IsGrade))
        {
            notes.Add($"Grade persistence: the last grade gets {grades.SameShare:0.000} ((repeats + 1) / (pairs + 2) over {grades.Pairs} consecutive pairs of inspections published by the origin), the other grades {(1 - grades.SameShare) / 3:0.000} each.");
        notes.Add($"Transition matrix: {grades.Pairs} consecutive pairs published by the origin, add-one smoothing; authorities without a grade get the smoothed grade shares of {grades.Inspections} inspections.");
        }
        foreach (var skipped in prepared.Skipped)
            notes.Add("Not projected: " + skipped);
        foreach (var note in prepared.Notes)
            notes.Add("Seeding: " + note);

        return new BacktestResult(options, dataDescription, prepared.Start, preparedDemand.Start, prepared.DecisionMonth, forecast.LastMonth, forecast.Codes.Count,
            scored, Table(scored), notes, grades);
    }

    /// <summary>Every figure with a reference date after the origin and every full inspection started after it.</summary>
    public static List<ScoredItem> CollectItems(BaselineDataset data, IReadOnlySet<string> codes, DateOnly origin)
    {
        var items = new List<ScoredItem>();
        foreach (var a in data.Authorities.Where(a => codes.Contains(a.Code)))
        {
            foreach (var y in data.Years(a.Code))
            {
                foreach (var f in Figures)
                {
                    var date = f.Info.ReferenceDate(y.Year);
                    if (date > origin && y[f.Measure] is { } v)
                        items.Add(new ScoredItem(a.Code, date, f.Name, v, null));
                }
            }
            foreach (var i in data.Inspections(a.Code).Where(i => i.Start > origin))
                items.Add(new ScoredItem(a.Code, i.Start, GradeTarget, (int)i.Overall, i.Overall));
        }
        return items;
    }

    /// <summary>
    /// The table: per figure CRPS, 80% coverage and the absolute error of the median; per grade
    /// log-loss and Brier score; then, for the workforce and the demand figures, the mean over the
    /// figures of the model's CRPS relative to persistence's (below 1: the model is better).
    /// </summary>
    public static List<BacktestRow> Table(IReadOnlyList<ScoredItem> items)
    {
        var rows = new List<BacktestRow>();
        var ratios = new List<(string Name, double Ratio, bool Workforce, int N)>();
        foreach (var f in Figures)
        {
            var list = items.Where(i => i.Target == f.Name).ToList();
            if (list.Count == 0)
                continue;
            double Crps(string m) => list.Average(i => Scores.Crps(i.Ensembles[m], i.Actual));
            double Cover(string m) => list.Average(i => Scores.Inside80(i.Ensembles[m], i.Actual) ? 1.0 : 0.0);
            double Mae(string m) => list.Average(i => Math.Abs(Scores.Quantile(i.Ensembles[m], 0.5) - i.Actual));
            var model = Crps(Methods.Model);
            var persistence = Crps(Methods.Persistence);
            rows.Add(new BacktestRow(f.Name, "crps", list.Count, model, persistence, null));
            rows.Add(new BacktestRow(f.Name, "coverage_80", list.Count, Cover(Methods.Model), Cover(Methods.Persistence), null));
            rows.Add(new BacktestRow(f.Name, "mae_median", list.Count, Mae(Methods.Model), Mae(Methods.Persistence), null));
            ratios.Add((f.Name, persistence > 0 ? model / persistence : double.NaN, f.IsWorkforce, list.Count));
        }
        var gradeItems = items.Where(i => i.IsGrade).ToList();
        if (gradeItems.Count > 0)
        {
            double Mean(string m, Func<double[], int, double> score) => gradeItems.Average(i => score(i.GradeProbabilities[m], (int)i.ActualGrade!.Value));
            rows.Add(new BacktestRow(GradeTarget, "log_loss", gradeItems.Count, Mean(Methods.Model, Scores.LogLoss), Mean(Methods.Persistence, Scores.LogLoss), Mean(Methods.TransitionMatrix, Scores.LogLoss)));
            rows.Add(new BacktestRow(GradeTarget, "brier", gradeItems.Count, Mean(Methods.Model, Scores.Brier), Mean(Methods.Persistence, Scores.Brier), Mean(Methods.TransitionMatrix, Scores.Brier)));
        }
        foreach (var (label, workforce) in new[] { (WorkforceSummary, true), (DemandSummary, false) })
        {
            var group = ratios.Where(r => r.Workforce == workforce).ToList();
            if (group.Count > 0)
                rows.Add(new BacktestRow(label, "crps_relative_to_persistence", group.Sum(g => g.N), group.Average(g => g.Ratio), 1.0, null));
        }
        return rows;
    }

    /// <summary>The summary row of the workforce figures (sw_fte, agency, vacancy, turnover, caseload).</summary>
    public const string WorkforceSummary = "workforce_figures";

    /// <summary>The summary row of the demand figures (referrals, re-referrals, children in need, on plans, looked after).</summary>
    public const string DemandSummary = "demand_figures";

    /// <summary>The table for the items of each calendar year (1 and 2 years ahead, ...).</summary>
    public static List<(int Year, BacktestRow Row)> TableByYear(IReadOnlyList<ScoredItem> items) =>
        items.Select(i => i.Date.Year).Distinct().Order()
            .SelectMany(y => Table(items.Where(i => i.Date.Year == y).ToList()).Select(r => (y, r)))
            .ToList();

    /// <summary>The scored inspections by the last grade known at the origin (diagnostics: where each method gains or loses).</summary>
    public static List<GradeGroup> GradeGroups(IReadOnlyList<ScoredItem> items)
    {
        var groups = new List<GradeGroup>();
        var grades = items.Where(i => i.IsGrade).ToList();
        foreach (var last in new Grade?[] { Grade.Inadequate, Grade.RequiresImprovement, Grade.Good, Grade.Outstanding, null })
        {
            var list = grades.Where(i => i.LastGrade == last).ToList();
            if (list.Count == 0)
                continue;
            var observed = Enumerable.Range(0, 4).Select(k => list.Average(i => (int)i.ActualGrade!.Value == k ? 1.0 : 0.0)).ToArray();
            var methods = list[0].GradeProbabilities.Keys.ToList();
            groups.Add(new GradeGroup(last?.ToKey() ?? "none", list.Count, observed,
                methods.ToDictionary(m => m, m => Enumerable.Range(0, 4).Select(k => list.Average(i => i.GradeProbabilities[m][k])).ToArray(), StringComparer.Ordinal),
                methods.ToDictionary(m => m, m => list.Average(i => Scores.LogLoss(i.GradeProbabilities[m], (int)i.ActualGrade!.Value)), StringComparer.Ordinal)));
        }
        return groups;
    }

    private static double[] Normalise(double[] p)
    {
        var sum = p.Sum();
        return sum > 0 && double.IsFinite(sum) ? p.Select(x => x / sum).ToArray() : [0.25, 0.25, 0.25, 0.25];
    }

    /// <summary>The latest reference date of any figure or start of any inspection in the data.</summary>
    public static DateOnly? LatestDate(BaselineDataset data) => Dates(data).DefaultIfEmpty().Max() is var d && d == default ? null : d;

    private static DateOnly? EarliestDate(BaselineDataset data) => Dates(data).DefaultIfEmpty().Min() is var d && d == default ? null : d;

    private static IEnumerable<DateOnly> Dates(BaselineDataset data) =>
        data.Authorities.SelectMany(a => data.Years(a.Code)).SelectMany(y => y.Values.Keys.Select(k => Measures.Get(k).ReferenceDate(y.Year)))
            .Concat(data.AllInspections.Select(i => i.Start));
}
