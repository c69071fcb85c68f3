using System.Collections.Concurrent;
using System.Threading.Channels;
using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.Experiments;
using CareSim.Grains.Runner;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CareSim.Web;

/// <summary>A run (or, with <see cref="Comparison"/>, a comparison of strategies) submitted through the API: what to simulate, and the label that tells it apart.</summary>
public sealed record RunSubmission(SimulationPlan Plan, string ScenarioSha256, string ScenarioYaml, IReadOnlyList<Metric> Metrics, string? Label = null,
    ComparisonSpec? Comparison = null)
{
    public string Kind => Comparison is null ? RunKind.Run : RunKind.Comparison;
}

/// <summary>
/// The live state of a run submitted to this server. Changes are signalled to waiters (the
/// Server-Sent Events stream) through <see cref="WaitForChangeAsync"/>.
/// </summary>
public sealed class RunJob
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RunRecord _record;
    private int _version;

    public RunJob(Guid id, RunSubmission submission)
    {
        Id = id;
        Submission = submission;
        var plan = submission.Plan;
        _record = new RunRecord
        {
            Id = id,
            Kind = submission.Kind,
            Scenario = plan.Name,
            ScenarioSha256 = submission.ScenarioSha256,
            Status = RunStatus.Queued,
            Created = DateTimeOffset.UtcNow,
            Replicas = plan.Replicas,
            Seed = plan.Seed,
            Start = plan.Start.ToString(),
            HorizonMonths = plan.HorizonMonths,
            Engine = "grains",
            Authorities = plan.Authorities.Select(a => a.Code).ToList(),
            Metrics = submission.Metrics.Select(m => m.Name()).ToList(),
            Label = submission.Label,
            HistoryUntil = plan.MonthAt(plan.HistoryUntilMonth).ToString(),
            OutcomesFrom = plan.MonthAt(plan.OutcomesFromMonth).ToString(),
            AuthorityNames = plan.Authorities.ToDictionary(a => a.Code, a => a.Name),
            AuthorityRegions = plan.Authorities.ToDictionary(a => a.Code, a => a.Region),
        };
    }

    public Guid Id { get; }

    /// <summary>Cancelled by DELETE /api/runs/{id}: a queued run never starts, a running one stops.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Counts the changes of <see cref="Record"/> (the Server-Sent Events' ids).</summary>
    public int Version
    {
        get
        {
            lock (_lock) return _version;
        }
    }

    public RunSubmission Submission { get; }

    public RunRecord Record
    {
        get
        {
            lock (_lock) return _record;
        }
    }

    /// <summary>Completes at the next change of <see cref="Record"/> (or at once if it changed since <paramref name="seen"/> was read).</summary>
    public Task WaitForChangeAsync(RunRecord seen, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(seen, _record)) return Task.CompletedTask;
            return _changed.Task.WaitAsync(cancellationToken);
        }
    }

    public void Update(Func<RunRecord, RunRecord> change)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _record = change(_record);
            _version++;
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}

