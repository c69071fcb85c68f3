using System.Globalization;
using System.Text;
using System.Text.Json;
using CareSim.Engine.Output;
using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Model.Time;

namespace CareSim.Experiments;

/// <summary>One line of comparison.csv: a strategy against the baseline on one measure for one authority ("all" = across them).</summary>
public sealed record ComparisonRow(
    string Strategy,
    string Authority,
    string Measure,
    string Unit,
    double Baseline,
    double Value,
    double Difference,
    double CiLow,
    double CiHigh,
    double PBeatsBaseline,
    int Rank);

public sealed record ComparisonOptions
{
    public required RunSettings Settings { get; init; }
    /// <summary>Where to write the comparison (strategies/&lt;name&gt;/ results, comparison.csv/.json/.parquet, manifest.json); null: nothing written.</summary>
    public string? OutputDirectory { get; init; }
    /// <summary>Write into a folder holding files sim did not write (replacing only the comparison's files).</summary>
    public bool ReplaceExisting { get; init; }
    /// <summary>Writes more files (given the staging folder) into the comparison before it is moved into place.</summary>
    public Func<ComparisonResult, string, Task>? BeforeCommit { get; init; }
    public string ScenarioSha256 { get; init; } = "";
    public string? ScenarioFile { get; init; }
    /// <summary>Dates at which to report the probability of good (and of requires improvement) or better.</summary>
    public IReadOnlyList<SimMonth> ByDates { get; init; } = [];
    /// <summary>The measure strategies are ranked on (default: good or better within the horizon).</summary>
    public string RankBy { get; init; } = OutcomeMeasures.PGood.Name;
    /// <summary>More to record in the comparison's manifest.json (<c>extra</c>), e.g. the run id and label of a comparison submitted to sim serve.</summary>
    public IReadOnlyDictionary<string, string>? Extra { get; init; }
}

public sealed record ComparisonResult(IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<string> Strategies, IReadOnlyList<OutcomeMeasure> Measures);

/// <summary>
/// Runs a scenario under several strategies with common random numbers (the same seed: replica
/// r sees the same random world under every strategy) and compares each with the baseline
/// through paired differences.
/// </summary>
public static class StrategyComparison
{
    public const string ComparisonCsv = "comparison.csv";
    public const string ComparisonJson = "comparison.json";
    public const string ComparisonParquet = "comparison.parquet";
    public const string ComparisonMarkdown = "comparison.md";
    private const string Command = "sim compare";

    /// <summary>The measures of the Markdown summary table, in column order.</summary>
    public static IReadOnlyList<string> SummaryMeasures { get; } =
        ["p_ri_by_end", "p_good_by_end", "median_months_to_ri", "practice_quality", "rereferral_rate", "cla_per_10k", "cpp_per_10k", "caseload", "turnover_rate", "agency_rate", "cost"];
    public const string StrategiesFolder = "strategies";

    /// <summary>The standard measures and, for each month of <paramref name="byDates"/> within the outcome window, p_good_by and p_ri_by it.</summary>
    public static IReadOnlyList<OutcomeMeasure> Measures(SimulationPlan plan, IReadOnlyList<SimMonth> byDates) =>
    [
        .. OutcomeMeasures.Standard,
        .. byDates.Where(d => ByDateProblem(plan, d) is null)
            .SelectMany(d => new[] { OutcomeMeasures.GoodBy(d), OutcomeMeasures.RequiresImprovementBy(d) }),
    ];

