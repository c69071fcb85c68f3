using System.Diagnostics;
using System.Reflection;
using CareSim.Engine.Results;
using CareSim.Engine.Summaries;
using CareSim.Model.Outputs;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;

namespace CareSim.Engine.Running;

/// <summary>Everything needed to run a plan and write its results directory.</summary>
public sealed record RunRequest(
    SimulationPlan Plan,
    string ScenarioSha256,
    string? ScenarioFile,
    IReadOnlyList<Metric> Metrics,
    bool PerReplica,
    RunSettings Settings,
    string OutputDirectory,
    bool ReplaceExisting = false,
    IReadOnlyDictionary<string, string>? Extra = null,
    IRunSink? AdditionalSink = null,
    IReadOnlyList<IResultsPublisher>? Publishers = null,
    SummaryJournal? Journal = null);

/// <summary>A completed run: its manifest and the summaries a caller may print.</summary>
public sealed record RunResult(
    RunManifest Manifest,
    IReadOnlyList<OutcomeSummary> Outcomes,
    IReadOnlyList<AuthorityTotals> Totals,
    IReadOnlyList<SummaryRow> FinalMonth,
    IReadOnlyList<(string Authority, string Grade, double Share)> NextInspectionGrades);

/// <summary>
/// Runs a plan on an engine and writes its results directory: the same path for every engine,
/// every caller (command line, HTTP API) and every results store.
/// </summary>
public static class RunExecutor
{
    public static string ToolVersion { get; } =
        typeof(RunExecutor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static async Task<RunResult> ExecuteAsync(ISimulationEngine engine, RunRequest request, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var plan = request.Plan;
        using var writer = ResultsWriter.Begin(request.OutputDirectory, request.ReplaceExisting,
            metadata: ResultsWriter.ParquetMetadata(plan, request.ScenarioSha256, ToolVersion, request.Extra?.GetValueOrDefault("run_id")));
        IReadOnlyList<SummaryRow> finalMonth = [];
        var summaries = writer.CreateSummarySink(plan, request.Metrics, (month, rows) =>
        {
            if (month == plan.HorizonMonths - 1) finalMonth = rows;
            request.Journal?.Record(month, rows);
        }, request.Settings.EffectiveConcurrency, overlap: true);
        // A resumed run: the months summarised before come first (the engine simulates only the rest).
        foreach (var restored in request.Journal?.Restored ?? [])
        {
            writer.WriteSummaryRows(restored.Rows);
            if (restored.Month == plan.HorizonMonths - 1) finalMonth = restored.Rows;
        }
        var sinks = new List<IRunSink> { summaries };
        if (request.PerReplica) sinks.Add(writer.CreateReplicaSink(plan, request.Metrics));
        if (request.AdditionalSink is not null) sinks.Add(request.AdditionalSink);
        IRunSink sink = sinks.Count == 1 ? summaries : new CompositeSink([.. sinks]);
        var setup = total.Elapsed;
        PhaseLog.Mark("results writer ready");

        var simulate = Stopwatch.StartNew();
        try
        {
            await engine.RunAsync(plan, request.Settings, sink, progress, cancellationToken).ConfigureAwait(false);
            // The last months are still being summarised and written beside the engine.
            PhaseLog.Mark("engine done");
            summaries.Drain();
            PhaseLog.Mark("summaries drained");
        }
        catch
        {
            // Nothing may still write into the files when the writer deletes them.
            summaries.Abandon();
            throw;
        }
        simulate.Stop();

        var write = Stopwatch.StartNew();
        RunManifest? manifest = null;
        writer.Commit(summaries, () => manifest = BuildManifest(engine, request, new RunTimings(
            setup.TotalSeconds, simulate.Elapsed.TotalSeconds, write.Elapsed.TotalSeconds, total.Elapsed.TotalSeconds)));
        PhaseLog.Mark("results committed");
        foreach (var publisher in request.Publishers ?? [])
            await publisher.PublishAsync(new CommittedRun(Path.GetFullPath(request.OutputDirectory), manifest!), cancellationToken).ConfigureAwait(false);
        return new RunResult(manifest!, summaries.OutcomeSummaries(), summaries.Totals(), finalMonth, summaries.NextInspectionGrades());
    }

    private static RunManifest BuildManifest(ISimulationEngine engine, RunRequest request, RunTimings timings)
    {
        var plan = request.Plan;
        return new RunManifest
        {
            Tool = "sim",
            ToolVersion = ToolVersion,
            Engine = engine.Name,
            Scenario = plan.Name,
            ScenarioFile = request.ScenarioFile,
            ScenarioSha256 = request.ScenarioSha256,
            Seed = plan.Seed,
            Replicas = plan.Replicas,
            Start = plan.Start.ToString(),
            HorizonMonths = plan.HorizonMonths,
            HistoryUntil = plan.MonthAt(plan.HistoryUntilMonth).ToString(),
            OutcomesFrom = plan.MonthAt(plan.OutcomesFromMonth).ToString(),
            BlockSize = request.Settings.BlockSize,
            Authorities = plan.Authorities.Select(a => a.Code).ToList(),
            AuthorityNames = plan.Authorities.ToDictionary(a => a.Code, a => a.Name),
            AuthorityRegions = plan.Authorities.ToDictionary(a => a.Code, a => a.Region),
            Metrics = request.Metrics.Select(m => m.Name()).ToList(),
            Parameters = P.All.ToDictionary(p => p.Name, p => plan.Parameters[p]),
            AuthorityParameters = plan.Authorities.ToDictionary(
                a => a.Code,
                a => (IReadOnlyDictionary<string, double>)P.All.Where(p => a.Parameters[p] != plan.Parameters[p]).ToDictionary(p => p.Name, p => a.Parameters[p])),
            CreatedUtc = DateTimeOffset.UtcNow,
            Timings = timings,
            VectorBits = VectorWidth.Bits,
            Extra = request.Extra,
        };
    }
}
