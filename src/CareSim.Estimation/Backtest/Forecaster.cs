using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CareSim.Data.Baseline;
using CareSim.Data.Scenarios;
using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Model.Time;
using CareSim.Scenarios;

namespace CareSim.Estimation.Backtest;

/// <summary>What to project: the data as known at <see cref="Origin"/>, projected to <see cref="LastMonth"/>.</summary>
public sealed record ForecastRequest
{
    /// <summary>The forecast is made with the data known at this date (nothing later is read).</summary>
    public required DateOnly Origin { get; init; }
    /// <summary>The last calendar month to simulate (inclusive).</summary>
    public required SimMonth LastMonth { get; init; }
    public int Replicas { get; init; } = 500;
    public ulong Seed { get; init; } = 1;
    /// <summary>Authorities to project (codes, LA numbers or names); null: every authority of England active at the origin.</summary>
    public IReadOnlyList<string>? Authorities { get; init; }
    /// <summary>A parameter file (scenario format: <c>parameters:</c> map) applied to every authority.</summary>
    public string? ParameterFile { get; init; }
    /// <summary>
    /// Let the scenario builder fill figures missing at the origin (population and looked-after
    /// figures before 31 March 2021) with the earliest later figure <b>within the data known at the
    /// origin</b> — never with data after it, because the data are truncated at the origin first.
    /// </summary>
    public bool UseLaterFiguresWhenMissing { get; init; }

    /// <summary>Which figures' date the projection starts from (default: the latest of either kind).</summary>
    public ProjectionAlignment Alignment { get; init; } = ProjectionAlignment.Latest;
}

/// <summary>
/// Where a projection starts: the month after the reference date of the newest figures of a kind
/// known at the origin, so that the simulated time to a scored figure is the time since its data.
/// </summary>
public enum ProjectionAlignment
{
    /// <summary>After the latest reference date of either kind.</summary>
    Latest,
    /// <summary>After the latest workforce census (30 September): for workforce figures and grades.</summary>
    Workforce,
    /// <summary>After the latest demand year (31 March): for demand figures.</summary>
    Demand,
}

/// <summary>
/// A projection prepared once and run many times (the calibration changes only parameters):
/// the compiled plan of every authority seeded from the data known at the origin.
/// </summary>
public sealed class PreparedForecast
{
    internal PreparedForecast(ForecastRequest request, SimulationPlan plan, SimMonth start, SimMonth decisionMonth, ScenarioBuildResult build)
    {
        Request = request;
        Plan = plan;
        Start = start;
        DecisionMonth = decisionMonth;
        Notes = build.Notes;
        Skipped = build.Skipped;
        Codes = plan.Authorities.Select(a => a.Code).ToList();
    }

    public ForecastRequest Request { get; }
    public SimulationPlan Plan { get; }
    /// <summary>
    /// The first simulated month: the month after the latest reference date known at the origin
    /// (the workforce census of 30 September, or the demand year to 31 March; see
    /// <see cref="ForecastRequest.Alignment"/>), so that the projection starts where the newest
    /// figures are, not months later.
    /// </summary>
    public SimMonth Start { get; }
    /// <summary>The month after the origin: before it the model follows the known history only.</summary>
    public SimMonth DecisionMonth { get; }
    public IReadOnlyList<string> Codes { get; }
    public IReadOnlyList<string> Notes { get; }
    public IReadOnlyList<string> Skipped { get; }
}

/// <summary>
/// Seeds authorities from the data known at an origin (via <see cref="ScenarioFromData"/>), runs the
/// reference engine and keeps what backtests and calibration score: every replica's workforce and
/// demand figures in March and September, and the replica means of the grade probabilities every month.
/// </summary>
public static partial class Forecaster
{
    /// <summary>Metrics kept per replica at the capture months (March and September).</summary>
    public static IReadOnlyList<Metric> SampledMetrics { get; } =
    [
        Metric.SwFte, Metric.AgencyFte, Metric.AgencyRate, Metric.VacancyRate, Metric.TurnoverRate, Metric.Caseload,
        Metric.ReferralsPer10k, Metric.RereferralRate, Metric.CinPer10k, Metric.CppPer10k, Metric.ClaPer10k, Metric.DcsChanges,
    ];

    /// <summary>Metrics kept as means over replicas every month.</summary>
    public static IReadOnlyList<Metric> MeanMetrics { get; } =
    [
        Metric.JudgedPInadequate, Metric.JudgedPRequiresImprovement, Metric.JudgedPGood, Metric.JudgedPOutstanding,
        Metric.GradePInadequate, Metric.GradePRequiresImprovement, Metric.GradePGood, Metric.GradePOutstanding,
        Metric.DcsChanges,
    ];

