using System.Diagnostics;
using System.Net.Sockets;
using Orleans.Runtime.Messaging;
using CareSim.Engine.Running;
using CareSim.Grains.Abstractions;
using CareSim.Grains.Abstractions.Serialization;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using Orleans.Concurrency;

namespace CareSim.Grains.Runner;

/// <summary>
/// The grain engine: the model on Orleans. One replica block grain per block of replicas, which
/// drives the block's authority grains (one per authority, each with its workforce), labour-market and
/// commissioner grains, all on its silo. An explicit runner (this class; no timers or reminders)
/// calls every block once a month, in the same order as the reference engine, and waits for every
/// block each month: the only moment a month crosses silos.
/// </summary>
/// <remarks>
/// <para>
/// Buffers: an authority grain alternates two metric frames (by month parity) and reuses its
/// other output arrays the next month. The runner passes a month's frames to the sink once every
/// block has done the month, and sends month t + 2 only after the sink's <c>CompleteMonth</c> of
/// t + 1 has returned (by when the summaries of month t, which read its frames beside month t + 1,
/// are done), so passing them by reference inside <see cref="Immutable{T}"/> in-process is safe
/// (across processes they are serialised when the call returns).
/// </para>
/// <para>
/// Faults (docs/cluster.md): with <see cref="GrainRunOptions.CheckpointEveryMonths"/>, every block
/// stores its state at those month boundaries and the run then commits the month. When a call
/// fails because a silo was lost (or a grain reactivated elsewhere has no block), the runner
/// rebuilds every grain from the last committed checkpoint (or from the start) and simulates the
/// months since again without passing them to the sink a second time. Random numbers are keyed by
/// month and replica, so the months come out the same, bit for bit. With
/// <see cref="GrainRunOptions.Resume"/> a runner (another process) takes a stored run over from its
/// last committed checkpoint; the run grain then refuses the previous runner's commits and rewinds.
/// </para>
/// </remarks>
public sealed class GrainEngine(IGrainFactory grains, GrainRunOptions? options = null) : ISimulationEngine
{
    private readonly GrainRunOptions _options = options ?? new GrainRunOptions();

    /// <summary>The cluster client's gateways (null in a silo's own process: no gateways to lose).</summary>
    private readonly GatewayWatch? _gateways = (grains as IClusterClient)?.ServiceProvider.GetService(typeof(GatewayWatch)) as GatewayWatch;

    public string Name => "grains";

    public GrainRunOptions Options => _options;

    /// <summary>Times the runner rebuilt its grains after losing contact with some (this engine's runs so far).</summary>
    public int Recoveries { get; private set; }

    /// <summary>The bytes of this engine's latest checkpoint over all blocks (its snapshots; 0: none yet).</summary>
    public long LastCheckpointBytes { get; private set; }

