using System.Collections.Concurrent;
using System.Threading.Channels;
using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.Grains.Runner;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CareSim.Web;

/// <summary>A run submitted through the API: what to simulate.</summary>
public sealed record RunSubmission(SimulationPlan Plan, string ScenarioSha256, string ScenarioYaml, IReadOnlyList<Metric> Metrics);

/// <summary>
/// The live state of a run submitted to this server. Changes are signalled to waiters (the
/// Server-Sent Events stream) through <see cref="WaitForChangeAsync"/>.
/// </summary>
public sealed class RunJob
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RunRecord _record;

    public RunJob(Guid id, RunSubmission submission)
    {
        Id = id;
        Submission = submission;
        var plan = submission.Plan;
        _record = new RunRecord
        {
            Id = id,
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
        };
    }

    public Guid Id { get; }

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
/// before it shows as completed.
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
                    plan.Start.ToString(), plan.HorizonMonths, cancellationToken);
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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.MaxConcurrentRuns).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    if (stoppingToken.IsCancellationRequested) await FailAsync(job, StoppedBeforeStart);
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
            await FailAsync(left, StoppedBeforeStart);
    }

    private const string StoppedBeforeStart = "the server stopped before the run started";

    private async Task RunAsync(RunJob job, CancellationToken stoppingToken)
    {
        var submission = job.Submission;
        var store = _results.Store;
        try
        {
            job.Update(r => r with { Status = RunStatus.Running, Started = DateTimeOffset.UtcNow });
            if (store is not null) await store.RecordRunningAsync(job.Id, stoppingToken);

            var directory = _results.DirectoryOf(job.Id);
            var request = new RunRequest(submission.Plan, submission.ScenarioSha256, null, submission.Metrics, PerReplica: false,
                new RunSettings(BlockSize: _options.BlockSize), directory, ReplaceExisting: true,
                Extra: new Dictionary<string, string> { ["run_id"] = RunIds.Format(job.Id), ["submitted_through"] = "api" },
                Publishers: store is null ? null : [new PostgresResultsPublisher(store, job.Id, submission.ScenarioYaml)]);
            var progress = new SynchronousProgress(p => job.Update(r => r with { Progress = Math.Round(p.Fraction, 4) }));

            using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var progressWriter = store is null ? Task.CompletedTask : WriteProgressAsync(store, job, stopProgress.Token);
            try
            {
                // On a cluster the run checkpoints and rewinds when a silo is lost (its grains are keyed by the run id).
                var engine = new GrainEngine(_grains, _runOptions with
                {
                    RunId = RunIds.Format(job.Id),
                    Notice = line => _logger.LogWarning("run {Id}: {Notice}", RunIds.Format(job.Id), line),
                });
                await RunExecutor.ExecuteAsync(engine, request, progress, stoppingToken);
            }
            finally
            {
                await stopProgress.CancelAsync();
                await progressWriter;
            }
            job.Update(r => r with { Status = RunStatus.Completed, Progress = 1, Completed = DateTimeOffset.UtcNow });
            _logger.LogInformation("run {Id} ({Scenario}) completed", RunIds.Format(job.Id), submission.Plan.Name);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FailAsync(job, "the server stopped while the run was going");
        }
        catch (Exception e)
        {
            _logger.LogError(e, "run {Id} failed", RunIds.Format(job.Id));
            await FailAsync(job, e.Message);
        }
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

    private async Task FailAsync(RunJob job, string error)
    {
        job.Update(r => r with { Status = RunStatus.Failed, Error = error, Completed = DateTimeOffset.UtcNow });
        if (_results.Store is not { } store) return;
        try
        {
            await store.RecordFailedAsync(job.Id, error, CancellationToken.None);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "could not record the failure of run {Id}", RunIds.Format(job.Id));
        }
    }

    /// <summary>Reports on the caller's thread (the engine's), not through a synchronization context.</summary>
    private sealed class SynchronousProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
