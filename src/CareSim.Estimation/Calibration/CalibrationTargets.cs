using CareSim.Estimation.Backtest;
using CareSim.Data.Baseline;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Model.Time;

namespace CareSim.Estimation.Calibration;

/// <summary>The calibration stages: each fits its own parameters to its own targets.</summary>
public static class Stages
{
    public const string Workforce = "workforce";
    public const string Leadership = "leadership";
    public const string Ofsted = "ofsted";
    public const string Demand = "demand";

    public static IReadOnlyList<string> All { get; } = [Workforce, Leadership, Demand];
}

/// <summary>
/// One calibration target: a statistic computed alike from the data (<see cref="Observed"/>) and from
/// the model's projections (<see cref="Simulate"/>). <see cref="Scale"/> is the statistic's sampling
/// standard deviation (bootstrap over authorities), so (simulated - observed) / scale is a z-score.
/// A target with a null <see cref="Stage"/> is reported but not fitted.
/// </summary>
public sealed class CalibrationTarget
{
    internal CalibrationTarget(string name, string group, string? stage, string description, double observed, double scale, int n,
        Func<ProjectionSet, double> simulate)
    {
        Name = name;
        Group = group;
        Stage = stage;
        Description = description;
        Observed = observed;
        Scale = scale;
        N = n;
        Simulate = simulate;
    }

    public string Name { get; }
    public string Group { get; }
    public string? Stage { get; }
    public string Description { get; }
    public double Observed { get; }
    public double Scale { get; }
    /// <summary>Observations behind the statistic (pairs, authorities or inspections).</summary>
    public int N { get; }
    internal Func<ProjectionSet, double> Simulate { get; }
}

/// <summary>The projections of one evaluation: one per workforce-aligned and demand-aligned origin.</summary>
public sealed record ProjectionSet(IReadOnlyList<ForecastResult> Workforce, IReadOnlyList<ForecastResult> Demand);

/// <summary>A scored inspection in the calibration window: its authority, month and grade, and the last grade known at the origin.</summary>
internal sealed record WindowInspection(int Origin, int Authority, string Code, SimMonth Month, Grade Grade, Grade? Last);

/// <summary>
/// The calibration's design: the origins it projects from, the observed targets, and how each
/// target is computed from projections. Workforce-aligned origins are 31 December of each census
/// year (the projection starts in October, after the 30 September census; workforce figures are
/// scored 12 and 24 months later, grades at every later inspection, DCS changes over 12 months).
/// Demand-aligned origins are 31 March (the projection starts in April; demand figures are scored
/// 12 and 24 months later). Nothing after <c>until</c> is read.
/// </summary>
public sealed class CalibrationDesign
{
    private const int BootstrapSamples = 200;
    private static readonly double[] s_quantiles = [0.10, 0.50, 0.90];

    internal CalibrationDesign(BaselineDataset window, DateOnly until, IReadOnlyList<PreparedForecast> workforce, IReadOnlyList<PreparedForecast> demand)
    {
        Window = window;
        Until = until;
        WorkforceOrigins = workforce;
        DemandOrigins = demand;
        Inspections = CollectInspections();
        Targets = BuildTargets();
    }

    public BaselineDataset Window { get; }
    public DateOnly Until { get; }
    public IReadOnlyList<PreparedForecast> WorkforceOrigins { get; }
    public IReadOnlyList<PreparedForecast> DemandOrigins { get; }
    public IReadOnlyList<CalibrationTarget> Targets { get; }
    internal IReadOnlyList<WindowInspection> Inspections { get; }

    /// <summary>The workforce measures whose spread and persistence are fitted.</summary>
    public static IReadOnlyList<(string Measure, Metric Metric)> WorkforceMeasures { get; } =
    [
        (Measures.TurnoverRate, Metric.TurnoverRate),
        (Measures.AgencyRate, Metric.AgencyRate),
        (Measures.VacancyRate, Metric.VacancyRate),
        (Measures.Caseload, Metric.Caseload),
    ];