    /// <summary>Calendar months whose values are kept per replica: March (demand) and September (workforce).</summary>
    public static IReadOnlySet<int> CaptureCalendarMonths { get; } = new HashSet<int> { 3, 9 };

    /// <summary>
    /// Builds and compiles the projection. <paramref name="data"/> may hold later data: it is
    /// truncated at the origin here.
    /// </summary>
    /// <exception cref="CareSimDataException">Unknown authority, no figures at the origin, an invalid parameter file.</exception>
    public static PreparedForecast Prepare(BaselineDataset data, ForecastRequest request)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(request);
        var window = DataWindow.Truncate(data, request.Origin);
        return PrepareFromWindow(window, request);
    }

    /// <summary>As <see cref="Prepare"/>, for data already truncated at the origin.</summary>
    internal static PreparedForecast PrepareFromWindow(BaselineDataset window, ForecastRequest request)
    {
        var timing = request.Alignment switch
        {
            ProjectionAlignment.Workforce => MeasureTiming.Workforce,
            ProjectionAlignment.Demand => MeasureTiming.Demand,
            _ => (MeasureTiming?)null,
        };
        var latestReference = (timing is { } t ? LatestReferenceDate(window, request.Origin, t) : null)
            ?? LatestReferenceDate(window, request.Origin)
            ?? throw new ScenarioBuildException($"No workforce or demand figures are known at {request.Origin:yyyy-MM-dd}.");
        var start = SimMonth.FromDate(latestReference).AddMonths(1);
        var decision = SimMonth.FromDate(request.Origin).AddMonths(1);
        if (request.LastMonth < decision)
            throw new ArgumentException($"The last month {request.LastMonth} is not after the origin {request.Origin:yyyy-MM-dd}.", nameof(request));
        var horizon = request.LastMonth.MonthsSince(start) + 1;

        ScenarioBuildResult build;
        if (request.Authorities is null)
        {
            build = ScenarioFromData.BuildDetailed(window, AuthoritySelection.AllEngland, request.Origin, Options(request, horizon));
        }
        else
        {
            // Several authorities: build each (resolving codes, numbers and names) and join their blocks.
            var parts = request.Authorities.Select(q => ScenarioFromData.BuildDetailed(window, AuthoritySelection.Authority(q), request.Origin, Options(request, horizon))).ToList();
            var codes = parts.SelectMany(p => p.AuthorityCodes).ToList();
            var duplicate = codes.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new CareSimDataException($"Authority {duplicate.Key} is listed more than once.");
            var yaml = new StringBuilder(parts[0].Yaml);
            foreach (var part in parts.Skip(1))
            {
                var at = part.Yaml.IndexOf("\nauthorities:\n", StringComparison.Ordinal);
                yaml.Append(part.Yaml[(at + "\nauthorities:\n".Length)..]);
            }
            build = new ScenarioBuildResult(yaml.ToString(), codes, parts.SelectMany(p => p.Notes).ToList(), parts.SelectMany(p => p.Skipped).ToList());
        }

        var text = StartLine().Replace(build.Yaml, string.Create(CultureInfo.InvariantCulture, $"start: {start}"), 1);
        if (text == build.Yaml && !build.Yaml.Contains($"start: {start}", StringComparison.Ordinal))
            throw new InvalidOperationException("The scenario built from data has no 'start:' line to move.");
        // An authority whose only known inspections started after the (moved) start has no grade to
        // seed quality from: it starts from the uninspected quality and the history then forces it
        // into the band of the grade it got.
        foreach (var code in build.AuthorityCodes)
        {
            var known = window.Inspections(code).Where(i => i.KnownFrom <= request.Origin).ToList();
            if (known.Count == 0 || known.Any(i => SimMonth.FromDate(i.Start) < start))
                continue;
            var block = text.IndexOf($"  - code: {code}\n", StringComparison.Ordinal);
            var initial = block < 0 ? -1 : text.IndexOf("    initial:\n", block, StringComparison.Ordinal);
            if (initial < 0)
                throw new InvalidOperationException($"The scenario built from data has no initial block for {code}.");
            var at = initial + "    initial:\n".Length;
            text = text.Insert(at, string.Create(CultureInfo.InvariantCulture,
                $"      quality: {new ScenarioBuildOptions().UninspectedQuality}   # first inspection after the projection's start: its grade is forced in the history\n"));
        }
        var tail = new StringBuilder();
        if (decision > start)
        {
            tail.Append(CultureInfo.InvariantCulture, $"history_until: {decision}   # the data are known to {request.Origin:yyyy-MM-dd}: the model acts from here\n");
            tail.Append(CultureInfo.InvariantCulture, $"outcomes_from: {decision}   # outcome clocks (next inspection, months to requires improvement) from the origin\n");
        }
        if (request.ParameterFile is not null)
            tail.Append("parameter_files: [").Append(Quote(Path.GetFullPath(request.ParameterFile))).Append("]\n");
        text += tail.ToString();

        var load = ScenarioLoader.LoadText(text, $"forecast as of {request.Origin:yyyy-MM-dd}");
        if (!load.IsValid)
            throw new CareSimDataException($"The projection as of {request.Origin:yyyy-MM-dd} could not be compiled:\n  " + string.Join("\n  ", load.Errors));
        return new PreparedForecast(request, load.Plan!, start, decision, build);
    }

    /// <summary>The latest 30 September (workforce) or 31 March (demand) with any authority's figure in the data (of one timing, if given).</summary>
    public static DateOnly? LatestReferenceDate(BaselineDataset window, DateOnly notAfter, MeasureTiming? timing = null)
    {
        DateOnly? latest = null;
        foreach (var y in window.Authorities.SelectMany(a => window.Years(a.Code)))
        {
            foreach (var key in y.Values.Keys)
            {
                var info = Measures.Get(key);
                if (timing is not null && info.Timing != timing)
                    continue;
                var date = info.ReferenceDate(y.Year);
                if (date <= notAfter && (latest is null || date > latest))
                    latest = date;
            }
        }
        return latest;
    }

    private static ScenarioBuildOptions Options(ForecastRequest request, int horizon) => new()
    {
        HorizonMonths = horizon,
        Replicas = request.Replicas,
        Seed = request.Seed,
        UseLaterFiguresWhenMissing = request.UseLaterFiguresWhenMissing,
        Name = $"forecast as of {request.Origin:yyyy-MM-dd}",
    };

    /// <summary>
    /// Runs the prepared projection with parameter overrides (applied to the scenario-wide and every
    /// authority's parameters). Labour markets are independent, so they run in parallel; the numbers
    /// do not depend on the scheduling (every random number is keyed by authority, replica and month).
    /// </summary>
    public static ForecastResult Run(PreparedForecast forecast, IReadOnlyDictionary<string, double>? parameters = null,
        int? replicas = null, ulong? seed = null, int maxConcurrency = 0, CancellationToken cancellationToken = default) =>
        RunMany([forecast], parameters, replicas, seed, maxConcurrency, cancellationToken)[0];

    /// <summary>
    /// Runs several prepared projections with the same settings, all their labour markets sharing
    /// one pool of threads (the calibration runs every origin at each evaluation).
    /// </summary>
    public static IReadOnlyList<ForecastResult> RunMany(IReadOnlyList<PreparedForecast> forecasts, IReadOnlyDictionary<string, double>? parameters = null,
        int? replicas = null, ulong? seed = null, int maxConcurrency = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        var results = new List<ForecastResult>(forecasts.Count);
        var work = new List<(SimulationPlan Plan, int[] Global, ForecastResult Result)>();
        foreach (var forecast in forecasts)
        {
            var plan = forecast.Plan with { Replicas = replicas ?? forecast.Plan.Replicas, Seed = seed ?? forecast.Plan.Seed };
            if (parameters is { Count: > 0 })
            {
                plan = plan with
                {
                    Parameters = plan.Parameters.With(parameters),
                    Authorities = plan.Authorities.Select(a => a with { Parameters = a.Parameters.With(parameters) }).ToList(),
                };
            }
            var result = new ForecastResult(forecast, plan);
            results.Add(result);
            work.AddRange(PlanSplitter.ByLabourMarket(plan).Select(p => (p.Plan, p.Global, result)));
        }
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxConcurrency > 0 ? maxConcurrency : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        // Largest parts first so the last one to finish is small. Each part writes only its own authorities' slots.
        var order = Enumerable.Range(0, work.Count)
            .OrderByDescending(i => (long)work[i].Plan.Authorities.Count * work[i].Plan.HorizonMonths).ThenBy(i => i).ToArray();
        Parallel.ForEach(order, options, i =>
        {
            var (part, global, result) = work[i];
            ReferenceEngine.Run(part, new RunSettings(BlockSize: Math.Max(1, part.Replicas)), new CaptureSink(result, global), null, cancellationToken);
        });
        return results;
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"(?m)^start: \S+")]
    private static partial Regex StartLine();

    /// <summary>Copies what the forecast keeps from one part of the plan into the shared result.</summary>
    private sealed class CaptureSink(ForecastResult result, int[] global) : IRunSink
    {
        public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame) =>
            result.Accept(month, global[authorityIndex], block, frame);

        public void CompleteMonth(int month)
        {
        }

        public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes) =>
            result.AcceptOutcomes(global[authorityIndex], block, outcomes);
    }
}

