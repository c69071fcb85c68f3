using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Grains.Abstractions;
using CareSim.Grains.Runner;
using CareSim.Model.Plan;

namespace CareSim.Grains.Tests;

/// <summary>
/// Checkpoints and rewinds of the grain engine, in-process (the cluster tests do the same with
/// real silo processes): storing checkpoints leaves the numbers alone, a grain that lost its block
/// mid-run makes the runner rewind to the last committed checkpoint with the same final numbers,
/// and a run resumed from its checkpoints by another runner ends with the same numbers too.
/// </summary>
[Collection(ClusterCollection.Name)]
public class CheckpointTests(ClusterFixture clusters)
{
    private static RecordingSink Reference(SimulationPlan plan)
    {
        var sink = new RecordingSink(plan);
        ReferenceEngine.Run(plan, new RunSettings(BlockSize: 1000), sink);
        return sink;
    }

    private sealed class Inline(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }

    [Fact]
    public async Task Checkpointing_every_few_months_leaves_the_numbers_unchanged()
    {
        var plan = Plans.Load("liverpool-city-region.yaml", replicas: 24, horizon: 20);
        var sink = new RecordingSink(plan);
        var engine = new GrainEngine(clusters.TwoSilos.Client, new GrainRunOptions { CheckpointEveryMonths = 3, RecoveryTimeout = TimeSpan.FromSeconds(30) });
        await engine.RunAsync(plan, new RunSettings(BlockSize: 8), sink, null, CancellationToken.None);
        sink.AssertIdenticalTo(Reference(plan));
        Assert.Equal(0, engine.Recoveries);
    }

    [Fact]
    public async Task A_grain_that_lost_its_block_mid_run_makes_the_runner_rewind_to_the_last_checkpoint_with_the_same_numbers()
    {
        var plan = Plans.Load("liverpool-city-region.yaml", replicas: 24, horizon: 20);
        var runId = Guid.NewGuid().ToString("N");
        var grains = clusters.TwoSilos.Client;
        var notices = new List<string>();
        var engine = new GrainEngine(grains, new GrainRunOptions
        {
            RunId = runId,
            CheckpointEveryMonths = 4,
            RecoveryTimeout = TimeSpan.FromSeconds(30),
            Notice = notices.Add,
        });
        var dropped = false;
        // After month 10 (committed: 8), one authority block loses its state, as when its silo dies.
        var progress = new Inline(p =>
        {
            if (dropped || p.MonthsDone != 10) return;
            dropped = true;
            grains.GetGrain<IAuthorityGrain>(GrainKeys.Block(runId, 2, 1)).Release().GetAwaiter().GetResult();
        });
        var sink = new RecordingSink(plan);
        await engine.RunAsync(plan, new RunSettings(BlockSize: 8), sink, progress, CancellationToken.None);

        Assert.True(dropped);
        Assert.Equal(1, engine.Recoveries);
        var notice = Assert.Single(notices);
        Assert.Matches(@"^run [0-9a-f]+: lost a block's state \(.*\) at month 10; rewound to the checkpoint of month 8 in [0-9]+\.[0-9] s$", notice);
        sink.AssertIdenticalTo(Reference(plan));
        // A completed run leaves nothing stored.
        Assert.Null(await grains.GetGrain<IRunGrain>(runId).GetDefinition());
    }

