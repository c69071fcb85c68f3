using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Grains.Runner;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using Microsoft.Extensions.DependencyInjection;

namespace CareSim.Grains.Tests;

[Collection(ClusterCollection.Name)]
public class GrainEngineTests(ClusterFixture clusters)
{
    private static RecordingSink Reference(SimulationPlan plan)
    {
        var sink = new RecordingSink(plan);
        ReferenceEngine.Run(plan, new RunSettings(BlockSize: 1000), sink);
        return sink;
    }

    private static async Task<RecordingSink> Grains(IGrainFactory grains, SimulationPlan plan, int blockSize)
    {
        var sink = new RecordingSink(plan);
        await new GrainEngine(grains).RunAsync(plan, new RunSettings(BlockSize: blockSize), sink, null, CancellationToken.None);
        return sink;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task The_grain_engine_gives_the_reference_engines_numbers_for_any_block_size(int blockSize)
    {
        var plan = Plans.Load("liverpool-city-region.yaml", replicas: 64, horizon: 18);
        var expected = Reference(plan);
        (await Grains(clusters.TwoSilos.Client, plan, blockSize)).AssertIdenticalTo(expected);
    }

    [Fact]
    public async Task Two_silos_give_the_same_numbers_as_one()
    {
        var plan = Plans.Load("sefton-2022-23.yaml", replicas: 40, horizon: 40);
        var one = await Grains(clusters.OneSilo.Client, plan, blockSize: 10);
        var two = await Grains(clusters.TwoSilos.Client, plan, blockSize: 10);
        two.AssertIdenticalTo(one);
        one.AssertIdenticalTo(Reference(plan));
    }

    [Fact]
    public async Task The_regional_scenario_runs_and_staff_moves_between_its_authorities_balance()
    {
        var plan = Plans.Load("liverpool-city-region.yaml", replicas: 32, horizon: 24);
        Assert.Equal(6, plan.Authorities.Count);
        Assert.Single(plan.LabourMarkets);
        Assert.Single(plan.Commissioners);
        var run = await Grains(clusters.TwoSilos.Client, plan, blockSize: 8);
        var moved = 0.0;
        for (var month = 0; month < plan.HorizonMonths; month++)
        {
            for (var r = 0; r < plan.Replicas; r++)
            {
                double outs = 0, ins = 0;
                for (var a = 0; a < plan.Authorities.Count; a++)
                {
                    outs += run.Values(month, a, Metric.StaffMovesOut)[r];
                    ins += run.Values(month, a, Metric.StaffMovesIn)[r];
                }
                Assert.Equal(outs, ins, 9);
                moved += ins;
            }
        }
        Assert.True(moved > plan.Replicas, $"staff should move between the six authorities (moved {moved:0.0} FTE in total)");
    }

    /// <summary>
    /// Locality: a block's replica block, authority, workforce, market and commissioner grains share
    /// one silo (a month's messages between them never leave it), and the blocks are spread over both.
    /// </summary>
    [Fact]
    public async Task The_grains_of_a_block_share_a_silo_and_the_blocks_spread_over_the_silos()
    {
        var plan = Plans.Load("liverpool-city-region.yaml", replicas: 40, horizon: 6);
        var runId = Guid.NewGuid().ToString("N");
        var client = clusters.TwoSilos.Client;
        var management = client.GetGrain<IManagementGrain>(0);
        List<(string Key, SiloAddress Silo)>? placed = null;
        var progress = new Inline(p =>
        {
            if (p.MonthsDone != 3) return;
            placed = management.GetDetailedGrainStatistics().GetAwaiter().GetResult()
                .Select(g => (Key: g.GrainId.Key.ToString()!, Silo: g.SiloAddress))
                .Where(g => g.Key.StartsWith(runId + "/", StringComparison.Ordinal))
                .ToList();
        });
        var sink = new RecordingSink(plan);
        await new GrainEngine(client, new GrainRunOptions { RunId = runId }).RunAsync(plan, new RunSettings(BlockSize: 5), sink, progress, CancellationToken.None);
        sink.AssertIdenticalTo(Reference(plan));

        Assert.NotNull(placed);
        // 8 blocks: per block, its replica block grain, 6 authorities (each with its workforce), a market and a commissioner.
        Assert.Equal(8 * (1 + 6 + 1 + 1), placed.Count);
        var byBlock = placed.GroupBy(g => g.Key.Split('/')[^1]).ToList();
        Assert.Equal(8, byBlock.Count);
        Assert.All(byBlock, block => Assert.Single(block.Select(g => g.Silo).Distinct()));
        var perSilo = byBlock.GroupBy(block => block.First().Silo).Select(g => g.Count()).ToList();
        Assert.Equal([4, 4], perSilo);
    }

    /// <summary>
    /// A runner in the silo's own process (as `sim run` with its embedded silo) hands the plan to
    /// the blocks through the silo's plan cache: the same numbers, no run grain while it runs, and
    /// no plan left after.
    /// </summary>
    [Fact]
    public async Task A_runner_in_the_silos_process_gives_its_blocks_the_plan_itself_with_the_same_numbers()
    {
        var plan = Plans.Load("liverpool-city-region.yaml", replicas: 24, horizon: 12);
        var services = clusters.OneSilo.Silos[0].ServiceProvider;
        var plans = services.GetRequiredService<PlanCache>();
        var runId = Guid.NewGuid().ToString("N");
        var management = clusters.OneSilo.Client.GetGrain<IManagementGrain>(0);
        int? runGrains = null, plansHeld = null;
        var progress = new Inline(p =>
        {
            if (p.MonthsDone != 3) return;
            plansHeld = plans.Count;
            runGrains = management.GetDetailedGrainStatistics().GetAwaiter().GetResult()
                .Count(g => g.GrainType.Contains(nameof(Blocks.RunGrain), StringComparison.Ordinal) && g.GrainId.Key.ToString() == runId);
        });
        var sink = new RecordingSink(plan);
        await new GrainEngine(services.GetRequiredService<IGrainFactory>(), new GrainRunOptions { RunId = runId, LocalPlans = plans })
            .RunAsync(plan, new RunSettings(BlockSize: 7), sink, progress, CancellationToken.None);
        sink.AssertIdenticalTo(Reference(plan));
        Assert.Equal(1, plansHeld);
        Assert.Equal(0, runGrains);
        Assert.Equal(0, plans.Count);
    }

    private sealed class Inline(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }

    [Fact]
    public async Task Grains_are_released_after_a_run()
    {
        var plan = Plans.Load("sefton-2022-23.yaml", replicas: 8, horizon: 3);
        await Grains(clusters.OneSilo.Client, plan, blockSize: 4);
        var silo = clusters.OneSilo.Silos[0];
        var grainCount = 0;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var management = clusters.OneSilo.Client.GetGrain<IManagementGrain>(0);
            var stats = await management.GetSimpleGrainStatistics();
            grainCount = stats.Where(s => s.GrainType.Contains("CareSim.Grains.Blocks", StringComparison.Ordinal) && !s.GrainType.Contains("Run", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
            if (grainCount == 0) break;
            await Task.Delay(100);
        }
        Assert.Equal(0, grainCount);
        Assert.NotNull(silo);
    }
}
