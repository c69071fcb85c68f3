using System.CommandLine;
using CareSim.Cli.Output;
using CareSim.Engine.Running;
using CareSim.Model.Outputs;
using CareSim.Scenarios;
using CareSim.Store;
using Npgsql;

namespace CareSim.Cli.Commands;

/// <summary>`sim run SCENARIO`: runs a scenario and writes its results directory.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "Scenario file (YAML)." };
        var replicas = new Option<int?>("--replicas") { Description = "Number of replicas (overrides the scenario)." };
        var seed = new Option<ulong?>("--seed") { Description = "Random seed (overrides the scenario)." };
        var horizon = new Option<int?>("--horizon") { Description = "Months to simulate (overrides the scenario)." };
        var output = new Option<string?>("--out") { Description = "Results directory (default: results/<scenario>-<timestamp>)." };
        var blockSize = new Option<int>("--block-size") { Description = "Replicas per block (grain); never changes the numbers.", DefaultValueFactory = _ => 1000 };
        var engine = EngineChoice.Option();
        var perReplica = new Option<bool>("--per-replica") { Description = "Also write every replica's metrics to replicas.parquet." };
        var force = new Option<bool>("--force") { Description = "Replace the results directory if it exists." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress or headline table." };
        var results = new Option<string?>("--results") { Description = "Also load the results into this PostgreSQL store (Npgsql connection string, e.g. \"Host=localhost;Database=caresim;Username=sim;Password=...\"); see docs/results.md." };
        var runId = new Option<string?>("--run-id") { Description = "The run's id in the store (a GUID; default: a new one). Loading the same id again replaces its rows." };

        var command = new Command("run", "Run a scenario and write its results directory (summary.csv, summary.parquet, outcomes, manifest.json).")
        {
            scenario, replicas, seed, horizon, output, blockSize, engine, perReplica, force, quiet, results, runId,
        };
        blockSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError("--block-size must be at least 1");
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(scenario)!;
            var load = ScenarioLoader.Load(path, new ScenarioOverrides(parse.GetValue(replicas), parse.GetValue(seed), parse.GetValue(horizon)));
            if (!load.IsValid)
            {
                foreach (var error in load.Errors) Console.Error.WriteLine(error);
                return ExitCodes.InvalidInput;
            }
            var plan = load.Plan!;
            var metrics = load.Outputs.Metrics.Select(name => MetricCatalog.TryFind(name, out var info) ? info.Metric : throw new InvalidOperationException(name)).ToList();
            var outDir = parse.GetValue(output) ?? Path.Combine("results", $"{Path.GetFileNameWithoutExtension(path)}-{DateTime.Now:yyyyMMdd-HHmmss}");
            var id = Guid.NewGuid();
            if (parse.GetValue(runId) is { } idText && !Guid.TryParse(idText, out id))
            {
                Console.Error.WriteLine($"error: --run-id: '{idText}' is not a GUID");
                return ExitCodes.InvalidInput;
            }
            await using var store = await StoreOption.OpenAsync(parse.GetValue(results), cancellationToken);
            if (store.Failed) return store.ExitCode;
            var publisher = store.Store is null ? null : new StoreOption.TrackingPublisher(new PostgresResultsPublisher(store.Store, id, load.SourceText));
            var request = new RunRequest(plan, load.Sha256, Path.GetFullPath(path), metrics,
                parse.GetValue(perReplica) || load.Outputs.PerReplica,
                new RunSettings(BlockSize: parse.GetValue(blockSize)), outDir, parse.GetValue(force),
                Extra: publisher is null ? null : new Dictionary<string, string> { ["run_id"] = id.ToString("N") },
                Publishers: publisher is null ? null : [publisher]);
            var isQuiet = parse.GetValue(quiet);
            await using var running = await EngineChoice.StartAsync(parse.GetValue(engine)!, cancellationToken);
            try
            {
                var simulationEngine = running.Engine;
                var title = $"{plan.Name}: {plan.Replicas:N0} replicas x {plan.HorizonMonths} months";
                var result = isQuiet
                    ? await RunExecutor.ExecuteAsync(simulationEngine, request, null, cancellationToken)
                    : await ProgressDisplay.RunAsync(title, progress => RunExecutor.ExecuteAsync(simulationEngine, request, progress, cancellationToken));
                if (!isQuiet)
                {
                    HeadlineTable.Write(plan, result, Console.Out);
                    Console.Out.WriteLine($"Results: {Path.GetFullPath(outDir)} ({result.Manifest.Timings.TotalSeconds:0.00} s)");
                    if (publisher is not null) Console.Out.WriteLine($"Stored as run {id:N} in database {store.Store!.Database}");
                }
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine(publisher is { Started: true }
                    ? $"interrupted: results written to {Path.GetFullPath(outDir)} but not stored (the store is unchanged)"
                    : "interrupted: no results were written");
                return ExitCodes.Cancelled;
            }
            catch (Exception e) when (publisher is { Started: true } && e is NpgsqlException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: results written to {Path.GetFullPath(outDir)} but not stored: {e.Message}");
                return ExitCodes.Failed;
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }
}