    [Fact]
    public async Task Without_recovery_a_lost_block_fails_the_run_with_a_clear_error()
    {
        var plan = Plans.Load("sefton-2022-23.yaml", replicas: 16, horizon: 12);
        var runId = Guid.NewGuid().ToString("N");
        var grains = clusters.OneSilo.Client;
        var progress = new Inline(p =>
        {
            if (p.MonthsDone == 5) grains.GetGrain<IAuthorityGrain>(GrainKeys.Block(runId, 0, 0)).Release().GetAwaiter().GetResult();
        });
        var engine = new GrainEngine(grains, new GrainRunOptions { RunId = runId });
        var error = await Assert.ThrowsAsync<BlockStateLostException>(() =>
            engine.RunAsync(plan, new RunSettings(BlockSize: 8), new RecordingSink(plan), progress, CancellationToken.None));
        Assert.Contains("holds no block", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_whose_runner_stopped_is_resumed_from_its_checkpoint_by_another_runner_with_the_same_numbers()
    {
        var plan = Plans.Load("sefton-2022-23.yaml", replicas: 30, horizon: 24);
        var runId = Guid.NewGuid().ToString("N");
        var grains = clusters.TwoSilos.Client;
        var settings = new RunSettings(BlockSize: 10);

        // The first runner stops after month 14 (committed: 12), as a client stopped with Ctrl+C.
        using var stop = new CancellationTokenSource();
        var first = new GrainEngine(grains, new GrainRunOptions { RunId = runId, CheckpointEveryMonths = 6, RecoveryTimeout = TimeSpan.FromSeconds(30) });
        var firstSink = new RecordingSink(plan);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(plan, settings, firstSink,
            new Inline(p =>
            {
                if (p.MonthsDone == 14) stop.Cancel();
            }), stop.Token));
        var run = grains.GetGrain<IRunGrain>(runId);
        Assert.Equal(12, await run.GetCommittedMonth());
        Assert.NotNull(await run.GetDefinition());

        // Another runner continues from month 12: its sink gets months 12 on, the first's months before.
        var second = new GrainEngine(grains, new GrainRunOptions { RunId = runId, CheckpointEveryMonths = 6, Resume = true, RecoveryTimeout = TimeSpan.FromSeconds(30) });
        var secondSink = new RecordingSink(plan);
        await second.RunAsync(plan, settings, secondSink, null, CancellationToken.None);
        var expected = Reference(plan);
        for (var month = 0; month < plan.HorizonMonths; month++)
        {
            var from = month < 12 ? firstSink : secondSink;
            for (var a = 0; a < plan.Authorities.Count; a++)
                foreach (var metric in CareSim.Model.Outputs.MetricCatalog.All.Select(m => m.Metric))
                    Assert.True(from.Values(month, a, metric).AsSpan().SequenceEqual(expected.Values(month, a, metric)), $"month {month}, {metric}");
        }
        for (var a = 0; a < plan.Authorities.Count; a++) Assert.Equal(expected.MonthsToGood(a), secondSink.MonthsToGood(a));
        Assert.Null(await run.GetDefinition());
    }

    [Fact]
    public async Task A_runner_whose_run_was_resumed_elsewhere_stops_and_the_resumed_run_gives_the_same_numbers()
    {
        var plan = Plans.Load("sefton-2022-23.yaml", replicas: 30, horizon: 30);
        var runId = Guid.NewGuid().ToString("N");
        var grains = clusters.TwoSilos.Client;
        var settings = new RunSettings(BlockSize: 10);
        var options = new GrainRunOptions { RunId = runId, CheckpointEveryMonths = 6, RecoveryTimeout = TimeSpan.FromSeconds(30) };

        // While the first runner is at month 14 (committed: 12), a second one resumes the run and
        // simulates a few months; then both go on, on the same grains.
        var secondSink = new RecordingSink(plan);
        var second = new GrainEngine(grains, options with { Resume = true });
        Task? secondRun = null;
        using var secondGoing = new SemaphoreSlim(0);
        var first = new GrainEngine(grains, options);
        var firstRun = first.RunAsync(plan, settings, new RecordingSink(plan), new Inline(p =>
        {
            if (p.MonthsDone != 14 || secondRun is not null) return;
            secondRun = Task.Run(() => second.RunAsync(plan, settings, secondSink, new Inline(q =>
            {
                if (q.MonthsDone == 16) secondGoing.Release();
            }), CancellationToken.None));
            secondGoing.Wait(TimeSpan.FromSeconds(30));
        }), CancellationToken.None);

        var error = await Assert.ThrowsAsync<RunTakenOverException>(() => firstRun);
        Assert.Contains(runId, error.Message, StringComparison.Ordinal);
        Assert.NotNull(secondRun);
        await secondRun;
        var expected = Reference(plan);
        for (var month = 12; month < plan.HorizonMonths; month++)
            for (var a = 0; a < plan.Authorities.Count; a++)
                foreach (var metric in CareSim.Model.Outputs.MetricCatalog.All.Select(m => m.Metric))
                    Assert.True(secondSink.Values(month, a, metric).AsSpan().SequenceEqual(expected.Values(month, a, metric)), $"month {month}, {metric}");
        for (var a = 0; a < plan.Authorities.Count; a++) Assert.Equal(expected.MonthsToGood(a), secondSink.MonthsToGood(a));
    }
}