    public async Task RunAsync(SimulationPlan plan, RunSettings settings, IRunSink sink, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var runId = _options.RunId ?? Guid.NewGuid().ToString("N");
        var run = grains.GetGrain<IRunGrain>(runId);
        var every = _options.CheckpointEveryMonths;
        // The silo's own process, and nothing to resume or recover: its blocks take the plan object itself, with no run grain.
        var local = _options.LocalPlans is not null && every == 0 && !_options.Resume && _options.RecoveryTimeout == TimeSpan.Zero;
        var world = new GrainWorld(grains, plan, runId, BlockRange.Partition(plan.Replicas, settings.BlockSize));
        var fanOut = Math.Max(4, settings.EffectiveConcurrency * 4);
        var completed = false;
        var takenOver = false;
        // This runner's id: a runner that resumes the run takes it over, and this one then stops at its next commit or rewind.
        var runner = Guid.NewGuid().ToString("N");
        await using var silos = new SiloLossWatch(grains, _gateways, pollMembership: _options.RecoveryTimeout > TimeSpan.Zero);
        await silos.CatchUpAsync();
        try
        {
            int committed;
            if (_options.Resume)
            {
                await WithRecoveryAsync(() => silos.WatchAsync("claiming the run", _ => run.Claim(runner), cancellationToken), cancellationToken);
                committed = await WithRecoveryAsync(() => silos.WatchAsync("reading the committed month", _ => run.GetCommittedMonth(), cancellationToken), cancellationToken);
                await WithRecoveryAsync(() => silos.WatchAsync($"restoring the checkpoint of month {committed}", token => world.RebuildAsync(committed, fanOut, token), cancellationToken), cancellationToken);
            }
            else
            {
                committed = 0;
                if (local)
                {
                    _options.LocalPlans!.Offer(runId, plan);
                }
                else
                {
                    // Retried like a rewind: a cluster that has just lost a silo, or Redis, answers again within seconds.
                    var definition = new RunDefinition(PlanJson.Serialize(plan), settings.BlockSize, every, _options.ClientState);
                    await WithRecoveryAsync(() => silos.WatchAsync("registering the run", _ => run.Register(definition, runner), cancellationToken), cancellationToken);
                    PhaseLog.Mark("run registered");
                }
                await WithRecoveryAsync(() => silos.WatchAsync("starting the blocks", token => world.InitializeAsync(fanOut, token), cancellationToken), cancellationToken);
                PhaseLog.Mark("blocks initialised");
            }

            var delivered = committed; // months before this one are already in the sink (or restored into the results)
            var month = committed;
            var deadline = DateTime.MaxValue;
            var lastProgress = stopwatch.Elapsed; // when the run last went through a month (or started)
            MetricFrame[][]? previous = null; // the last delivered month's frames, which the sink may still read
            while (!completed)
            {
                try
                {
                    for (; month < plan.HorizonMonths; month++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        lastProgress = stopwatch.Elapsed;
                        var frames = await silos.WatchAsync($"month {month}", token => world.StepAsync(month, fanOut, token), cancellationToken);
                        // Only now, with the whole month done, its metrics go to the sink: a month that fails
                        // half-way is simulated again from a checkpoint and must not be counted twice.
                        if (month >= delivered)
                        {
                            if (month == 0) PhaseLog.Mark("month 0 simulated");
                            world.Deliver(month, frames, sink);
                            sink.CompleteMonth(month);
                            delivered = month + 1;
                            progress?.Report(new RunProgress(month + 1, plan.HorizonMonths, stopwatch.Elapsed));
                            // The sink is done with the month before (IRunSink): its frames, received from silos, take next month's metrics.
                            if (previous is not null) MetricFramePool.Return(previous.SelectMany(f => f));
                            previous = frames;
                        }
                        else
                        {
                            MetricFramePool.Return(frames.SelectMany(f => f)); // a month simulated again, already delivered
                        }
                        if (every > 0 && (month + 1) % every == 0 && month + 1 < plan.HorizonMonths)
                        {
                            await CheckpointAsync(world, silos, sink, run, runner, runId, committed, month + 1, fanOut, cancellationToken);
                            committed = month + 1;
                        }
                        deadline = DateTime.MaxValue; // a month went through: a later loss gets a full timeout again
                    }
                    var outcomes = await silos.WatchAsync("the outcomes", token => world.GetOutcomesAsync(fanOut, token), cancellationToken);
                    world.Deliver(outcomes, sink);
                    completed = true;
                }
                catch (Exception e) when (CanRecover(e, cancellationToken))
                {
                    if (deadline == DateTime.MaxValue) deadline = DateTime.UtcNow + _options.RecoveryTimeout;
                    Recoveries++;
                    var lostAt = month;
                    // A failure caused by another runner on the same grains (a resume elsewhere) ends this one.
                    await WithRecoveryAsync(() => silos.WatchAsync("checking the run's runner", _ => run.EnsureRunner(runner), cancellationToken), cancellationToken);
                    // Summaries of the last month delivered may still read its frames, which the months simulated again rewrite.
                    sink.Drain();
                    if (previous is not null) MetricFramePool.Return(previous.SelectMany(f => f));
                    previous = null;
                    await RebuildUntilAsync(world, silos, committed, fanOut, deadline, cancellationToken);
                    month = committed;
                    // One line per recovery: what was lost, where the run went back to, and how long it took from the last month that went through.
                    _options.Notice?.Invoke($"run {runId}: lost {Lost(e)} at month {lostAt}; rewound to " +
                        (committed == 0 ? "the start" : $"the checkpoint of month {committed}") + $" in {(stopwatch.Elapsed - lastProgress).TotalSeconds:0.0} s");
                    lastProgress = stopwatch.Elapsed;
                }
            }
        }
        catch (RunTakenOverException)
        {
            takenOver = true;
            throw;
        }
        finally
        {
            // Checkpoints of a run that did not complete are kept, so that it can be resumed. A run
            // taken over by another runner is that runner's: its grains and state are left alone.
            if (!takenOver) await FinishAsync(world, silos, run, runId, completed, every, plan.HorizonMonths, fanOut, local);
            MetricFramePool.Clear();
        }
    }