/// <summary>What a projection kept: per-replica samples at March and September, monthly replica means, outcomes.</summary>
public sealed class ForecastResult
{
    private static readonly int[] s_sampleSlot = Slots(Forecaster.SampledMetrics);
    private static readonly int[] s_meanSlot = Slots(Forecaster.MeanMetrics);

    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);
    private readonly int[] _captureSlot; // month -> capture slot or -1
    private readonly double[][][][] _samples; // [authority][metric slot][capture slot][replica]
    private readonly double[][][] _sums; // [authority][mean slot][month]
    private readonly int[][] _monthsToRi; // [authority][replica]
    private readonly int[][] _monthsToNext; // [authority][replica]

    internal ForecastResult(PreparedForecast forecast, SimulationPlan plan)
    {
        Forecast = forecast;
        Start = plan.Start;
        HorizonMonths = plan.HorizonMonths;
        Replicas = plan.Replicas;
        Codes = plan.Authorities.Select(a => a.Code).ToList();
        for (var a = 0; a < Codes.Count; a++)
            _index[Codes[a]] = a;
        _captureSlot = new int[HorizonMonths];
        var captures = 0;
        for (var m = 0; m < HorizonMonths; m++)
            _captureSlot[m] = Forecaster.CaptureCalendarMonths.Contains(plan.MonthAt(m).Month) ? captures++ : -1;
        _samples = new double[Codes.Count][][][];
        _sums = new double[Codes.Count][][];
        _monthsToRi = new int[Codes.Count][];
        _monthsToNext = new int[Codes.Count][];
        for (var a = 0; a < Codes.Count; a++)
        {
            _samples[a] = new double[Forecaster.SampledMetrics.Count][][];
            for (var s = 0; s < _samples[a].Length; s++)
            {
                _samples[a][s] = new double[captures][];
                for (var c = 0; c < captures; c++)
                    _samples[a][s][c] = new double[Replicas];
            }
            _sums[a] = new double[Forecaster.MeanMetrics.Count][];
            for (var s = 0; s < _sums[a].Length; s++)
                _sums[a][s] = new double[HorizonMonths];
            _monthsToRi[a] = new int[Replicas];
            _monthsToNext[a] = new int[Replicas];
        }
    }

    public PreparedForecast Forecast { get; }
    public SimMonth Start { get; }
    public int HorizonMonths { get; }
    public int Replicas { get; }
    public IReadOnlyList<string> Codes { get; }

    public SimMonth LastMonth => Start.AddMonths(HorizonMonths - 1);

    /// <summary>The index of an authority's code in <see cref="Codes"/>, or -1.</summary>
    public int IndexOf(string code) => _index.TryGetValue(code, out var i) ? i : -1;

    /// <summary>Every replica's value of a sampled metric in a March or September month; null when not kept.</summary>
    public double[]? Samples(int authority, Metric metric, SimMonth month)
    {
        var m = month.MonthsSince(Start);
        if (m < 0 || m >= HorizonMonths || _captureSlot[m] < 0)
            return null;
        var slot = s_sampleSlot[(int)metric];
        return slot < 0 ? null : _samples[authority][slot][_captureSlot[m]];
    }

    /// <summary>The mean over replicas of a monthly metric (grade probabilities, DCS changes); NaN outside the run.</summary>
    public double Mean(int authority, Metric metric, SimMonth month)
    {
        var m = month.MonthsSince(Start);
        var slot = s_meanSlot[(int)metric];
        if (m < 0 || m >= HorizonMonths || slot < 0)
            return double.NaN;
        return _sums[authority][slot][m] / Replicas;
    }

    /// <summary>The grade distribution an inspection in <paramref name="month"/> would give (mean of judged_p_*), in <see cref="Grade"/> order.</summary>
    public double[] JudgedGrade(int authority, SimMonth month) =>
    [
        Mean(authority, Metric.JudgedPInadequate, month), Mean(authority, Metric.JudgedPRequiresImprovement, month),
        Mean(authority, Metric.JudgedPGood, month), Mean(authority, Metric.JudgedPOutstanding, month),
    ];

    /// <summary>The distribution of the latest published grade at the end of <paramref name="month"/> (mean of grade_p_*).</summary>
    public double[] PublishedGrade(int authority, SimMonth month) =>
    [
        Mean(authority, Metric.GradePInadequate, month), Mean(authority, Metric.GradePRequiresImprovement, month),
        Mean(authority, Metric.GradePGood, month), Mean(authority, Metric.GradePOutstanding, month),
    ];

    /// <summary>Per replica: months from the decision month (the month after the origin; the start when they coincide) to the first full inspection graded requires improvement or better (-1: none).</summary>
    public IReadOnlyList<int> MonthsToRequiresImprovement(int authority) => _monthsToRi[authority];

    /// <summary>Per replica: months from the decision month (the month after the origin; the start when they coincide) to the next full inspection (-1: none).</summary>
    public IReadOnlyList<int> MonthsToNextInspection(int authority) => _monthsToNext[authority];

    internal void Accept(int month, int authority, BlockRange block, MetricFrame frame)
    {
        var capture = _captureSlot[month];
        if (capture >= 0)
        {
            for (var s = 0; s < Forecaster.SampledMetrics.Count; s++)
                Array.Copy(frame[Forecaster.SampledMetrics[s]], 0, _samples[authority][s][capture], block.FirstReplica, block.Count);
        }
        for (var s = 0; s < Forecaster.MeanMetrics.Count; s++)
        {
            var values = frame[Forecaster.MeanMetrics[s]];
            var sum = 0.0;
            for (var i = 0; i < block.Count; i++)
                sum += values[i];
            _sums[authority][s][month] += sum;
        }
    }

    internal void AcceptOutcomes(int authority, BlockRange block, AuthorityOutcomes outcomes)
    {
        Array.Copy(outcomes.MonthsToRequiresImprovement, 0, _monthsToRi[authority], block.FirstReplica, block.Count);
        Array.Copy(outcomes.MonthsToNextInspection, 0, _monthsToNext[authority], block.FirstReplica, block.Count);
    }

    private static int[] Slots(IReadOnlyList<Metric> metrics)
    {
        var slots = new int[MetricCatalog.Count];
        Array.Fill(slots, -1);
        for (var i = 0; i < metrics.Count; i++)
            slots[(int)metrics[i]] = i;
        return slots;
    }
}

