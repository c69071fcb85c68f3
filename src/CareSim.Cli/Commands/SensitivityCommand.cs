using System.CommandLine;
using System.Globalization;
using System.Text;
using CareSim.Cli.Output;
using CareSim.Engine.Output;
using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.Experiments;
using CareSim.Scenarios;
using Spectre.Console;

namespace CareSim.Cli.Commands;

/// <summary>`sim sensitivity SCENARIO --outcome NAME`: Morris screening of the uncertain parameters.</summary>
public static class SensitivityCommand
{
    private const string Command = "sim sensitivity";

    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "Scenario file (YAML)." };
        var outcome = new Option<string>("--outcome") { Description = "Outcome measure, or several separated by commas (e.g. months_to_good,months_to_ri,cost): all scored on the same runs.", Required = true };
        var authority = new Option<string?>("--authority") { Description = "Authority code (default: the scenario's first)." };
        var trajectories = new Option<int>("--trajectories") { Description = "Morris trajectories (each moves every parameter once).", DefaultValueFactory = _ => 10 };
        var levels = new Option<int>("--levels") { Description = "Grid levels per parameter.", DefaultValueFactory = _ => 4 };
        var replicas = new Option<int>("--replicas") { Description = "Replicas per model evaluation.", DefaultValueFactory = _ => 200 };
        var output = new Option<string?>("--out") { Description = "Directory for sensitivity.csv (e.g. a results directory, so `sim report` shows it)." };
        var force = new Option<bool>("--force") { Description = "Write into a folder holding files sim did not write, replacing only sensitivity.csv (never the project folder)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress or table." };
        var engine = EngineChoice.Option();
        var command = new Command("sensitivity", "Morris screening of the model's uncertain parameters on one outcome.")
        {
            scenario, outcome, authority, trajectories, levels, replicas, output, force, quiet, engine,
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
            var quietRun = parse.GetValue(quiet);
            try
            {
                // Before the model runs, so that a refused folder costs nothing.
                if (parse.GetValue(output) is { } target) OutputFolder.Check(target, Command, parse.GetValue(force));
                await using var running = await EngineChoice.StartAsync(parse.GetValue(engine)!, cancellationToken);
                var lastDecile = -1;
                var rows = await SensitivityAnalysis.RunAsync(running.Engine, plan, chosen, index, parse.GetValue(trajectories), parse.GetValue(levels),
                    new RunSettings(), quietRun ? null : new Progress<(int Done, int Total)>(p =>
                    {
                        var decile = p.Done * 10 / p.Total;
                        if (decile == lastDecile) return;
                        lastDecile = decile;
                        Terminal.Note($"sensitivity: {p.Done}/{p.Total} model runs");
                    }), cancellationToken);
                if (parse.GetValue(output) is { } directory)
                {
                    using var folder = OutputFolder.Begin(directory, Command, parse.GetValue(force));
                    var csv = new StringBuilder("parameter,outcome,mu_star,mu,sigma,low,high,unit\n");
                    foreach (var r in rows)
                        csv.Append(CultureInfo.InvariantCulture, $"{r.Parameter},{r.Outcome},{ResultsWriter.Format(r.MuStar)},{ResultsWriter.Format(r.Mu)},{ResultsWriter.Format(r.Sigma)},{ResultsWriter.Format(r.Low)},{ResultsWriter.Format(r.High)},\"{r.Unit}\"\n");
                    File.WriteAllText(folder.PathOf("sensitivity.csv"), csv.ToString());
                    folder.Commit();
                }
                if (!quietRun)
                {
                    foreach (var measure in chosen)
                    {
                        var table = new Table().Title(Markup.Escape($"What drives {measure.Name} for {plan.Authorities[index].Name}: Morris mu* (change of the outcome across each parameter's uncertain range)"));
                        foreach (var column in new[] { "Parameter", "mu*", "mu", "sigma", "Range" }) table.AddColumn(column);
                        foreach (var r in rows.Where(r => r.Outcome == measure.Name).Take(15))
                            table.AddRow(new Text(r.Parameter), new Text(r.MuStar.ToString("0.###", CultureInfo.InvariantCulture)), new Text(r.Mu.ToString("0.###", CultureInfo.InvariantCulture)),
                                new Text(r.Sigma.ToString("0.###", CultureInfo.InvariantCulture)), new Text($"{r.Low:0.###} - {r.High:0.###}"));
                        Terminal.Console(Console.Out).Write(table);
                    }
                }
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("interrupted: no sensitivity.csv was written");
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
}
