using CareSim.Model.Outputs;

namespace CareSim.Model.Tests;

public class BlockMemoryTests
{
    // Lengths no other test uses, so that tests running beside these take no arrays of them.
    [Fact]
    public void Outside_a_scope_every_array_is_new()
    {
        var first = BlockMemory.Array<double>(4_099);
        var second = BlockMemory.Array<double>(4_099);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void A_scope_reuses_the_arrays_an_earlier_scope_handed_back_cleared()
    {
        double[] used;
        using (BlockMemory.Reuse())
        {
            used = BlockMemory.Array<double>(4_111);
            Array.Fill(used, 3.5);
        }
        using (BlockMemory.Reuse())
        {
            var again = BlockMemory.Array<double>(4_111);
            Assert.Same(used, again);
            Assert.All(again, v => Assert.Equal(0.0, v));
            Assert.NotSame(again, BlockMemory.Array<double>(4_111)); // handed out once per scope
            Assert.IsType<int[]>(BlockMemory.Array<int>(4_111)); // kept by element type too
        }
    }

    [Fact]
    public void A_run_in_the_memory_of_earlier_runs_gives_the_same_numbers()
    {
        // 37 replicas: arrays of a length no other test's blocks have. The second run of seed 1 is built
        // in the arrays the other runs left (every value written by them), the first in fresh ones.
        var plan = TestPlans.Region(authorities: 3, replicas: 37, horizon: 30);
        var first = Simulate.Run(plan);
        Simulate.Run(plan with { Seed = 2 });
        var again = Simulate.Run(plan);
        for (var month = 0; month < plan.HorizonMonths; month++)
        for (var a = 0; a < 3; a++)
        foreach (var metric in Enum.GetValues<Metric>())
            Assert.Equal(first.Values(month, metric, a), again.Values(month, metric, a));
        for (var a = 0; a < 3; a++)
        {
            Assert.Equal(first.MonthsToGood[a], again.MonthsToGood[a]);
            Assert.Equal(first.MonthsToNextInspection[a], again.MonthsToNextInspection[a]);
        }
    }
}
