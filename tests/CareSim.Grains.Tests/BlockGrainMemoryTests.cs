using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Grains.Placement;
using CareSim.Grains.Runner;
using CareSim.Model;
using CareSim.Model.Plan;

namespace CareSim.Grains.Tests;

/// <summary>
/// Block grains build their blocks in memory earlier runs of the silo handed back (<see cref="BlockMemory"/>),
/// and hand it back when the run releases them: runs one after another, or at once, in one silo give
/// exactly the numbers of runs in fresh memory. A clear left out, or memory handed back while a block still
/// uses it (two blocks, of one run or of two, sharing arrays), changes them.
/// </summary>
[Collection(ClusterCollection.Name)]
public class BlockGrainMemoryTests(ClusterFixture clusters)
{
    // Blocks of 43 replicas: arrays of a length no other test's blocks have, so what is kept of that length
    // is these runs' (six authorities, a labour market and a commissioner: every kind of block grain).
    private const int BlockSize = 43;

    private static SimulationPlan Plan(int seedOffset = 0)
    {
        var plan = Plans.Load("liverpool-city-region.yaml", replicas: 2 * BlockSize, horizon: 24);
        return plan with { Seed = plan.Seed + (ulong)seedOffset };
    }

    /// <summary>The reference engine's numbers with every array new: a run as a fresh process builds it.</summary>
    private static RecordingSink Fresh(SimulationPlan plan)
    {
        var sink = new RecordingSink(plan);
        using (BlockMemory.Fresh()) ReferenceEngine.Run(plan, new RunSettings(BlockSize: BlockSize), sink);
        return sink;
    }

    private async Task<RecordingSink> Grains(SimulationPlan plan, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var sink = new RecordingSink(plan);
        await new GrainEngine(clusters.OneSilo.Client).RunAsync(plan, new RunSettings(BlockSize: BlockSize), sink, progress, cancellationToken);
        return sink;
    }

    private static int Kept() => BlockMemory.KeptArrays<double>(BlockSize);

    private sealed class Inline(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }

    [Fact]
    public async Task Runs_one_after_another_build_in_the_memory_of_the_ones_before_with_the_numbers_of_fresh_runs()
    {
        var (one, two) = (Plan(), Plan(seedOffset: 1));
        var (freshOne, freshTwo) = (Fresh(one), Fresh(two));

        (await Grains(one)).AssertIdenticalTo(freshOne);
        var keptAfter = Kept();
        Assert.True(keptAfter > 0, "a released run hands its blocks' arrays back");

        // The next run (another seed) takes them: fewer are kept while it runs.
        int? keptDuring = null;
        var second = await Grains(two, new Inline(p => keptDuring ??= Kept()));
        Assert.True(keptDuring < keptAfter, $"the second run should build in the first's arrays (kept {keptAfter} after the first, {keptDuring} during the second)");
        second.AssertIdenticalTo(freshTwo);

        // And the first seed again, in arrays the other seed wrote last.
        (await Grains(one)).AssertIdenticalTo(freshOne);
    }

    [Fact]
    public async Task Two_runs_at_once_each_build_in_arrays_of_their_own_with_the_numbers_of_fresh_runs()
    {
        var (one, two) = (Plan(), Plan(seedOffset: 2));
        var (freshOne, freshTwo) = (Fresh(one), Fresh(two));
        await Grains(one); // leaves arrays of this length kept, for the two runs to take
        Assert.True(Kept() > 0);

        var runs = await Task.WhenAll(Grains(one), Grains(two));
        runs[0].AssertIdenticalTo(freshOne);
        runs[1].AssertIdenticalTo(freshTwo);
    }

    [Fact]
    public async Task A_cancelled_run_hands_its_memory_back_and_the_next_run_has_the_numbers_of_a_fresh_one()
    {
        var plan = Plan(seedOffset: 3);
        var fresh = Fresh(plan);
        var before = Kept();
        using var cancel = new CancellationTokenSource();
        int? keptDuring = null;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Grains(plan, new Inline(p =>
        {
            if (p.MonthsDone != 5) return;
            keptDuring = Kept();
            cancel.Cancel();
        }), cancel.Token));
        // Its blocks were released (the runner releases them after a cancellation too), and their arrays kept.
        Assert.True(Kept() > keptDuring, $"kept before {before}, during {keptDuring}, after {Kept()}");
        (await Grains(plan)).AssertIdenticalTo(fresh);
    }

    [Fact]
    public async Task A_silo_with_no_block_left_lets_go_of_the_memory_kept_for_later_blocks()
    {
        using (BlockMemory.Reuse()) BlockMemory.Array<double>(BlockSize);
        Assert.True(Kept() > 0);
        using var idle = new IdleMemory(TimeSpan.FromMilliseconds(10));
        idle.BlockActivated();
        idle.BlockDeactivated();
        for (var wait = 0; wait < 100 && idle.Collections == 0; wait++) await Task.Delay(50);
        Assert.Equal(1, idle.Collections);
        Assert.Equal(0, Kept());
    }
}