    private async Task FinishAsync(GrainWorld world, SiloLossWatch silos, IRunGrain run, string runId, bool completed, int every, int horizon, int fanOut, bool local)
    {
        var keep = !completed && every > 0;
        // Watched like the months (with no token: a stopped run is released too), so that a silo lost
        // now does not hold the end for the response timeout. What cannot be reached is deactivated by
        // Orleans when idle, and stored state left behind expires (docs/cluster.md).
        await AbandonIfLostAsync(silos.WatchAsync("releasing the blocks", _ => world.ReleaseAsync(fanOut, clearCheckpoints: !keep), CancellationToken.None));
        if (local) _options.LocalPlans!.Forget(runId);
        else if (!keep) await AbandonIfLostAsync(silos.WatchAsync("forgetting the run", _ => ForgetAsync(run, runId, every, horizon), CancellationToken.None));
    }

    private static async Task AbandonIfLostAsync(Task watched)
    {
        try
        {
            await watched;
        }
        catch (SiloLostException)
        {
        }
    }

    private async Task CheckpointAsync(GrainWorld world, SiloLossWatch silos, IRunSink sink, IRunGrain run, string runner, string runId, int previous, int month, int fanOut, CancellationToken cancellationToken)
    {
        // The run and journal grains are watched like the blocks: one on a silo killed outright (or
        // placed on it before the cluster knew) would otherwise hold the run for the response timeout.
        await silos.WatchAsync($"the checkpoint of month {month}", _ => run.EnsureRunner(runner), cancellationToken);
        // The months before the checkpoint go into its journal: the sink finishes summarising them first.
        sink.Drain();
        // A checkpoint that storage did not take (Redis slow or away) is written again where the
        // blocks stand, rather than simulating the months since the last one again to retry it.
        await WithRecoveryAsync(() => silos.WatchAsync($"the checkpoint of month {month}", token => world.CheckpointAsync(month, fanOut, token), cancellationToken),
            cancellationToken, e => e is StorageUnavailableException);
        LastCheckpointBytes = world.CheckpointBytes;
        await silos.WatchAsync($"committing the checkpoint of month {month}", async _ =>
        {
            if (_options.Journal is { } journal)
            {
                var rows = journal.Between(previous, month).Select(JournalRows.ToStored).ToArray();
                await grains.GetGrain<IRunJournalGrain>(GrainKeys.JournalSegment(runId, previous)).Write(rows.AsImmutable());
            }
            await run.Commit(month, runner);
        }, cancellationToken);
        _options.Journal?.ForgetBefore(month);
    }