/// <summary>
/// Runs submitted runs in the background on the in-process silo, at most
/// <see cref="ServerOptions.MaxConcurrentRuns"/> at once (the others wait, queued; at most
/// <see cref="ServerOptions.MaxQueuedRuns"/> of them). Each run writes its results directory under
/// <see cref="ServerOptions.ResultsRoot"/> and, when a store is configured, is loaded into it
/// before it shows as completed. At start it cleans up after a server that died
/// (<see cref="RunRecovery"/>); while it runs, it tells the store its runs are alive.
/// </summary>
public sealed class RunCoordinator : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, RunJob> _jobs = new();
    private readonly Channel<RunJob> _queue = Channel.CreateUnbounded<RunJob>();
    private readonly IGrainFactory _grains;
    private readonly GrainRunOptions _runOptions;
    private readonly ResultsAccess _results;
    private readonly ServerOptions _options;
    private readonly ILogger<RunCoordinator> _logger;
    private int _waiting;

    public RunCoordinator(IGrainFactory grains, GrainRunOptions runOptions, ResultsAccess results, IOptions<ServerOptions> options, ILogger<RunCoordinator> logger)
    {
        _grains = grains;
        _runOptions = runOptions;
        _results = results;
        _options = options.Value;
        _logger = logger;
    }

    public RunJob? Find(Guid id) => _jobs.GetValueOrDefault(id);

    public IReadOnlyCollection<RunJob> Jobs => _jobs.Values.ToList();

    /// <summary>Before serving: removes staging folders of dead servers and marks their unfinished runs failed.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var staging = RunRecovery.RemoveAbandonedStaging(_results.Root);
        if (staging > 0) _logger.LogWarning("removed {Count} staging folders left by a server that stopped", staging);
        if (_results.Store is { } store)
            foreach (var id in await RunRecovery.FailAbandonedAsync(store, cancellationToken))
                _logger.LogWarning("run {Id} was left unfinished by a server that stopped: marked failed", RunIds.Format(id));
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Queues a run; null when the queue is full.</summary>
    public async Task<RunJob?> SubmitAsync(RunSubmission submission, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _waiting) > _options.MaxQueuedRuns + _options.MaxConcurrentRuns)
        {
            Interlocked.Decrement(ref _waiting);
            return null;
        }
        try
        {
            var job = new RunJob(Guid.NewGuid(), submission);
            if (_results.Store is { } store)
            {
                var plan = submission.Plan;
                await store.RecordQueuedAsync(job.Id, plan.Name, submission.ScenarioSha256, submission.ScenarioYaml, plan.Replicas, plan.Seed,
                    plan.Start.ToString(), plan.HorizonMonths, cancellationToken, submission.Label, RunRecovery.Owner, submission.Kind);
            }
            _jobs[job.Id] = job;
            await _queue.Writer.WriteAsync(job, cancellationToken);
            return job;
        }
        catch
        {
            Interlocked.Decrement(ref _waiting);
            throw;
        }
    }

    /// <summary>Cancels a queued or running run of this server (it ends cancelled); false when it has finished.</summary>
    public async Task<bool> CancelAsync(RunJob job)
    {
        if (RunStatus.IsFinished(job.Record.Status)) return false;
        await job.Cancellation.CancelAsync();
        // A queued run ends now; a running one when its engine stops (RunAsync).
        if (job.Record.Status == RunStatus.Queued) await EndAsync(job, RunStatus.Cancelled, CancelledReason);
        return true;
    }

    /// <summary>Forgets a finished run of this server (DELETE of a finished run).</summary>
    public void Forget(Guid id) => _jobs.TryRemove(id, out _);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.MaxConcurrentRuns).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None))
            .Append(Task.Run(() => MaintainAsync(stoppingToken), CancellationToken.None)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    if (RunStatus.IsFinished(job.Record.Status)) continue; // cancelled while it waited
                    if (stoppingToken.IsCancellationRequested) await EndAsync(job, RunStatus.Failed, StoppedBeforeStart);
                    else await RunAsync(job, stoppingToken);
                }
                finally
                {
                    Interlocked.Decrement(ref _waiting);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Whatever is still queued when the server stops will not run.
        while (_queue.Reader.TryRead(out var left))
            if (!RunStatus.IsFinished(left.Record.Status)) await EndAsync(left, RunStatus.Failed, StoppedBeforeStart);
    }

    /// <summary>
    /// With a store: tells it every few seconds that this server's unfinished runs are alive, and
    /// marks failed the runs of other servers that stopped saying so (<see cref="RunRecovery"/>).
    /// </summary>
    private async Task MaintainAsync(CancellationToken stoppingToken)
    {
        if (_results.Store is not { } store) return;
        var lastSweep = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RunRecovery.HeartbeatInterval, stoppingToken);
                var alive = _jobs.Values.Where(j => !RunStatus.IsFinished(j.Record.Status)).Select(j => j.Id).ToList();
                await store.RecordHeartbeatAsync(alive, stoppingToken);
                if (DateTime.UtcNow - lastSweep > RunRecovery.StaleAfter)
                {
                    lastSweep = DateTime.UtcNow;
                    foreach (var id in await RunRecovery.FailAbandonedAsync(store, stoppingToken))
                        _logger.LogWarning("run {Id} was left unfinished by a server that stopped: marked failed", RunIds.Format(id));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "could not record that this server's runs are alive");
            }
        }
    }

    private const string StoppedBeforeStart = "the server stopped before the run started";
    private const string CancelledReason = "cancelled through the API (DELETE /api/runs/{id})";

    private async Task RunAsync(RunJob job, CancellationToken stoppingToken)
    {
        var submission = job.Submission;
        var store = _results.Store;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, job.Cancellation.Token);
        try
        {
            var started = false;
            job.Update(r =>
            {
                if (RunStatus.IsFinished(r.Status)) return r; // cancelled as it was taken from the queue
                started = true;
                return r with { Status = RunStatus.Running, Started = DateTimeOffset.UtcNow };
            });
            if (!started) return;
            if (store is not null) await store.RecordRunningAsync(job.Id, stop.Token);

            var directory = _results.DirectoryOf(job.Id);
            var extra = new Dictionary<string, string> { ["run_id"] = RunIds.Format(job.Id), ["submitted_through"] = "api" };
            if (submission.Label is { } label) extra["label"] = label;
            using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            var progressWriter = store is null ? Task.CompletedTask : WriteProgressAsync(store, job, stopProgress.Token);
            try
            {
                // On a cluster the run checkpoints and rewinds when a silo is lost (its grains are keyed by the run id).
                var engine = new GrainEngine(_grains, _runOptions with
                {
                    RunId = RunIds.Format(job.Id),
                    Notice = line => _logger.LogWarning("run {Id}: {Notice}", RunIds.Format(job.Id), line),
                });
                if (submission.Comparison is { } comparison)
                {
                    await RunComparisonAsync(engine, job, comparison, directory, extra, stop.Token);
                }
                else
                {
                    var request = new RunRequest(submission.Plan, submission.ScenarioSha256, null, submission.Metrics, PerReplica: false,
                        new RunSettings(BlockSize: _options.BlockSize), directory, ReplaceExisting: true, Extra: extra,
                        Publishers: store is null ? null : [new PostgresResultsPublisher(store, job.Id, submission.ScenarioYaml)]);
                    var progress = new SynchronousProgress(p => job.Update(r => r with { Progress = Math.Round(p.Fraction, 4) }));
                    await RunExecutor.ExecuteAsync(engine, request, progress, stop.Token);
                }
            }
            finally
            {
                await stopProgress.CancelAsync();
                await progressWriter;
            }
            job.Update(r => r with { Status = RunStatus.Completed, Progress = 1, Completed = DateTimeOffset.UtcNow });
            _logger.LogInformation("run {Id} ({Scenario}) completed", RunIds.Format(job.Id), submission.Plan.Name);
        }
        catch (OperationCanceledException) when (job.Cancellation.IsCancellationRequested)
        {
            await EndAsync(job, RunStatus.Cancelled, CancelledReason);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await EndAsync(job, RunStatus.Failed, "the server stopped while the run was going");
        }
        catch (Exception e)
        {
            _logger.LogError(e, "run {Id} failed", RunIds.Format(job.Id));
            await EndAsync(job, RunStatus.Failed, e.Message);
        }
    }

    /// <summary>
    /// A comparison (as sim compare): the baseline and each strategy under common random numbers,
    /// then, with worlds, each strategy's regret; written to the run's directory, then loaded into
    /// the store (the comparison's table, and each strategy's results as a run of its own).
    /// </summary>
    private async Task RunComparisonAsync(GrainEngine engine, RunJob job, ComparisonSpec comparison, string directory, Dictionary<string, string> extra,
        CancellationToken cancellationToken)
    {
        var submission = job.Submission;
        var plan = submission.Plan;
        var settings = new RunSettings(BlockSize: _options.BlockSize);
        var runs = comparison.Strategies.Count + 1;
        // Progress: the strategies' runs, then the worlds (when sampled) as the last tenth.
        var share = comparison.Worlds > 0 ? 0.9 : 1.0;
        var done = new HashSet<string>();
        var progress = new SynchronousStrategyProgress(p =>
        {
            double fraction;
            lock (done)
            {
                if (p.Progress.MonthsDone == p.Progress.MonthsTotal) done.Add(p.Strategy);
                fraction = (done.Count + (done.Contains(p.Strategy) ? 0 : p.Progress.Fraction)) / runs * share;
            }
            // Reports may arrive late (after the run ended): only a running run's progress moves, and only forward.
            job.Update(r => r.Status == RunStatus.Running && fraction > r.Progress ? r with { Progress = Math.Round(Math.Min(fraction, 1), 4) } : r);
        });
        var options = new ComparisonOptions
        {
            Settings = settings,
            OutputDirectory = directory,
            ReplaceExisting = true,
            ScenarioSha256 = submission.ScenarioSha256,
            ByDates = comparison.By,
            RankBy = comparison.RankBy,
            Extra = extra,
            BeforeCommit = async (_, staging) =>
            {
                if (comparison.Worlds <= 0) return;
                var measure = StrategyComparison.Measures(plan, comparison.By).First(m => m.Name == comparison.RankBy);
                var worldsProgress = new SynchronousWorldProgress(w => job.Update(r =>
                    r.Status == RunStatus.Running ? r with { Progress = Math.Round(share + (1 - share) * w / comparison.Worlds, 4) } : r));
                var robustness = await RobustnessAnalysis.RunAsync(engine, plan, comparison.Strategies, comparison.Worlds, comparison.WorldReplicas, measure, settings,
                    worldsProgress, cancellationToken);
                RobustnessAnalysis.WriteFiles(staging, robustness);
                await File.AppendAllTextAsync(Path.Combine(staging, StrategyComparison.ComparisonMarkdown),
                    RobustnessAnalysis.ToMarkdown(robustness, measure, comparison.WorldReplicas), cancellationToken);
            },
        };
        await StrategyComparison.RunAsync(engine, plan, comparison.Strategies, options, progress, cancellationToken);
        if (_results.Store is { } store) await store.LoadAsync(job.Id, directory, submission.ScenarioYaml, cancellationToken);
    }

    private sealed class SynchronousStrategyProgress(Action<(string Strategy, RunProgress Progress)> report) : IProgress<(string Strategy, RunProgress Progress)>
    {
        public void Report((string Strategy, RunProgress Progress) value) => report(value);
    }

    private sealed class SynchronousWorldProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    /// <summary>Writes the run's progress to the store about once a second while it runs.</summary>
    private async Task WriteProgressAsync(PostgresResultsStore store, RunJob job, CancellationToken cancellationToken)
    {
        var written = -1.0;
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                var progress = job.Record.Progress;
                if (progress == written) continue;
                await store.RecordProgressAsync(job.Id, progress, cancellationToken);
                written = progress;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "could not record the progress of run {Id}", RunIds.Format(job.Id));
        }
    }

    /// <summary>Ends an unfinished run failed or cancelled, here and in the store.</summary>
    private async Task EndAsync(RunJob job, string status, string error)
    {
        var ended = false;
        job.Update(r =>
        {
            if (RunStatus.IsFinished(r.Status)) return r;
            ended = true;
            return r with { Status = status, Error = error, Completed = DateTimeOffset.UtcNow };
        });
        if (!ended || _results.Store is not { } store) return;
        try
        {
            if (status == RunStatus.Cancelled) await store.RecordCancelledAsync(job.Id, error, CancellationToken.None);
            else await store.RecordFailedAsync(job.Id, error, CancellationToken.None);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "could not record the end of run {Id}", RunIds.Format(job.Id));
        }
    }

    /// <summary>Reports on the caller's thread (the engine's), not through a synchronization context.</summary>
    private sealed class SynchronousProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