    /// <summary>The demand counts (observed) and rates (simulated), and the re-referral share, whose year-on-year changes are compared.</summary>
    public static IReadOnlyList<(string Count, Metric Metric, Func<AuthorityInitialState, double> Initial, bool Fitted)> DemandMeasures { get; } =
    [
        (Measures.Referrals, Metric.ReferralsPer10k, s => s.ReferralsPer10k, true),
        (Measures.Cin, Metric.CinPer10k, s => s.CinPer10k, true),
        (Measures.Cpp, Metric.CppPer10k, s => s.CppPer10k, true),
        (Measures.Cla, Metric.ClaPer10k, s => s.ClaPer10k, true),
        (Measures.RereferralShare, Metric.RereferralRate, s => s.RereferralShare, true),
    ];

    /// <summary>DCS changes per authority a year: the brief's long-run 0.31 (47 a year / 152) to 2017-18's 0.43 (65 / 152).</summary>
    public const double DcsChangesPerYear = 0.37;
    public const double DcsChangesScale = 0.03;

    /// <summary>-2 Σ ln p(observed grade) of the model over every inspection in the windows (the grade likelihood, a deviance).</summary>
    public double GradeDeviance(ProjectionSet set)
    {
        var sum = 0.0;
        foreach (var i in Inspections)
        {
            var p = set.Workforce[i.Origin].JudgedGrade(i.Authority, i.Month);
            var total = p.Sum();
            sum += 2 * Scores.LogLoss(p.Select(x => x / total).ToArray(), (int)i.Grade);
        }
        return sum;
    }

    private List<WindowInspection> CollectInspections()
    {
        var list = new List<WindowInspection>();
        for (var o = 0; o < WorkforceOrigins.Count; o++)
        {
            var f = WorkforceOrigins[o];
            var last = f.Start.AddMonths(f.Plan.HorizonMonths - 1);
            for (var a = 0; a < f.Codes.Count; a++)
            {
                var code = f.Codes[a];
                var known = Window.Inspections(code).Where(i => i.KnownFrom <= f.Request.Origin).LastOrDefault()?.Overall;
                foreach (var i in Window.Inspections(code))
                {
                    var month = SimMonth.FromDate(i.Start);
                    if (i.Start > f.Request.Origin && month <= last)
                        list.Add(new WindowInspection(o, a, code, month, i.Overall, known));
                }
            }
        }
        return list;
    }

    private List<CalibrationTarget> BuildTargets()
    {
        var targets = new List<CalibrationTarget>();
        AddWorkforceTargets(targets);
        AddDcsTarget(targets);
        AddGradeTargets(targets);
        AddDemandTargets(targets);
        AddCareFlowTarget(targets);
        return targets;
    }

    // ---------------------------------------------------------------- workforce

    private sealed record Pair(string Code, int Origin, int Authority, double X0, double X1, SimMonth Month);

    private List<Pair> WorkforcePairs(string measure, int lag)
    {
        var pairs = new List<Pair>();
        for (var o = 0; o < WorkforceOrigins.Count; o++)
        {
            var f = WorkforceOrigins[o];
            var year = f.Start.Year; // October after the census of 30 September of this year
            var month = new SimMonth(year + lag, 9);
            if (month.MonthsSince(f.Start) >= f.Plan.HorizonMonths)
                continue;
            for (var a = 0; a < f.Codes.Count; a++)
            {
                var code = f.Codes[a];
                if (Window.Value(code, measure, year) is { } x0 && Window.Value(code, measure, year + lag) is { } x1)
                    pairs.Add(new Pair(code, o, a, x0, x1, month));
            }
        }
        return pairs;
    }

