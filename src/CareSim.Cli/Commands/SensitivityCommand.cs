using System.CommandLine;
using System.Globalization;
using CareSim.Cli.Output;
using CareSim.Engine.Output;
using CareSim.Engine.Running;
using CareSim.Experiments;
using CareSim.Scenarios;
using Spectre.Console;

namespace CareSim.Cli.Commands;

/// <summary>`sim sensitivity SCENARIO --outcome NAME`: Morris screening and Sobol indices of the uncertain parameters.</summary>
public static class SensitivityCommand
{
    private const string Command = "sim sensitivity";

    private const string MorrisFile = "sensitivity.csv";
    private const string SobolFile = "sobol.csv";

    /// <summary>
    /// The commands the output folder's marker names for each file: one per method, so that a Sobol
    /// run into a folder does not delete the sensitivity.csv an earlier Morris run wrote there (nor the reverse).
    /// </summary>
    private const string MorrisCommand = Command + " (morris)";
    private const string SobolCommand = Command + " (sobol)";

    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "Scenario file (YAML)." };
        var outcome = new Option<string>("--outcome") { Description = "Outcome measure, or several separated by commas (e.g. months_to_good,months_to_ri,cost): all scored on the same runs.", Required = true };
        var authority = new Option<string?>("--authority") { Description = "Authority code (default: the scenario's first)." };
        var trajectories = new Option<int>("--trajectories") { Description = "Morris trajectories (each moves every parameter once).", DefaultValueFactory = _ => 10 };
        var levels = new Option<int>("--levels") { Description = "Grid levels per parameter.", DefaultValueFactory = _ => 4 };
        var replicas = new Option<int>("--replicas") { Description = "Replicas per model evaluation.", DefaultValueFactory = _ => 200 };
        var method = new Option<string>("--method") { Description = "morris (screening, sensitivity.csv), sobol (variance shares, sobol.csv) or both.", DefaultValueFactory = _ => "morris" };
        var samples = new Option<int>("--samples") { Description = "Sobol base samples N (costs N x (parameters + 2) model runs).", DefaultValueFactory = _ => 32 };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the Sobol 95% intervals.", DefaultValueFactory = _ => SobolAnalysis.DefaultBootstrap };
        var output = new Option<string?>("--out") { Description = "Directory for sensitivity.csv and sobol.csv (e.g. a results directory, so `sim report` shows them)." };
        var force = new Option<bool>("--force") { Description = "Write into a folder holding files sim did not write, replacing only sensitivity.csv and sobol.csv (never the project folder)." };
        var quiet = new Option<bool>("--quiet") { Description = "No cost, progress or tables." };
        var engine = EngineChoice.Option();
        var command = new Command("sensitivity", "Morris screening and Sobol indices of the model's uncertain parameters on outcomes.")
        {
            scenario, outcome, authority, method, trajectories, levels, samples, bootstrap, replicas, output, force, quiet, engine,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var load = ScenarioLoader.Load(parse.GetValue(scenario)!, new ScenarioOverrides(Replicas: parse.GetValue(replicas)));
            if (!ScenarioInput.Report(load) || !ScenarioInput.FitsInMemory(load.Plan!, RunMemory.AllMetrics, perReplica: false))
                return ExitCodes.InvalidInput;
            var plan = load.Plan!;
            var measures = StrategyComparison.Measures(plan, []).Where(m => !m.Name.StartsWith("median_", StringComparison.Ordinal)).ToList();
            var chosen = new List<OutcomeMeasure>();
            foreach (var name in parse.GetValue(outcome)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!OutcomeMeasures.TryFind(name, measures, out var found))
                {
                    Console.Error.WriteLine($"error: --outcome: unknown outcome '{name}'; expected one of: {string.Join(", ", measures.Select(m => m.Name))}");
                    return ExitCodes.InvalidInput;
                }
                chosen.Add(found);
            }
            if (chosen.Count == 0)
            {
                Console.Error.WriteLine("error: --outcome: name at least one outcome");
                return ExitCodes.InvalidInput;
            }
            var code = parse.GetValue(authority) ?? plan.Authorities[0].Code;
            var index = plan.Authorities.ToList().FindIndex(a => a.Code == code);
            if (index < 0)
            {
                Console.Error.WriteLine($"error: --authority: '{code}' is not in the scenario ({string.Join(", ", plan.Authorities.Select(a => a.Code))})");
                return ExitCodes.InvalidInput;
            }
            if (parse.GetValue(trajectories) < 1 || parse.GetValue(levels) < 2)
            {
                Console.Error.WriteLine("error: --trajectories must be at least 1 and --levels at least 2");
                return ExitCodes.InvalidInput;
            }
            var chosenMethod = parse.GetValue(method)!;
            if (chosenMethod is not ("morris" or "sobol" or "both"))
            {
                Console.Error.WriteLine($"error: --method: unknown method '{chosenMethod}'; expected morris, sobol or both");
                return ExitCodes.InvalidInput;
            }
            var (morris, sobol) = (chosenMethod != "sobol", chosenMethod != "morris");
            if (sobol && (parse.GetValue(samples) < 2 || parse.GetValue(bootstrap) < 1))
            {
                Console.Error.WriteLine("error: --samples must be at least 2 and --bootstrap at least 1");
                return ExitCodes.InvalidInput;
            }
            var quietRun = parse.GetValue(quiet);
            var pending = MorrisFile;
            try
            {
                var k = UncertainParameters.All.Count;
                var replicaText = $"{plan.Replicas} replicas each";
                if (!quietRun && morris) Terminal.Note($"morris: {parse.GetValue(trajectories)} trajectories x ({k} parameters + 1) = {parse.GetValue(trajectories) * (k + 1)} model runs, {replicaText}");
                if (!quietRun && sobol) Terminal.Note($"sobol: {parse.GetValue(samples)} samples x ({k} parameters + 2) = {SobolAnalysis.Cost(parse.GetValue(samples), k)} model runs, {replicaText}");
                var directory = parse.GetValue(output);
                // Before the model runs, so that a refused folder costs nothing.
                if (directory is not null) OutputFolder.Check(directory, Command, parse.GetValue(force));
                await using var running = await EngineChoice.StartAsync(parse.GetValue(engine)!, cancellationToken);
                if (morris)
                {
                    pending = MorrisFile;
                    var rows = await SensitivityAnalysis.RunAsync(running.Engine, plan, chosen, index, parse.GetValue(trajectories), parse.GetValue(levels),
                        new RunSettings(), quietRun ? null : Progress("morris"), cancellationToken);
                    if (directory is not null) Write(directory, MorrisCommand, parse.GetValue(force), MorrisFile, SensitivityAnalysis.ToCsv(rows));
                    if (!quietRun)
                        Tables(chosen, plan.Authorities[index].Name, "Morris mu* (change of the outcome across each parameter's uncertain range)", rows, r => r.Outcome,
                            ["Parameter", "mu*", "mu", "sigma", "Range"], r => [r.Parameter, Number(r.MuStar), Number(r.Mu), Number(r.Sigma), $"{r.Low:0.###} - {r.High:0.###}"]);
                }
                if (sobol)
                {
                    pending = SobolFile;
                    var rows = await SobolAnalysis.RunAsync(running.Engine, plan, chosen, index, parse.GetValue(samples), parse.GetValue(bootstrap),
                        new RunSettings(), quietRun ? null : Progress("sobol"), cancellationToken);
                    if (directory is not null) Write(directory, SobolCommand, parse.GetValue(force), SobolFile, SobolAnalysis.ToCsv(rows));
                    if (!quietRun)
                        Tables(chosen, plan.Authorities[index].Name, "Sobol indices (share of its variance; 95% bootstrap intervals)", rows, r => r.Outcome,
                            ["Parameter", "First order (95%)", "Total order (95%)", "Range"],
                            r => [r.Parameter, $"{Number(r.First)} ({Number(r.FirstLow)} to {Number(r.FirstHigh)})", $"{Number(r.Total)} ({Number(r.TotalLow)} to {Number(r.TotalHigh)})", $"{r.Low:0.###} - {r.High:0.###}"]);
                }
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"interrupted: no {pending} was written");
                return ExitCodes.Cancelled;
            }
            catch (OutputRefusedException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    /// <summary>One console table per outcome: its 15 first rows (the most influential).</summary>
    private static void Tables<T>(IEnumerable<OutcomeMeasure> measures, string authority, string what, IReadOnlyList<T> rows, Func<T, string> outcome,
        string[] columns, Func<T, string[]> cells)
    {
        foreach (var measure in measures)
        {
            var table = new Table().Title(Markup.Escape($"What drives {measure.Name} for {authority}: {what}"));
            foreach (var column in columns) table.AddColumn(column);
            foreach (var r in rows.Where(r => outcome(r) == measure.Name).Take(15)) table.AddRow(cells(r).Select(c => new Text(c)).ToArray());
            Terminal.Console(Console.Out).Write(table);
        }
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Progress at every tenth of the runs.</summary>
    private static Progress<(int Done, int Total)> Progress(string method)
    {
        var lastDecile = -1;
        return new Progress<(int Done, int Total)>(p =>
        {
            var decile = p.Done * 10 / p.Total;
            if (decile == lastDecile) return;
            lastDecile = decile;
            Terminal.Note($"{method}: {p.Done}/{p.Total} model runs");
        });
    }

    /// <summary>
    /// Writes one file into <paramref name="directory"/> through an <see cref="OutputFolder"/>: each method's
    /// file is moved into place as soon as it is complete.
    /// </summary>
    private static void Write(string directory, string command, bool force, string name, string content)
    {
        using var folder = OutputFolder.Begin(directory, command, force);
        File.WriteAllText(folder.PathOf(name), content);
        folder.Commit();
    }
}