    /// <summary>
    /// Why the probabilities by <paramref name="date"/> cannot be measured: it must fall in the
    /// outcome window, from outcomes_from to the run's last month. Null when it does.
    /// </summary>
    public static string? ByDateProblem(SimulationPlan plan, SimMonth date)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var first = plan.MonthAt(plan.OutcomesFromMonth);
        var last = plan.MonthAt(plan.HorizonMonths - 1);
        if (date > last) return $"{date} is after the run's last month ({last}); give a month from {first} to {last}, or a longer --horizon";
        if (date < first) return $"{date} is before the outcome window, which starts at outcomes_from ({first}); give a month from {first} to {last}";
        return null;
    }

    /// <summary>Runs the baseline and every strategy, then compares. Strategies must not include the baseline.</summary>
    public static async Task<ComparisonResult> RunAsync(ISimulationEngine engine, SimulationPlan plan, IReadOnlyList<Strategy> strategies,
        ComparisonOptions options, IProgress<(string Strategy, RunProgress Progress)>? progress, CancellationToken cancellationToken)
    {
        if (strategies.Any(s => s.Name == Strategy.BaselineName))
            throw new ArgumentException("the baseline is always included; do not pass it", nameof(strategies));
        var all = new List<Strategy> { Strategy.Baseline };
        all.AddRange(strategies);

        using var output = options.OutputDirectory is { } directory ? OutputFolder.Begin(directory, Command, options.ReplaceExisting) : null;
        var staging = output?.Staging;
        if (staging is not null) Directory.CreateDirectory(Path.Combine(staging, StrategiesFolder));

        var outcomes = new List<ReplicaOutcomes>();
        foreach (var strategy in all)
        {
            var strategyPlan = strategy.ApplyTo(plan);
            var collector = new ReplicaOutcomes(strategyPlan);
            var stepProgress = progress is null ? null : new Progress<RunProgress>(p => progress.Report((strategy.Name, p)));
            if (staging is null)
            {
                await engine.RunAsync(strategyPlan, options.Settings, collector, stepProgress, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var request = new RunRequest(strategyPlan, options.ScenarioSha256, options.ScenarioFile, MetricCatalog.All.Select(m => m.Metric).ToList(),
                    PerReplica: false, options.Settings, Path.Combine(staging, StrategiesFolder, strategy.Name),
                    Extra: new Dictionary<string, string> { ["strategy"] = strategy.Name, ["strategy_description"] = strategy.Description },
                    AdditionalSink: collector);
                await RunExecutor.ExecuteAsync(engine, request, stepProgress, cancellationToken).ConfigureAwait(false);
            }
            outcomes.Add(collector);
        }

        var measures = Measures(plan, options.ByDates);
        var rows = Compare(plan, all, outcomes, measures, options.RankBy);
        var result = new ComparisonResult(rows, all.Select(s => s.Name).ToList(), measures);
        if (output is not null)
        {
            Write(output.Staging, result, plan, all, engine, options);
            if (options.BeforeCommit is not null) await options.BeforeCommit(result, output.Staging).ConfigureAwait(false);
            output.Commit();
        }
        return result;
    }

    /// <summary>
    /// Paired comparisons of every strategy with the baseline (index 0) on every measure, per
    /// authority and (with several authorities) across them: probabilities and means averaged
    /// over authorities, costs summed, per replica.
    /// </summary>
    public static IReadOnlyList<ComparisonRow> Compare(SimulationPlan plan, IReadOnlyList<Strategy> strategies, IReadOnlyList<ReplicaOutcomes> outcomes,
        IReadOnlyList<OutcomeMeasure> measures, string rankBy)
    {
        var rows = new List<ComparisonRow>();
        var scopes = plan.Authorities.Select((a, i) => (Code: a.Code, Indices: new[] { i })).ToList();
        if (plan.Authorities.Count > 1) scopes.Add(("all", Enumerable.Range(0, plan.Authorities.Count).ToArray()));
        foreach (var (code, indices) in scopes)
        {
            foreach (var measure in measures)
            {
                var baseline = Aggregate(outcomes[0], indices, measure);
                for (var s = 0; s < strategies.Count; s++)
                {
                    var values = s == 0 ? baseline : Aggregate(outcomes[s], indices, measure);
                    var isMedian = measure.Name.StartsWith("median_", StringComparison.Ordinal);
                    var value = isMedian ? PairedStatistics.Median(values) : values.Average();
                    var baseValue = isMedian ? PairedStatistics.Median(baseline) : baseline.Average();
                    var (difference, low, high) = isMedian
                        ? PairedStatistics.MedianDifference(values, baseline, seed: plan.Seed)
                        : PairedStatistics.MeanDifference(values, baseline);
                    rows.Add(new ComparisonRow(strategies[s].Name, code, measure.Name, measure.Unit, baseValue, value, difference, low, high,
                        PairedStatistics.ShareBetter(values, baseline, measure.Better), 0));
                }
            }
        }
        return Rank(rows, measures, rankBy);
    }

    private static double[] Aggregate(ReplicaOutcomes outcomes, int[] authorities, OutcomeMeasure measure)
    {
        var first = outcomes.Values(authorities[0], measure);
        if (authorities.Length == 1) return first;
        var total = (double[])first.Clone();
        foreach (var a in authorities.Skip(1))
        {
            var values = outcomes.Values(a, measure);
            for (var r = 0; r < total.Length; r++) total[r] += values[r];
        }
        if (measure != OutcomeMeasures.Cost)
            for (var r = 0; r < total.Length; r++) total[r] /= authorities.Length;
        return total;
    }

    /// <summary>Ranks strategies (baseline included) per authority on the rank-by measure, best first.</summary>
    private static IReadOnlyList<ComparisonRow> Rank(List<ComparisonRow> rows, IReadOnlyList<OutcomeMeasure> measures, string rankBy)
    {
        var measure = measures.FirstOrDefault(m => m.Name == rankBy) ?? throw new ArgumentException($"unknown measure to rank by: '{rankBy}'", nameof(rankBy));
        var ranks = new Dictionary<(string Authority, string Strategy), int>();
        foreach (var group in rows.Where(r => r.Measure == measure.Name).GroupBy(r => r.Authority))
        {
            var ordered = measure.Better == Better.Higher ? group.OrderByDescending(r => r.Value) : group.OrderBy(r => r.Value);
            var rank = 1;
            foreach (var row in ordered.ThenBy(r => r.Strategy, StringComparer.Ordinal)) ranks[(row.Authority, row.Strategy)] = rank++;
        }
        return rows.Select(r => r with { Rank = ranks[(r.Authority, r.Strategy)] }).ToList();
    }

    private static void Write(string directory, ComparisonResult result, SimulationPlan plan, IReadOnlyList<Strategy> strategies, ISimulationEngine engine, ComparisonOptions options)
    {
        var csv = new StringBuilder("strategy,authority,measure,unit,baseline,value,difference,ci_low,ci_high,p_beats_baseline,rank\n");
        foreach (var r in result.Rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Strategy},{r.Authority},{r.Measure},{Quote(r.Unit)},{F(r.Baseline)},{F(r.Value)},{F(r.Difference)},{F(r.CiLow)},{F(r.CiHigh)},{F(r.PBeatsBaseline)},{r.Rank}\n");
        File.WriteAllText(Path.Combine(directory, ComparisonCsv), csv.ToString());
        File.WriteAllText(Path.Combine(directory, ComparisonMarkdown), ToMarkdown(plan, result, options.RankBy));

        using (var table = new ParquetTable(Path.Combine(directory, ComparisonParquet),
            [("strategy", typeof(string)), ("authority", typeof(string)), ("measure", typeof(string)), ("unit", typeof(string)),
             ("baseline", typeof(double)), ("value", typeof(double)), ("difference", typeof(double)), ("ci_low", typeof(double)),
             ("ci_high", typeof(double)), ("p_beats_baseline", typeof(double)), ("rank", typeof(int))]))
        {
            foreach (var r in result.Rows)
            {
                table.Add(0, r.Strategy);
                table.Add(1, r.Authority);
                table.Add(2, r.Measure);
                table.Add(3, r.Unit);
                table.Add(4, r.Baseline);
                table.Add(5, r.Value);
                table.Add(6, r.Difference);
                table.Add(7, r.CiLow);
                table.Add(8, r.CiHigh);
                table.Add(9, r.PBeatsBaseline);
                table.Add(10, r.Rank);
                table.EndRow();
            }
        }

        var json = JsonSerializer.Serialize(new
        {
            measures = result.Measures.Select(m => new { name = m.Name, unit = m.Unit, better = m.Better.ToString().ToLowerInvariant(), description = m.Description }),
            rows = result.Rows,
        }, RunManifest.JsonOptions);
        File.WriteAllText(Path.Combine(directory, ComparisonJson), json);

        var manifest = new
        {
            kind = "comparison",
            tool = "sim",
            tool_version = RunExecutor.ToolVersion,
            engine = engine.Name,
            scenario = plan.Name,
            scenario_file = options.ScenarioFile,
            scenario_sha256 = options.ScenarioSha256,
            seed = plan.Seed,
            replicas = plan.Replicas,
            start = plan.Start.ToString(),
            horizon_months = plan.HorizonMonths,
            decision_month = plan.MonthAt(plan.HistoryUntilMonth).ToString(),
            outcomes_from = plan.MonthAt(plan.OutcomesFromMonth).ToString(),
            rank_by = options.RankBy,
            authorities = plan.Authorities.Select(a => a.Code),
            strategies = strategies.Select(s => new
            {
                name = s.Name,
                description = s.Description,
                authorities = s.Authorities,
                parameters = s.Parameters.ToDictionary(p => p.Key, p => p.Value),
                events = s.Events.Select(e => new { e.Template, date = e.Date?.ToString(), offset_months = e.OffsetMonths }),
                commissioners = s.Commissioners.ToString(),
                results = $"{StrategiesFolder}/{s.Name}",
            }),
            created_utc = DateTimeOffset.UtcNow,
            extra = options.Extra,
        };
        File.WriteAllText(Path.Combine(directory, ResultsWriter.ManifestJson), JsonSerializer.Serialize(manifest, ManifestOptions));
    }

    /// <summary>
    /// The comparison as Markdown, per authority: a table of improvement (the probabilities of
    /// requires improvement or better and of good or better by each reporting date and by the end,
    /// and the median months to each), one row per strategy, best first on the rank measure; then a
    /// table of children, workforce and cost. Each cell: value (difference from the baseline
    /// [95% interval]).
    /// </summary>
    public static string ToMarkdown(SimulationPlan plan, ComparisonResult result, string rankBy)
    {
        var md = new StringBuilder();
        var present = result.Rows.Select(r => r.Measure).Distinct().ToHashSet(StringComparer.Ordinal);
        // By-date probabilities sort by date ("p_ri_by_2025-12" < "p_ri_by_end").
        var improvement = present.Where(m => m.StartsWith("p_ri_by_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Concat(present.Where(m => m.StartsWith("p_good_by_", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            .Concat(new[] { "median_months_to_ri", "median_months_to_good" }.Where(present.Contains))
            .ToList();
        var others = SummaryMeasures.Where(m => present.Contains(m) && !improvement.Contains(m)).ToList();
        foreach (var authority in result.Rows.Select(r => r.Authority).Distinct())
        {
            var name = plan.Authorities.FirstOrDefault(a => a.Code == authority)?.Name ?? "All authorities";
            var rows = result.Rows.Where(r => r.Authority == authority).ToList();
            var order = rows.Select(r => r.Strategy).Distinct().OrderBy(s => rows.First(r => r.Strategy == s).Rank).ToList();
            md.Append(CultureInfo.InvariantCulture, $"#### {name}\n\n");
            md.Append(CultureInfo.InvariantCulture, $"{plan.Replicas:N0} paired replicas; ranked on `{rankBy}`. Each cell: value (difference from the baseline [95% interval]). `p_ri_by_X` and `p_good_by_X`: the probability of a full inspection graded requires improvement or better, or good or better, by the end of month X (`end`: by the end of the run); a median one month past the months counted (49 for 48 months of outcomes) means fewer than half of the replicas get there within the run. The last column is the share of replicas in which the strategy beats the baseline on `{rankBy}` (ties count half).\n\n");
            Table(md, rows, order, improvement, rankBy, withRank: true);
            if (others.Count > 0)
            {
                md.Append("Children, workforce and cost over the outcome window (`practice_quality` at the end; `cost` in GBP m):\n\n");
                Table(md, rows, order, others, rankBy, withRank: false);
            }
        }
        return md.ToString();
    }

    private static void Table(StringBuilder md, List<ComparisonRow> rows, List<string> order, List<string> measures, string rankBy, bool withRank)
    {
        md.Append(withRank ? "| rank | strategy | " : "| strategy | ").Append(string.Join(" | ", measures.Select(m => $"`{m}`"))).Append(withRank ? " | beats baseline |\n" : " |\n");
        md.Append(withRank ? "|---:|---|" : "|---|").Append(string.Concat(measures.Select(_ => "---:|"))).Append(withRank ? "---:|\n" : "\n");
        foreach (var strategy in order)
        {
            md.Append(withRank ? $"| {rows.First(r => r.Strategy == strategy).Rank} | {strategy} |" : $"| {strategy} |");
            foreach (var measure in measures)
            {
                var row = rows.FirstOrDefault(r => r.Strategy == strategy && r.Measure == measure);
                md.Append(' ').Append(row is null ? "" : strategy == Strategy.BaselineName ? Short(row.Value) : $"{Short(row.Value)} ({Signed(row.Difference)} [{Signed(row.CiLow)}, {Signed(row.CiHigh)}])").Append(" |");
            }
            if (withRank)
            {
                var ranked = rows.First(r => r.Strategy == strategy && r.Measure == rankBy);
                md.Append(' ').Append(strategy == Strategy.BaselineName ? "" : ranked.PBeatsBaseline.ToString("P0", CultureInfo.InvariantCulture)).Append(" |");
            }
            md.Append('\n');
        }
        md.Append('\n');
    }

    private static string Short(double value) =>
        double.IsNaN(value) ? "" : value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.0" : Math.Abs(value) >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture);

    private static string Signed(double value) => double.IsNaN(value) ? "" : (value >= 0 ? "+" : "") + Short(value);

    /// <summary>Plan JSON conventions (events, enums, snake case), indented for people.</summary>
    private static readonly JsonSerializerOptions ManifestOptions = new(PlanJson.Options) { WriteIndented = true };

    private static string F(double value) => double.IsNaN(value) ? "" : ResultsWriter.Format(value);

    private static string Quote(string text) => text.Contains(',', StringComparison.Ordinal) ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
}