    private void AddWorkforceTargets(List<CalibrationTarget> targets)
    {
        foreach (var (measure, metric) in WorkforceMeasures)
        {
            for (var lag = 1; lag <= 2; lag++)
            {
                var pairs = WorkforcePairs(measure, lag);
                if (pairs.Count < 20)
                    continue;
                var k = lag;
                foreach (var q in s_quantiles)
                {
                    var name = $"{measure}.p{q * 100:00}.{k}y";
                    targets.Add(Target(name, measure, Stages.Workforce,
                        $"{measure}: {q * 100:0}th percentile across authorities, {k} year(s) after the census the projection starts from",
                        pairs, p => p.Code, p => Quantile(p.Select(x => x.X1), q),
                        set => Quantile(pairs.SelectMany(p => set.Workforce[p.Origin].Samples(p.Authority, metric, p.Month)!), q)));
                }
                targets.Add(Target($"{measure}.corr.{k}y", measure, Stages.Workforce,
                    $"{measure}: correlation across authorities of the census value with the value {k} year(s) later (persistence)",
                    pairs, p => p.Code, p => Correlation(p.Select(x => (x.X0, x.X1))),
                    set => Correlation(pairs.SelectMany(p => set.Workforce[p.Origin].Samples(p.Authority, metric, p.Month)!.Select(s => (p.X0, s))))));
            }
        }
        // The spread of FTE changes (authorities grow and shrink: establishment, leavers, recruits).
        for (var lag = 1; lag <= 2; lag++)
        {
            var pairs = WorkforcePairs(Measures.SwFte, lag).Where(p => p.X0 > 0 && p.X1 > 0).ToList();
            if (pairs.Count < 20)
                continue;
            targets.Add(Target($"{Measures.SwFte}.log_change_sd.{lag}y", Measures.SwFte, Stages.Workforce,
                $"{Measures.SwFte}: standard deviation across authorities of the log change of social workers in post over {lag} year(s)",
                pairs, p => p.Code, p => Sd(p.Select(x => Math.Log(x.X1 / x.X0))),
                set => Sd(pairs.SelectMany(p => set.Workforce[p.Origin].Samples(p.Authority, Metric.SwFte, p.Month)!.Select(s => Math.Log(Math.Max(s, 1e-9) / p.X0))))));
        }
        foreach (var (measure, metric) in new[] { (Measures.SwFte, Metric.SwFte), (Measures.AgencyFte, Metric.AgencyFte) })
        {
            var pairs = WorkforcePairs(measure, 1);
            if (pairs.Count < 20)
                continue;
            // Staff in post: fitted (workforce.establishment_trend_per_year); agency: reported.
            targets.Add(Target($"{measure}.growth.1y", "england", measure == Measures.SwFte ? Stages.Workforce : null,
                $"{measure}: growth of the total over the authorities in the data, census to census" + (measure == Measures.SwFte ? "" : " (reported)"),
                pairs, p => p.Code, p => p.Sum(x => x.X1) / p.Sum(x => x.X0) - 1,
                set => pairs.Sum(p => set.Workforce[p.Origin].Samples(p.Authority, metric, p.Month)!.Average()) / pairs.Sum(p => p.X0) - 1));
        }
    }

    // ---------------------------------------------------------------- leadership

    private void AddDcsTarget(List<CalibrationTarget> targets)
    {
        var units = new List<(int Origin, int Authority)>();
        for (var o = 0; o < WorkforceOrigins.Count; o++)
        {
            if (WorkforceOrigins[o].Plan.HorizonMonths >= 12)
                units.AddRange(Enumerable.Range(0, WorkforceOrigins[o].Codes.Count).Select(a => (o, a)));
        }
        if (units.Count == 0)
            return;
        targets.Add(new CalibrationTarget("dcs_changes.per_year", "leadership", Stages.Leadership,
            "Changes of director of children's services per authority in the first 12 months (brief: 0.31 long-run to 0.43 in 2017-18; ADCS via Community Care)",
            DcsChangesPerYear, DcsChangesScale, units.Count,
            set => units.Average(u => set.Workforce[u.Origin].Mean(u.Authority, Metric.DcsChanges, set.Workforce[u.Origin].Start.AddMonths(11)))));
    }

    // ---------------------------------------------------------------- Ofsted

