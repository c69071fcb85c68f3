using System.CommandLine;
using System.Text.Json;
using CareSim.Cli.Output;
using CareSim.Engine.Output;
using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.Grains.Abstractions;
using CareSim.Grains.Runner;
using CareSim.Host;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Scenarios;
using CareSim.Store;
using Npgsql;

namespace CareSim.Cli.Commands;

/// <summary>`sim run SCENARIO`: runs a scenario and writes its results directory (embedded, or on a cluster with --cluster; --resume continues a cluster run).</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string?>("scenario") { Description = "Scenario file (YAML); not with --resume.", Arity = ArgumentArity.ZeroOrOne };
        var replicas = new Option<int?>("--replicas") { Description = "Number of replicas (overrides the scenario)." };
        var seed = new Option<ulong?>("--seed") { Description = "Random seed (overrides the scenario)." };
        var horizon = new Option<int?>("--horizon") { Description = "Months to simulate (overrides the scenario)." };
        var output = new Option<string?>("--out") { Description = "Results directory (default: results/<scenario>-<timestamp>)." };
        var blockSize = new Option<int>("--block-size") { Description = "Replicas per block (grain); never changes the numbers.", DefaultValueFactory = _ => 1000 };
        var engine = EngineChoice.Option();
        var perReplica = new Option<bool>("--per-replica") { Description = "Also write every replica's metrics to replicas.parquet." };
        var force = new Option<bool>("--force") { Description = "Write into a folder holding files sim did not write, replacing only the results files (never the project folder)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress or headline table." };
        var results = new Option<string?>("--results") { Description = "Also load the results into this PostgreSQL store (Npgsql connection string, e.g. \"Host=localhost;Database=caresim;Username=sim;Password=...\"; or the CareSim:ResultsConnectionString setting); see docs/results.md." };
        var runId = new Option<string?>("--run-id") { Description = "The run's id (a GUID; default: a new one): its id in the store and, with --cluster, its grains' and checkpoints'. Loading the same id again replaces its rows." };
        var cluster = new Option<bool>("--cluster") { Description = "Run on the cluster named by the CareSim:Cluster settings (--config file or environment) instead of an embedded silo; the run checkpoints and survives a lost silo (docs/cluster.md)." };
        var config = ClusterOptions.ConfigOption();
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Months between checkpoints (0: none; default: the CareSim:Cluster:CheckpointEveryMonths setting, 12). With --cluster only." };
        var resume = new Option<string?>("--resume") { Description = "Continue the cluster run RUN_ID from its last checkpoint (after the client stopped); writes the results directory it was started with. Implies --cluster." };
        var format = ResultFormats.Option("the headline results");
        var top = new Option<int?>("--top") { Description = "With several authorities: only the first N rows of the league table (default: all)." };

        var command = new Command("run", "Run a scenario and write its results directory (summary.csv, summary.parquet, outcomes, manifest.json).")
        {
            scenario, replicas, seed, horizon, output, blockSize, engine, perReplica, force, quiet, results, runId, cluster, config, checkpointEvery, resume, format, top,
        };
        top.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() < 1) result.AddError("--top must be at least 1");
        });
        blockSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError("--block-size must be at least 1");
        });
        checkpointEvery.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() < 0) result.AddError("--checkpoint-every must be 0 or more");
        });
        command.Validators.Add(result =>
        {
            var resuming = result.GetValue(resume) is not null;
            if (resuming && result.GetValue(scenario) is not null) result.AddError("give a scenario or --resume RUN_ID, not both");
            if (!resuming && result.GetValue(scenario) is null) result.AddError("a scenario file is required (or --resume RUN_ID)");
            if (resuming && (result.GetValue(replicas) is not null || result.GetValue(seed) is not null || result.GetValue(horizon) is not null || result.GetValue(runId) is not null))
                result.AddError("--resume continues a run as it was started: --replicas, --seed, --horizon and --run-id cannot change it");
            var onCluster = resuming || result.GetValue(cluster);
            if (onCluster && result.GetValue(engine) == "reference") result.AddError("--cluster runs the grain engine; --engine reference runs without Orleans");
            if (!onCluster && result.GetValue(checkpointEvery) is not null) result.AddError("--checkpoint-every needs --cluster");
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Invocation(
                parse.GetValue(output), parse.GetValue(blockSize), parse.GetValue(engine)!, parse.GetValue(perReplica), parse.GetValue(force),
                parse.GetValue(quiet), parse.GetValue(results), parse.GetValue(cluster), parse.GetValue(config), parse.GetValue(checkpointEvery),
                ResultFormats.Parse(parse.GetValue(format)), parse.GetValue(top));
            if (parse.GetValue(resume) is { } resumeId) return await Interruptible(() => ResumeAsync(resumeId, settings, cancellationToken), cancellationToken);

            var path = parse.GetValue(scenario)!;
            // The embedded silo starts while the scenario is read and checked, on the other core: it
            // takes longer than both. Bad input leaves it behind, started for nothing.
            var starting = settings.Cluster ? null : EngineChoice.StartBeside(settings.Engine, cancellationToken);
            var load = ScenarioLoader.Load(path, new ScenarioOverrides(parse.GetValue(replicas), parse.GetValue(seed), parse.GetValue(horizon)));
            PhaseLog.Mark("scenario loaded");
            if (!ScenarioInput.Report(load)
                || !ScenarioInput.FitsInMemory(load.Plan!, load.Outputs.Metrics.Count, settings.PerReplica || load.Outputs.PerReplica))
                return EngineChoice.Abandon(starting, ExitCodes.InvalidInput);
            var id = Guid.NewGuid();
            if (parse.GetValue(runId) is { } idText && !Guid.TryParse(idText, out id))
            {
                Console.Error.WriteLine($"error: --run-id: '{idText}' is not a GUID");
                return EngineChoice.Abandon(starting, ExitCodes.InvalidInput);
            }
            var started = new StartedRun(
                load.Plan!.Name, load.Sha256, Path.GetFullPath(path), load.SourceText, load.Outputs.Metrics.ToList(),
                settings.PerReplica || load.Outputs.PerReplica,
                Path.GetFullPath(settings.Output ?? Path.Combine("results", $"{Path.GetFileNameWithoutExtension(path)}-{DateTime.Now:yyyyMMdd-HHmmss}")),
                settings.Force, settings.BlockSize);
            try
            {
                // Before an engine starts, so that a refused folder costs nothing.
                OutputFolder.Check(started.OutputDirectory, "sim run", started.Force);
            }
            catch (OutputRefusedException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return EngineChoice.Abandon(starting, ExitCodes.InvalidInput);
            }
            return await Interruptible(() => RunAsync(load.Plan!, started, id, journal: null, settings, starting, cancellationToken), cancellationToken);
        });
        return command;
    }

    /// <summary>A run interrupted before it started writing (while its engine or cluster connection starts): exit 130.</summary>
    private static async Task<int> Interruptible(Func<Task<int>> run, CancellationToken cancellationToken)
    {
        try
        {
            return await run();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Terminal.Note("interrupted: no results were written");
            return ExitCodes.Cancelled;
        }
        catch (OperationCanceledException e)
        {
            // Not the user's: a cluster call that Orleans gave up on (e.g. the cluster was lost while connecting).
            await Console.Error.WriteLineAsync($"error: {e.Message.Split('\n')[0].TrimEnd()}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>What the command line asked for, besides the scenario.</summary>
    private sealed record Invocation(string? Output, int BlockSize, string Engine, bool PerReplica, bool Force, bool Quiet, string? Results, bool Cluster, string? Config, int? CheckpointEvery,
        ResultFormat Format, int? Top);

    /// <summary>What a run was started with: stored with a cluster run, so that --resume can write the same results.</summary>
    private sealed record StartedRun(string Scenario, string ScenarioSha256, string ScenarioFile, string ScenarioYaml, List<string> Metrics, bool PerReplica, string OutputDirectory, bool Force, int BlockSize);

    private static async Task<int> ResumeAsync(string runIdText, Invocation invocation, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(runIdText, out var id))
        {
            await Console.Error.WriteLineAsync($"error: --resume: '{runIdText}' is not a run id (a GUID)");
            return ExitCodes.InvalidInput;
        }
        if (ClusterOptions.Read(invocation.Config) is not var (configuration, cluster)) return ExitCodes.InvalidInput;
        if (!cluster.IsCluster)
        {
            await Console.Error.WriteLineAsync($"error: --resume needs the cluster the run was started on: set {ClusterSettings.Section}:Clustering=Redis and {ClusterSettings.Section}:Redis (docs/cluster.md)");
            return ExitCodes.InvalidInput;
        }
        await using var connection = await ConnectAsync(cluster, id, cancellationToken);
        if (connection is null) return ExitCodes.Failed;
        StoredRun? stored;
        try
        {
            stored = await StoredRuns.LoadAsync(connection.Client, id.ToString("N"));
        }
        catch (InvalidDataException e)
        {
            await Console.Error.WriteLineAsync($"error: --resume: {e.Message}");
            await Console.Error.WriteLineAsync(LostCheckpoints);
            return ExitCodes.Failed;
        }
        if (stored is null)
        {
            await Console.Error.WriteLineAsync($"error: --resume: cluster '{cluster.ClusterId}' has no stored run {id:N} (it completed, never reached a checkpoint, was started elsewhere, or expired)");
            return ExitCodes.InvalidInput;
        }
        var started = stored.Definition.ClientState is { } state ? JsonSerializer.Deserialize<StartedRun>(state) : null;
        if (started is null)
        {
            await Console.Error.WriteLineAsync($"error: --resume: run {id:N} was not started by `sim run` (nothing records its results directory)");
            return ExitCodes.InvalidInput;
        }
        if (started.PerReplica)
        {
            await Console.Error.WriteLineAsync($"error: --resume: run {id:N} writes every replica's metrics (--per-replica), which are not kept with its checkpoints; run it again instead");
            return ExitCodes.InvalidInput;
        }
        if (!ScenarioInput.FitsInMemory(stored.Plan, started.Metrics.Count, started.PerReplica)) return ExitCodes.InvalidInput;
        if (invocation.Output is { } output) started = started with { OutputDirectory = Path.GetFullPath(output) };
        if (!invocation.Quiet) await Console.Error.WriteLineAsync($"Resuming run {id:N} ({started.Scenario}) from month {stored.CommittedMonth} of {stored.Plan.HorizonMonths}");
        // What the first client was writing when it was killed is of no use now.
        if (ResultsWriter.RemoveAbandonedStaging(started.OutputDirectory) is > 0 and var removed && !invocation.Quiet)
            await Console.Error.WriteLineAsync($"Removed {removed} unfinished results folder(s) the stopped client left beside {started.OutputDirectory}");
        var journal = new SummaryJournal(stored.Months);
        return await RunOnClusterAsync(connection, cluster, configuration, stored.Plan, started, id, journal, resume: true,
            invocation with { Force = invocation.Force || started.Force, CheckpointEvery = stored.Definition.CheckpointEveryMonths }, cancellationToken);
    }

    private static async Task<int> RunAsync(SimulationPlan plan, StartedRun started, Guid id, SummaryJournal? journal, Invocation invocation,
        Task<RunningEngine>? starting, CancellationToken cancellationToken)
    {
        if (!invocation.Cluster)
        {
            await using var running = await (starting ?? EngineChoice.StartAsync(invocation.Engine, cancellationToken));
            return await ExecuteAsync(running.Engine, plan, started, id, journal, ClusterOptions.ResultsConnection(invocation.Results, EmptyConfiguration), invocation, cancellationToken);
        }
        if (ClusterOptions.Read(invocation.Config) is not var (configuration, cluster)) return ExitCodes.InvalidInput;
        if (!cluster.IsCluster)
        {
            await Console.Error.WriteLineAsync($"error: --cluster: no cluster configured: set {ClusterSettings.Section}:Clustering=Redis and {ClusterSettings.Section}:Redis (environment variables CareSim__Cluster__Clustering and CareSim__Cluster__Redis, or a --config file); see docs/cluster.md");
            return ExitCodes.InvalidInput;
        }
        await using var connection = await ConnectAsync(cluster, id, cancellationToken);
        if (connection is null) return ExitCodes.Failed;
        return await RunOnClusterAsync(connection, cluster, configuration, plan, started, id, journal, resume: false, invocation, cancellationToken);
    }

    /// <summary>What to do about a run whose stored checkpoints are gone.</summary>
    private const string LostCheckpoints =
        "The run cannot go on from its checkpoints: run the scenario again (same seed, same results). "
        + "Checkpoints outlive a Redis restart only with Redis persistence on (appendonly yes; docs/cluster.md, \"Redis\").";

    private static readonly Microsoft.Extensions.Configuration.IConfiguration EmptyConfiguration =
        new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();

    /// <summary>Where a cluster run's client writes Orleans' own messages (warnings about lost silos and the like), off the terminal.</summary>
    private static string ClientLog(Guid id) => Path.Combine(Path.GetTempPath(), "caresim", "logs", $"run-{id:N}.log");

    private static async Task<ClusterConnection?> ConnectAsync(ClusterSettings cluster, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            return await ClusterHosts.ConnectAsync(cluster, cancellationToken, ClientLog(id));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"error: cannot connect to cluster '{cluster.ClusterId}' through Redis {cluster.Redis}: {e.Message}");
            return null;
        }
    }

    private static async Task<int> RunOnClusterAsync(ClusterConnection connection, ClusterSettings cluster, Microsoft.Extensions.Configuration.IConfiguration configuration,
        SimulationPlan plan, StartedRun started, Guid id, SummaryJournal? journal, bool resume, Invocation invocation, CancellationToken cancellationToken)
    {
        var every = invocation.CheckpointEvery ?? cluster.CheckpointEveryMonths;
        var runId = id.ToString("N");
        var engine = new GrainEngine(connection.Client, new GrainRunOptions
        {
            RunId = runId,
            CheckpointEveryMonths = every,
            Resume = resume,
            RecoveryTimeout = cluster.RecoveryTimeout,
            // Keeping the summaries lets another client resume the run; a run writing every replica's metrics cannot be resumed anyway.
            Journal = every > 0 && !started.PerReplica ? journal ?? new SummaryJournal() : null,
            ClientState = JsonSerializer.Serialize(started),
            Notice = Terminal.Note,
        });
        if (!resume && !invocation.Quiet)
            await Console.Error.WriteLineAsync($"Run {runId} on cluster '{cluster.ClusterId}'" + (every > 0 ? $", checkpoints every {every} months (resume with: sim run --cluster --resume {runId})" : ", no checkpoints"));
        var interrupted = engine.Options.Journal is null ? null : $"the run's checkpoints are kept on the cluster: continue it with `sim run --resume {runId}`";
        try
        {
            return await ExecuteAsync(engine, plan, started, id, engine.Options.Journal, ClusterOptions.ResultsConnection(invocation.Results, configuration), invocation, cancellationToken, interrupted,
                firstMonth: resume ? journal?.Restored.Count ?? 0 : 0);
        }
        finally
        {
            if (connection.Log is { Lines: > 0 } log) Terminal.Note($"Orleans' messages of this run (warnings about lost silos and the like): {log.Path}");
        }
    }

    private static async Task<int> ExecuteAsync(ISimulationEngine engine, SimulationPlan plan, StartedRun started, Guid id, SummaryJournal? journal, string? resultsConnection, Invocation invocation,
        CancellationToken cancellationToken, string? whenInterrupted = null, int firstMonth = 0)
    {
        var metrics = started.Metrics.Select(name => MetricCatalog.TryFind(name, out var info) ? info.Metric : throw new InvalidOperationException(name)).ToList();
        var outDir = started.OutputDirectory;
        await using var store = await StoreOption.OpenAsync(resultsConnection, cancellationToken);
        if (store.Failed) return store.ExitCode;
        var publisher = store.Store is null ? null : new StoreOption.TrackingPublisher(new PostgresResultsPublisher(store.Store, id, started.ScenarioYaml));
        var request = new RunRequest(plan, started.ScenarioSha256, started.ScenarioFile, metrics, started.PerReplica,
            new RunSettings(BlockSize: started.BlockSize), outDir, started.Force,
            Extra: new Dictionary<string, string> { ["run_id"] = id.ToString("N") },
            Publishers: publisher is null ? null : [publisher],
            Journal: journal);
        var isQuiet = invocation.Quiet;
        try
        {
            var title = $"{plan.Name}: {plan.Replicas:N0} replicas x {plan.HorizonMonths} months";
            var result = isQuiet
                ? await RunExecutor.ExecuteAsync(engine, request, null, cancellationToken)
                : await ProgressDisplay.RunAsync(title, progress => RunExecutor.ExecuteAsync(engine, request, progress, cancellationToken), firstMonth);
            if (!isQuiet)
            {
                HeadlineTable.Write(plan, result, invocation.Format, invocation.Top, Console.Out);
                Terminal.Note($"Results: {outDir} ({result.Manifest.Timings.TotalSeconds:0.00} s)");
                if (publisher is not null) Terminal.Note($"Stored as run {id:N} in database {store.Store!.Database}");
            }
            return ExitCodes.Ok;
        }
        // Only the user's own cancellation (Ctrl+C, SIGTERM) is an interruption; Orleans cancels calls
        // of its own (a message that expired before it was placed), which are lost contact, below.
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine(publisher is { Started: true }
                ? $"interrupted: results written to {outDir} but not stored (the store is unchanged)"
                : "interrupted: no results were written");
            if (whenInterrupted is not null) Console.Error.WriteLine(whenInterrupted);
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (publisher is { Started: true } && e is NpgsqlException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: results written to {outDir} but not stored: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (RunTakenOverException e)
        {
            Console.Error.WriteLine($"error: {e.Message}; this client stops");
            return ExitCodes.Failed;
        }
        catch (CheckpointMissingException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(LostCheckpoints);
            return ExitCodes.Failed;
        }
        catch (Exception e) when (GrainEngine.IsLostContact(e))
        {
            // The first line: Orleans puts the remote stack trace in some messages.
            Console.Error.WriteLine($"error: the run lost its cluster and could not recover: {e.Message.Split('\n')[0].TrimEnd()}");
            if (whenInterrupted is not null) Console.Error.WriteLine(whenInterrupted);
            return ExitCodes.Failed;
        }
    }
}
