using System.CommandLine;
using CareSim.Cli.Output;
using System.Globalization;
using System.Text;
using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.Experiments;
using CareSim.Model.Plan;
using CareSim.Model.Time;
using CareSim.Scenarios;
using Spectre.Console;

namespace CareSim.Cli.Commands;

/// <summary>`sim compare SCENARIO --strategies a,b,c`: strategies against the baseline with common random numbers.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "Scenario file (YAML)." };
        var strategies = new Option<string>("--strategies") { Description = "Comma-separated strategy names, or 'all'. The baseline (the scenario as it is) is always included.", Required = true };
        var strategiesFile = new Option<string?>("--strategies-file") { Description = "A strategies file (default: strategies.yaml beside the scenario, if present)." };
        var replicas = new Option<int?>("--replicas") { Description = "Replicas per strategy (overrides the scenario)." };
        var seed = new Option<ulong?>("--seed") { Description = "Random seed (overrides the scenario)." };
        var horizon = new Option<int?>("--horizon") { Description = "Months to simulate (overrides the scenario)." };
        var output = new Option<string?>("--out") { Description = "Comparison directory (default: results/<scenario>-compare-<timestamp>)." };
        var by = new Option<string?>("--by") { Description = "Comma-separated months (YYYY-MM) at which to report the probability of good / requires improvement or better." };
        var rankBy = new Option<string>("--rank-by") { Description = "Measure to rank strategies on.", DefaultValueFactory = _ => OutcomeMeasures.PGood.Name };
        var worlds = new Option<int>("--worlds") { Description = "Also sample this many worlds of the uncertain parameters (Latin hypercube) and report each strategy's regret.", DefaultValueFactory = _ => 0 };
        var worldReplicas = new Option<int>("--world-replicas") { Description = "Replicas per world and strategy for --worlds.", DefaultValueFactory = _ => 200 };
        var blockSize = new Option<int>("--block-size") { Description = "Replicas per block (grain).", DefaultValueFactory = _ => 1000 };
        var force = new Option<bool>("--force") { Description = "Write into a folder holding files sim did not write, replacing only the files sim compare writes (never the project folder)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress or table." };
        var engine = EngineChoice.Option();
        var format = ResultFormats.Option("the comparison (json and csv: every row of comparison.csv)");
        var command = new Command("compare", "Compare strategies with the baseline under common random numbers: paired differences with 95% intervals, probability of beating the baseline, ranks; optionally regret across sampled worlds.")
        {
            scenario, strategies, strategiesFile, replicas, seed, horizon, output, by, rankBy, worlds, worldReplicas, blockSize, force, quiet, engine, format,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(scenario)!;
            var load = ScenarioLoader.Load(path, new ScenarioOverrides(parse.GetValue(replicas), parse.GetValue(seed), parse.GetValue(horizon)));
            if (!ScenarioInput.Report(load)) return ExitCodes.InvalidInput;
            var plan = load.Plan!;

            var defined = load.Strategies.ToList();
            var file = parse.GetValue(strategiesFile) ?? DefaultStrategiesFile(path);
            if (file is not null)
            {
                var fromFile = ScenarioLoader.LoadStrategies(file, plan, defined.Select(s => s.Name));
                if (!fromFile.IsValid)
                {
                    foreach (var error in fromFile.Errors) Terminal.Error(error.ToString());
                    return ExitCodes.InvalidInput;
                }
                defined.AddRange(fromFile.Strategies);
            }
            var chosen = StrategyChoice.Choose(parse.GetValue(strategies)!, defined, out var problem);
            if (chosen is null)
            {
                System.Console.Error.WriteLine($"error: --strategies: {problem}");
                return ExitCodes.InvalidInput;
            }

            foreach (var strategy in chosen)
                foreach (var late in strategy.Events.Select(e => e.MonthIn(plan)).Where(m => m >= plan.HorizonMonths))
                    System.Console.Error.WriteLine($"warning: strategy '{strategy.Name}': an event at {plan.MonthAt(late)} is after the end of the run ({plan.MonthAt(plan.HorizonMonths - 1)}) and is not simulated");

            var dates = new List<SimMonth>();
            foreach (var text in (parse.GetValue(by) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!SimMonth.TryParse(text, out var month))
                {
                    System.Console.Error.WriteLine($"error: --by: '{text}' is not a month (expected YYYY-MM)");
                    return ExitCodes.InvalidInput;
                }
                if (StrategyComparison.ByDateProblem(plan, month) is { } outside)
                {
                    System.Console.Error.WriteLine($"error: --by: {outside}");
                    return ExitCodes.InvalidInput;
                }
                dates.Add(month);
            }
            var measures = StrategyComparison.Measures(plan, dates);
            if (!OutcomeMeasures.TryFind(parse.GetValue(rankBy)!, measures, out _))
            {
                System.Console.Error.WriteLine($"error: --rank-by: unknown measure '{parse.GetValue(rankBy)}'; expected one of: {string.Join(", ", measures.Select(m => m.Name))}");
                return ExitCodes.InvalidInput;
            }
            if (parse.GetValue(worlds) < 0 || parse.GetValue(worldReplicas) < 1 || parse.GetValue(blockSize) < 1)
            {
                System.Console.Error.WriteLine("error: --worlds must be at least 0, --world-replicas and --block-size at least 1");
                return ExitCodes.InvalidInput;
            }

            // The runs go one at a time; each strategy's outcome measures are kept for the comparison.
            if (!ScenarioInput.FitsInMemory(plan, RunMemory.AllMetrics, perReplica: false, keptRuns: chosen.Count + 1)
                || (parse.GetValue(worlds) > 0 && !ScenarioInput.FitsInMemory(plan with { Replicas = parse.GetValue(worldReplicas) }, RunMemory.AllMetrics,
                    perReplica: false, keptRuns: chosen.Count + 1, replicasOption: "--world-replicas")))
                return ExitCodes.InvalidInput;

            var outDir = parse.GetValue(output) ?? Path.Combine("results", $"{Path.GetFileNameWithoutExtension(path)}-compare-{DateTime.Now:yyyyMMdd-HHmmss}");
            var settings = new RunSettings(BlockSize: parse.GetValue(blockSize));
            var isQuiet = parse.GetValue(quiet);
            try
            {
                await using var running = await EngineChoice.StartAsync(parse.GetValue(engine)!, cancellationToken);
                var worldCount = parse.GetValue(worlds);
                var resultFormat = ResultFormats.Parse(parse.GetValue(format));
                var options = new ComparisonOptions
                {
                    Settings = settings,
                    OutputDirectory = outDir,
                    ReplaceExisting = parse.GetValue(force),
                    ScenarioSha256 = load.Sha256,
                    ScenarioFile = Path.GetFullPath(path),
                    ByDates = dates,
                    RankBy = parse.GetValue(rankBy)!,
                    // The tables print before the worlds are sampled; their files join the comparison before it is moved into place.
                    BeforeCommit = async (result, staging) =>
                    {
                        if (!isQuiet) WriteTable(plan, result, parse.GetValue(rankBy)!, resultFormat, System.Console.Out);
                        if (worldCount <= 0) return;
                        var measure = measures.First(m => m.Name == parse.GetValue(rankBy));
                        var robustness = await RobustnessAnalysis.RunAsync(running.Engine, plan, chosen, worldCount, parse.GetValue(worldReplicas), measure, settings,
                            isQuiet ? null : new Progress<int>(w => Terminal.Note($"worlds: {w}/{worldCount}")), cancellationToken);
                        RobustnessAnalysis.WriteFiles(staging, robustness);
                        var markdown = Path.Combine(staging, StrategyComparison.ComparisonMarkdown);
                        File.AppendAllText(markdown, RobustnessAnalysis.ToMarkdown(robustness, measure, parse.GetValue(worldReplicas)));
                        if (!isQuiet && resultFormat == ResultFormat.Table) WriteRegretTable(robustness, measure, System.Console.Out);
                    },
                };
                IProgress<(string, RunProgress)>? progress = isQuiet ? null : new StrategyProgress(chosen.Count + 1);
                await StrategyComparison.RunAsync(running.Engine, plan, chosen, options, progress, cancellationToken);
                if (!isQuiet) Terminal.Note($"Comparison: {Path.GetFullPath(outDir)}");
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException)
            {
                System.Console.Error.WriteLine("interrupted: no comparison was written");
                return ExitCodes.Cancelled;
            }
            catch (IOException e)
            {
                System.Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    private static string? DefaultStrategiesFile(string scenarioPath)
    {
        var candidate = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(scenarioPath))!, "strategies.yaml");
        return File.Exists(candidate) ? candidate : null;
    }

    /// <summary>The key measures, in two tables of four so that each fits 80 columns.</summary>
    private static readonly (string Title, (string Measure, string Header)[] Columns)[] TableMeasures =
    [
        ("outcomes", [("p_good_by_end", "P(good)"), ("p_ri_by_end", "P(RI+)"), ("median_months_to_ri", "Months to RI"), ("practice_quality", "Quality")]),
        ("workforce, demand and cost", [("rereferral_rate", "Re-referral"), ("turnover_rate", "Turnover"), ("agency_rate", "Agency"), ("cost", "Cost")]),
    ];

    private static readonly string[] Columns = ["strategy", "authority", "measure", "unit", "baseline", "value", "difference", "ci_low", "ci_high", "p_beats_baseline", "rank"];

    /// <summary>
    /// Per authority, tables that fit 80 columns: the strategies ranked on the rank measure (difference from the baseline,
    /// its 95% interval, share of replicas better), then the key measures (the baseline's values, each strategy's difference).
    /// As json or csv: every row of comparison.csv.
    /// </summary>
    private static void WriteTable(SimulationPlan plan, ComparisonResult result, string rankBy, ResultFormat format, TextWriter output)
    {
        if (format != ResultFormat.Table)
        {
            ResultFormats.Write(format, Columns, result.Rows.Select(r => new object?[]
            {
                r.Strategy, r.Authority, r.Measure, r.Unit, r.Baseline, r.Value, r.Difference, r.CiLow, r.CiHigh, r.PBeatsBaseline, r.Rank,
            }), output);
            return;
        }
        var console = Terminal.Console(output);
        foreach (var authority in result.Rows.Select(r => r.Authority).Distinct())
        {
            var name = plan.Authorities.FirstOrDefault(a => a.Code == authority)?.Name ?? "all authorities";
            var rows = result.Rows.Where(r => r.Authority == authority).ToList();
            var strategies = rows.Select(r => r.Strategy).Distinct().OrderBy(s => rows.First(r => r.Strategy == s).Rank).ToList();

            var ranking = new Table().Title(Markup.Escape($"{name}: strategies ranked on {rankBy}, {plan.Replicas:N0} paired replicas"));
            ranking.AddColumn(new TableColumn("#").RightAligned());
            ranking.AddColumn("Strategy");
            foreach (var column in new[] { "Value", "Diff.", "95% CI", "Better" }) ranking.AddColumn(new TableColumn(column).RightAligned());
            foreach (var strategy in strategies)
            {
                var ranked = rows.First(r => r.Strategy == strategy && r.Measure == rankBy);
                var isBaseline = strategy == Strategy.BaselineName;
                ranking.AddRow(Cells(ranked.Rank.ToString(CultureInfo.InvariantCulture), strategy, F(ranked.Value), isBaseline ? "" : Signed(ranked.Difference),
                    isBaseline ? "" : $"[{Signed(ranked.CiLow)}, {Signed(ranked.CiHigh)}]", isBaseline ? "" : Terminal.Percent(ranked.PBeatsBaseline)));
            }
            ranking.Caption("Diff.: difference from the baseline, with its 95% CI; better: the share of paired replicas in which the strategy beats the baseline.");
            console.Write(ranking);

            foreach (var (title, columns) in TableMeasures)
            {
                var measures = new Table().Title(Markup.Escape($"{name}, {title}: the baseline's values, each strategy's difference"));
                measures.AddColumn("Strategy");
                foreach (var (_, header) in columns) measures.AddColumn(new TableColumn(header).RightAligned());
                foreach (var strategy in strategies)
                {
                    var cells = new List<string> { strategy };
                    foreach (var (m, _) in columns)
                    {
                        var row = rows.FirstOrDefault(r => r.Strategy == strategy && r.Measure == m);
                        cells.Add(row is null ? "" : strategy == Strategy.BaselineName ? F(row.Value) : Signed(row.Difference));
                    }
                    measures.AddRow(Cells([.. cells]));
                }
                measures.Caption(Markup.Escape("Measures: " + string.Join(", ", columns.Select(c => c.Measure)) + "."));
                console.Write(measures);
            }
        }
        console.WriteLine("Every measure with 95% intervals and the share of replicas in which each strategy beats the baseline: comparison.csv.");
    }

    private static Spectre.Console.Rendering.IRenderable[] Cells(params string[] texts) => texts.Select(t => new Text(t)).ToArray<Spectre.Console.Rendering.IRenderable>();

    private static void WriteRegretTable(RobustnessResult robustness, OutcomeMeasure measure, TextWriter output)
    {
        var console = Terminal.Console(output);
        var table = new Table().Title(Markup.Escape($"Regret on {measure.Name} across {robustness.Worlds.Count} sampled worlds of the uncertain parameters"));
        var authorities = robustness.Regret.Select(r => r.Authority).Distinct().Count();
        if (authorities > 1) table.AddColumn("Authority");
        table.AddColumn("Strategy");
        foreach (var column in new[] { "Value", "Regret", "Max regret", "Best in" }) table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var row in robustness.Regret.OrderBy(r => r.Authority).ThenBy(r => r.MaxRegret))
        {
            string[] cells = [row.Strategy, F(row.MeanValue), F(row.MeanRegret), F(row.MaxRegret), Terminal.Percent(row.ShareBest)];
            table.AddRow(Cells(authorities > 1 ? [row.Authority, .. cells] : cells));
        }
        table.Caption("Value and regret: the means over the worlds; best in: the share of worlds in which the strategy is best.");
        console.Write(table);
    }

    private static string F(double value) => double.IsNaN(value) ? "-" : value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 1 ? "0.0" : "0.000", CultureInfo.InvariantCulture);

    private static string Signed(double value) => (value >= 0 ? "+" : "") + F(value);

    /// <summary>Plain progress lines: one per strategy as it completes.</summary>
    private sealed class StrategyProgress(int total) : IProgress<(string Strategy, RunProgress Progress)>
    {
        private int _done;

        public void Report((string Strategy, RunProgress Progress) value)
        {
            if (value.Progress.MonthsDone != value.Progress.MonthsTotal) return;
            _done++;
            Terminal.Note($"strategy {value.Strategy}: done ({_done}/{total}, {value.Progress.Elapsed.TotalSeconds:0.0} s)");
        }
    }
}