    private void AddGradeTargets(List<CalibrationTarget> targets)
    {
        // Share of authorities whose latest published grade is inadequate / good or better, 31 March 1 and 2 years on.
        for (var lag = 1; lag <= 2; lag++)
        {
            var units = new List<(string Code, int Origin, int Authority, SimMonth Month, Grade Grade)>();
            for (var o = 0; o < WorkforceOrigins.Count; o++)
            {
                var f = WorkforceOrigins[o];
                var march = new SimMonth(f.Start.Year + lag, 3);
                if (march.MonthsSince(f.Start) >= f.Plan.HorizonMonths)
                    continue;
                var date = new DateOnly(march.Year, 3, 31);
                for (var a = 0; a < f.Codes.Count; a++)
                {
                    var latest = Window.Inspections(f.Codes[a]).Where(i => i.KnownFrom <= date).LastOrDefault();
                    if (latest is not null)
                        units.Add((f.Codes[a], o, a, march, latest.Overall));
                }
            }
            if (units.Count < 20)
                continue;
            var k = lag;
            targets.Add(new CalibrationTarget($"grade.inadequate_share.{k}y", "ofsted", Stages.Ofsted,
                $"Share of authorities whose latest published grade is inadequate at 31 March, {k} year(s) after the October the projection starts",
                units.Average(u => u.Grade == Grade.Inadequate ? 1.0 : 0.0),
                BootstrapSd(units.Select(u => (u.Code, u)).ToList(), l => l.Average(u => u.Grade == Grade.Inadequate ? 1.0 : 0.0)),
                units.Count,
                set => units.Average(u => set.Workforce[u.Origin].PublishedGrade(u.Authority, u.Month)[0])));
            targets.Add(new CalibrationTarget($"grade.good_or_better_share.{k}y", "ofsted", Stages.Ofsted,
                $"Share of authorities whose latest published grade is good or outstanding at 31 March, {k} year(s) after the October the projection starts",
                units.Average(u => u.Grade >= Grade.Good ? 1.0 : 0.0),
                BootstrapSd(units.Select(u => (u.Code, u)).ToList(), l => l.Average(u => u.Grade >= Grade.Good ? 1.0 : 0.0)),
                units.Count,
                set => units.Average(u => { var p = set.Workforce[u.Origin].PublishedGrade(u.Authority, u.Month); return p[2] + p[3]; })));
        }

        // Transitions: the grade of inspections after the origin by the last grade known at the origin (reported; the deviance is fitted).
        var transitions = new (string Name, string Text, Func<Grade?, bool> From, Func<int, bool> To)[]
        {
            ("after_inadequate.ri_or_better", "after an inadequate grade: share graded requires improvement or better", g => g == Grade.Inadequate, k => k >= 1),
            ("after_ri.good_or_better", "after requires improvement: share graded good or better", g => g == Grade.RequiresImprovement, k => k >= 2),
            ("after_ri.inadequate", "after requires improvement: share graded inadequate", g => g == Grade.RequiresImprovement, k => k == 0),
            ("after_good.ri_or_worse", "after good or outstanding: share graded requires improvement or worse", g => g >= Grade.Good, k => k <= 1),
        };
        foreach (var (name, text, from, to) in transitions)
        {
            var items = Inspections.Where(i => from(i.Last)).ToList();
            if (items.Count < 5)
                continue;
            targets.Add(new CalibrationTarget($"grade.{name}", "ofsted", null,
                $"Inspections after the origin {text} (last grade known at the origin; reported, the grade likelihood is what is fitted)",
                items.Average(i => to((int)i.Grade) ? 1.0 : 0.0),
                BootstrapSd(items.Select(i => (i.Code, i)).ToList(), l => l.Average(i => to((int)i.Grade) ? 1.0 : 0.0)),
                items.Count,
                set => items.Average(i =>
                {
                    var p = set.Workforce[i.Origin].JudgedGrade(i.Authority, i.Month);
                    return Enumerable.Range(0, 4).Where(to).Sum(k => p[k]) / p.Sum();
                })));
        }

        // Timing, by the last grade known at the origin: inspected again within the window (about
        // 21 months after the origin), and for inadequate authorities graded requires improvement or
        // better. The model's outcome clocks run from the month after the origin.
        var timing = new List<(string Code, int Origin, int Authority, Grade Last, int To, bool Inspected, bool Improved)>();
        for (var o = 0; o < WorkforceOrigins.Count; o++)
        {
            var f = WorkforceOrigins[o];
            var last = f.Start.AddMonths(f.Plan.HorizonMonths - 1);
            for (var a = 0; a < f.Codes.Count; a++)
            {
                var code = f.Codes[a];
                if (Window.Inspections(code).Where(i => i.KnownFrom <= f.Request.Origin).LastOrDefault()?.Overall is not { } grade)
                    continue;
                var after = Window.Inspections(code).Where(i => i.Start > f.Request.Origin && SimMonth.FromDate(i.Start) <= last).ToList();
                timing.Add((code, o, a, grade, last.MonthsSince(f.DecisionMonth), after.Count > 0, after.Any(i => i.Overall >= Grade.RequiresImprovement)));
            }
        }
        var stuck = timing.Where(u => u.Last == Grade.Inadequate).ToList();
        if (stuck.Count >= 5)
        {
            targets.Add(new CalibrationTarget("grade.inadequate_improved_in_window", "ofsted", Stages.Ofsted,
                "Authorities inadequate at the origin with an inspection graded requires improvement or better within the window (about 21 months)",
                stuck.Average(s => s.Improved ? 1.0 : 0.0),
                BootstrapSd(stuck.Select(s => (s.Code, s)).ToList(), l => l.Average(s => s.Improved ? 1.0 : 0.0)),
                stuck.Count,
                set => stuck.Average(s => set.Workforce[s.Origin].MonthsToRequiresImprovement(s.Authority).Average(m => m >= 0 && m <= s.To ? 1.0 : 0.0))));
        }
        foreach (var (name, text, from) in new (string, string, Func<Grade, bool>)[]
        {
            ("inadequate", "inadequate", g => g == Grade.Inadequate),
            ("ri", "requires improvement", g => g == Grade.RequiresImprovement),
            ("good_or_better", "good or outstanding", g => g >= Grade.Good),
        })
        {
            var group = timing.Where(u => from(u.Last)).ToList();
            if (group.Count < 5)
                continue;
            targets.Add(new CalibrationTarget($"grade.inspected_in_window.after_{name}", "ofsted", null,
                $"Authorities whose last grade at the origin was {text} with a full inspection started within the window (about 21 months; the inspection schedule, reported)",
                group.Average(u => u.Inspected ? 1.0 : 0.0),
                BootstrapSd(group.Select(u => (u.Code, u)).ToList(), l => l.Average(u => u.Inspected ? 1.0 : 0.0)),
                group.Count,
                set => group.Average(u => set.Workforce[u.Origin].MonthsToNextInspection(u.Authority).Average(m => m >= 0 && m <= u.To ? 1.0 : 0.0))));
        }
    }