/// <summary>
/// Splits a plan into independent parts, one per labour market: authorities interact only through
/// their labour market and their commissioner, and every random number is keyed by authority code,
/// so each part gives exactly the numbers it would give inside the whole plan.
/// </summary>
internal static class PlanSplitter
{
    public static IReadOnlyList<(SimulationPlan Plan, int[] Global)> ByLabourMarket(SimulationPlan plan)
    {
        var marketOf = plan.Authorities.Select(a => a.LabourMarketIndex).ToArray();
        // A commissioner spanning several markets couples them: then the plan runs whole.
        foreach (var commissioner in plan.Commissioners)
        {
            if (commissioner.AuthorityIndices.Select(i => marketOf[i]).Distinct().Count() > 1)
                return [(plan, Enumerable.Range(0, plan.Authorities.Count).ToArray())];
        }
        if (plan.LabourMarkets.Count <= 1)
            return [(plan, Enumerable.Range(0, plan.Authorities.Count).ToArray())];

        var parts = new List<(SimulationPlan, int[])>();
        foreach (var market in plan.LabourMarkets)
        {
            var global = market.AuthorityIndices.OrderBy(i => i).ToArray();
            var local = new Dictionary<int, int>();
            for (var k = 0; k < global.Length; k++)
                local[global[k]] = k;
            var commissioners = plan.Commissioners
                .Where(c => c.AuthorityIndices.Count > 0 && local.ContainsKey(c.AuthorityIndices[0]))
                .Select(c => new CommissionerPlan(c.Id, c.AuthorityIndices.Select(i => local[i]).ToList()))
                .ToList();
            var commissionerOf = new int[global.Length];
            for (var c = 0; c < commissioners.Count; c++)
            {
                foreach (var i in commissioners[c].AuthorityIndices)
                    commissionerOf[i] = c;
            }
            var authorities = global.Select((g, k) => plan.Authorities[g] with { CommissionerIndex = commissionerOf[k], LabourMarketIndex = 0 }).ToList();
            parts.Add((plan with
            {
                Authorities = authorities,
                Commissioners = commissioners,
                LabourMarkets = [new LabourMarketPlan(market.Id, Enumerable.Range(0, global.Length).ToList())],
            }, global));
        }
        return parts;
    }
}