    /// <summary>Rebuilds every grain at <paramref name="month"/>, retrying while silos are still being found dead, until the deadline.</summary>
    private async Task RebuildUntilAsync(GrainWorld world, SiloLossWatch silos, int month, int fanOut, DateTime deadline, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await silos.WatchAsync($"restoring the checkpoint of month {month}", token => world.RebuildAsync(month, fanOut, token), cancellationToken);
                // The blocks are back on live silos: a silo declared dead by now is one this rewind dealt with.
                await silos.CatchUpAsync();
                return;
            }
            catch (Exception e) when (CanRecover(e, cancellationToken) && DateTime.UtcNow + delay < deadline)
            {
                // The lost silo is not declared dead yet: its grains cannot move. Try again soon.
                await Task.Delay(delay, cancellationToken);
                delay = NextDelay(delay);
            }
        }
    }

    /// <summary>Retries back off from 0.25 s to at most 1 s: a silo is declared dead within seconds (docs/cluster.md), and the run should go on soon after.</summary>
    private static TimeSpan NextDelay(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));

    private async Task<T> WithRecoveryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken, Func<Exception, bool>? retry = null)
    {
        var deadline = DateTime.UtcNow + _options.RecoveryTimeout;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (CanRecover(e, cancellationToken) && (retry ?? (_ => true))(e) && DateTime.UtcNow + delay < deadline)
            {
                await Task.Delay(delay, cancellationToken);
                delay = NextDelay(delay);
            }
        }
    }

    private Task WithRecoveryAsync(Func<Task> call, CancellationToken cancellationToken, Func<Exception, bool>? retry = null) =>
        WithRecoveryAsync(async () =>
        {
            await call();
            return true;
        }, cancellationToken, retry);

    private bool CanRecover(Exception e, CancellationToken cancellationToken) =>
        _options.RecoveryTimeout > TimeSpan.Zero && !cancellationToken.IsCancellationRequested && IsLostContact(e);

    /// <summary>
    /// Whether the exception says a silo (or the connection to it) was lost, or a grain lost its
    /// block: the faults a rewind repairs. Errors of the model itself are not among them.
    /// </summary>
    /// <remarks>
    /// A cancellation that no token asked for is one: Orleans cancels a message that expired before
    /// it could be delivered ("Message expired before placement could complete": a gateway placing a
    /// grain whose directory or silo is not yet known to be dead, or Redis is away). The caller's own
    /// cancellation (Ctrl+C) carries its token, which is cancelled, and is never taken for one.
    /// </remarks>
    public static bool IsLostContact(Exception e) => e switch
    {
        BlockStateLostException or StorageUnavailableException or SiloLostException => true,
        OrleansException or TimeoutException or SocketException => true,
        OperationCanceledException { CancellationToken.IsCancellationRequested: false } => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsLostContact),
        _ => e.InnerException is { } inner && IsLostContact(inner),
    };

    /// <summary>What a recoverable failure lost, in a few words: a block's state (its grain came back empty) or a silo.</summary>
    private static string Lost(Exception e) => e switch
    {
        BlockStateLostException => "a block's state (its grains were reactivated without it)",
        StorageUnavailableException => "grain storage (Redis did not answer)",
        SiloLostException lost => lost.Lost,
        OperationCanceledException => "contact with a silo (a call expired before the cluster could place it)",
        AggregateException aggregate => Lost(aggregate.InnerExceptions[0]),
        SiloUnavailableException or ConnectionFailedException => $"a silo ({e.GetType().Name})",
        OrleansException or TimeoutException or SocketException when e.InnerException is { } inner => Lost(inner),
        _ => $"contact with a silo ({e.GetType().Name})",
    };

    /// <summary>Clears the run's stored state: its definition and its journal segments.</summary>
    private async Task ForgetAsync(IRunGrain run, string runId, int every, int horizon)
    {
        try
        {
            await run.Forget();
            for (var from = 0; every > 0 && from < horizon; from += every)
                await grains.GetGrain<IRunJournalGrain>(GrainKeys.JournalSegment(runId, from)).Clear();
        }
        catch (Exception e) when (IsLostContact(e))
        {
            // What cannot be cleared now expires with the storage's entry expiry (docs/cluster.md).
        }
    }

    /// <summary>The replica block grains of one run: one call each per month.</summary>
    private sealed class GrainWorld
    {
        private readonly SimulationPlan _plan;
        private readonly IReadOnlyList<BlockRange> _blocks;
        private readonly (ReplicaBlock Block, IReplicaBlockGrain Grain)[] _grains;

        public GrainWorld(IGrainFactory grains, SimulationPlan plan, string runId, IReadOnlyList<BlockRange> blocks)
        {
            _plan = plan;
            _blocks = blocks;
            _grains = blocks.Select((range, b) => (new ReplicaBlock(runId, b, range.FirstReplica, range.Count), grains.GetGrain<IReplicaBlockGrain>(GrainKeys.ReplicaBlock(runId, b)))).ToArray();
        }

        /// <summary>Bytes of the last checkpoint, over every block.</summary>
        public long CheckpointBytes { get; private set; }

        public Task InitializeAsync(int fanOut, CancellationToken cancellationToken) =>
            Bounded.ForAllAsync(_grains, fanOut, x => x.Grain.Initialize(x.Block, cancellationToken), cancellationToken, IsLostContact);

        /// <summary>Every block stores its state as it stands before <paramref name="month"/>.</summary>
        public async Task CheckpointAsync(int month, int fanOut, CancellationToken cancellationToken)
        {
            var sizes = await Bounded.ForAllAsync(_grains, fanOut, x => x.Grain.Checkpoint(month, cancellationToken), cancellationToken, IsLostContact);
            CheckpointBytes = sizes.Sum();
        }

        /// <summary>Puts every block back at <paramref name="month"/>: from its checkpoint, or from the plan at month 0.</summary>
        public Task RebuildAsync(int month, int fanOut, CancellationToken cancellationToken) =>
            month == 0
                ? InitializeAsync(fanOut, cancellationToken)
                : Bounded.ForAllAsync(_grains, fanOut, x => x.Grain.Restore(x.Block, month, cancellationToken), cancellationToken, IsLostContact);

        /// <summary>Simulates a month in every block; its metrics, by block and authority.</summary>
        public Task<MetricFrame[][]> StepAsync(int month, int fanOut, CancellationToken cancellationToken) =>
            Bounded.ForAllAsync(_grains, fanOut, async x => (await x.Grain.Step(month, cancellationToken)).Value, cancellationToken, IsLostContact);

        /// <summary>Passes a month's metrics (from <see cref="StepAsync"/>) to the sink.</summary>
        public void Deliver(int month, MetricFrame[][] frames, IRunSink sink)
        {
            for (var b = 0; b < frames.Length; b++)
                for (var a = 0; a < _plan.Authorities.Count; a++)
                    sink.AcceptMetrics(month, a, _blocks[b], frames[b][a]);
        }

        /// <summary>Every block's outcomes, by block and authority.</summary>
        public Task<AuthorityOutcomes[][]> GetOutcomesAsync(int fanOut, CancellationToken cancellationToken) =>
            Bounded.ForAllAsync(_grains, fanOut, async x => (await x.Grain.GetOutcomes(cancellationToken)).Value, cancellationToken, IsLostContact);

        public void Deliver(AuthorityOutcomes[][] outcomes, IRunSink sink)
        {
            for (var b = 0; b < outcomes.Length; b++)
                for (var a = 0; a < _plan.Authorities.Count; a++)
                    sink.AcceptOutcomes(a, _blocks[b], outcomes[b][a]);
        }

        /// <summary>Deactivates every grain of the run (also after a failure or cancellation).</summary>
        public async Task ReleaseAsync(int fanOut, bool clearCheckpoints)
        {
            try
            {
                await Bounded.ForAllAsync(_grains, fanOut, x => x.Grain.Release(clearCheckpoints), CancellationToken.None);
            }
            catch (Exception e) when (IsLostContact(e))
            {
                // Grains that cannot be reached are deactivated by Orleans when idle.
            }
        }
    }
}