    // ---------------------------------------------------------------- demand

    private void AddDemandTargets(List<CalibrationTarget> targets)
    {
        foreach (var (count, metric, initial, fitted) in DemandMeasures)
        {
            for (var lag = 1; lag <= 2; lag++)
            {
                var pairs = new List<(string Code, int Origin, int Authority, double Change, double Initial, SimMonth Month)>();
                for (var o = 0; o < DemandOrigins.Count; o++)
                {
                    var f = DemandOrigins[o];
                    var year = f.Start.Year; // April after the year to 31 March of this year
                    var month = new SimMonth(year + lag, 3);
                    if (month.MonthsSince(f.Start) >= f.Plan.HorizonMonths)
                        continue;
                    for (var a = 0; a < f.Codes.Count; a++)
                    {
                        var code = f.Codes[a];
                        if (Window.Value(code, count, year) is > 0 and var c0 && Window.Value(code, count, year + lag) is > 0 and var c1)
                            pairs.Add((code, o, a, Math.Log(c1 / c0), initial(f.Plan.Authorities[a].Initial), month));
                    }
                }
                if (pairs.Count < 20)
                    continue;
                var k = lag;
                IEnumerable<double> Simulated(ProjectionSet set) => pairs.Where(p => p.Initial > 0)
                    .SelectMany(p => set.Demand[p.Origin].Samples(p.Authority, metric, p.Month)!.Select(s => Math.Log(Math.Max(s, 1e-9) / p.Initial)));
                targets.Add(Target($"{count}.log_change_sd.{k}y", "demand", fitted ? Stages.Demand : null,
                    count == Measures.RereferralShare
                        ? $"{count}: standard deviation across authorities of the log change of the share over {k} year(s)"
                        : $"{count}: standard deviation across authorities of the log change over {k} year(s) (rates per 10,000 in the model; counts in the data, population changes little)",
                    pairs, p => p.Code, p => Sd(p.Select(x => x.Change)), set => Sd(Simulated(set))));
                targets.Add(Target($"{count}.log_change_mean.{k}y", "demand", null,
                    $"{count}: mean log change over {k} year(s) (not fitted: the England trend)",
                    pairs, p => p.Code, p => p.Average(x => x.Change), set => Simulated(set).Average()));
            }
        }
    }

    /// <summary>
    /// The spread of the year's change of children looked after from each authority's flows, log(stock
    /// / (stock - started + ceased)): known with the stock itself (31 March), so before two years of
    /// stocks are (the series starts in 2021). Simulated: the 1-year log change of the rate per 10,000.
    /// </summary>
    private void AddCareFlowTarget(List<CalibrationTarget> targets)
    {
        var observed = new List<(string Code, double Change)>();
        foreach (var a in Window.Authorities)
        {
            foreach (var y in Window.Years(a.Code))
            {
                if (Measures.Get(Measures.Cla).ReferenceDate(y.Year) > Until)
                    continue;
                if (y[Measures.Cla] is > 0 and var stock && y[Measures.ClaStarts] is { } started && y[Measures.ClaCeased] is { } ceased
                    && stock - started + ceased > 0)
                    observed.Add((a.Code, Math.Log(stock / (stock - started + ceased))));
            }
        }
        var simulated = new List<(int Origin, int Authority, double Initial, SimMonth Month)>();
        for (var o = 0; o < DemandOrigins.Count; o++)
        {
            var f = DemandOrigins[o];
            var month = new SimMonth(f.Start.Year + 1, 3);
            if (month.MonthsSince(f.Start) >= f.Plan.HorizonMonths)
                continue;
            for (var a = 0; a < f.Codes.Count; a++)
            {
                if (f.Plan.Authorities[a].Initial.ClaPer10k is > 0 and var initial)
                    simulated.Add((o, a, initial, month));
            }
        }
        if (observed.Count < 20 || simulated.Count < 20)
            return;
        targets.Add(Target($"{Measures.Cla}.flow_change_sd.1y", "demand", Stages.Demand,
            $"{Measures.Cla}: standard deviation across authorities of the year's log change of children looked after from the year's flows, log(stock / (stock - started + ceased)) (model: the 1-year log change of the rate per 10,000)",
            observed, x => x.Code, x => Sd(x.Select(v => v.Change)),
            set => Sd(simulated.SelectMany(p => set.Demand[p.Origin].Samples(p.Authority, Metric.ClaPer10k, p.Month)!.Select(v => Math.Log(Math.Max(v, 1e-9) / p.Initial))))));
    }

    // ---------------------------------------------------------------- statistics

    private static CalibrationTarget Target<T>(string name, string group, string? stage, string description, List<T> units, Func<T, string> codeOf,
        Func<List<T>, double> statistic, Func<ProjectionSet, double> simulate)
    {
        var keyed = units.Select(u => (codeOf(u), u)).ToList();
        return new CalibrationTarget(name, group, stage, description, statistic(units), BootstrapSd(keyed, statistic), units.Count, simulate);
    }

    /// <summary>The standard deviation of a statistic over a bootstrap that resamples authorities (all of an authority's units together).</summary>
    public static double BootstrapSd<T>(IReadOnlyList<(string Code, T Unit)> units, Func<List<T>, double> statistic)
    {
        var byCode = units.GroupBy(u => u.Code, StringComparer.Ordinal).Select(g => g.Select(x => x.Unit).ToList()).ToList();
        var random = new Random(12345);
        var values = new List<double>(BootstrapSamples);
        for (var b = 0; b < BootstrapSamples; b++)
        {
            var sample = new List<T>(units.Count);
            for (var i = 0; i < byCode.Count; i++)
                sample.AddRange(byCode[random.Next(byCode.Count)]);
            if (sample.Count > 0)
                values.Add(statistic(sample));
        }
        var sd = Sd(values.Where(double.IsFinite));
        return Math.Max(sd, 1e-4);
    }

    public static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Where(double.IsFinite).ToArray();
        Array.Sort(sorted);
        return Scores.Quantile(sorted, q);
    }

    public static double Correlation(IEnumerable<(double X, double Y)> pairs)
    {
        double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        foreach (var (x, y) in pairs)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y))
                continue;
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }
        var cov = sxy / n - sx / n * (sy / n);
        var vx = sxx / n - sx / n * (sx / n);
        var vy = syy / n - sy / n * (sy / n);
        return vx > 0 && vy > 0 ? cov / Math.Sqrt(vx * vy) : 0;
    }

    public static double Sd(IEnumerable<double> values)
    {
        double n = 0, s = 0, ss = 0;
        foreach (var v in values)
        {
            n++;
            s += v;
            ss += v * v;
        }
        if (n < 2)
            return 0;
        var mean = s / n;
        return Math.Sqrt(Math.Max(0, (ss - n * mean * mean) / (n - 1)));
    }
}
