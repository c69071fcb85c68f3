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

    [Fact]
    public void A_lease_keeps_what_it_built_until_it_hands_it_back_whatever_thread_it_is_on()
    {
        var lease = new BlockMemory.Lease();
        double[] built;
        using (lease.Build()) built = BlockMemory.Array<double>(4_127);
        Assert.NotSame(built, BlockMemory.Array<double>(4_127)); // outside its building scope: new, not the lease's
        Assert.Equal(1, lease.Count);
        // Another owner, meanwhile, cannot have it: the lease has not handed it back.
        var kept = BlockMemory.KeptArrays<double>(4_127);
        using (BlockMemory.Reuse()) Assert.NotSame(built, BlockMemory.Array<double>(4_127));
        Assert.Equal(kept + 1, BlockMemory.KeptArrays<double>(4_127)); // that owner's own array, handed back

        // Handed back from another thread (a grain's later turn), it is taken again, cleared.
        Array.Fill(built, 2.5);
        var thread = new Thread(lease.HandBack);
        thread.Start();
        thread.Join();
        Assert.Equal(0, lease.Count);
        Assert.Equal(kept + 2, BlockMemory.KeptArrays<double>(4_127));
        var taken = new List<double[]>();
        using (lease.Build())
            for (var k = 0; k < kept + 2; k++) taken.Add(BlockMemory.Array<double>(4_127));
        Assert.Contains(built, taken);
        Assert.All(built, v => Assert.Equal(0.0, v));
        lease.HandBack();
    }

    [Fact]
    public void A_building_scope_holds_only_on_the_thread_that_opened_it()
    {
        var lease = new BlockMemory.Lease();
        using (lease.Build())
        {
            var thread = new Thread(() => BlockMemory.Array<double>(4_129));
            thread.Start();
            thread.Join();
            Assert.Equal(0, lease.Count); // the other thread's array was new, not the lease's
            BlockMemory.Array<double>(4_129);
            Assert.Equal(1, lease.Count);
        }
        BlockMemory.Array<double>(4_129);
        Assert.Equal(1, lease.Count);
        lease.HandBack();
    }

    [Fact]
    public void In_a_fresh_scope_every_array_is_new_and_nothing_is_handed_back()
    {
        using (BlockMemory.Reuse()) BlockMemory.Array<int>(4_133);
        var kept = BlockMemory.KeptArrays<int>(4_133);
        Assert.True(kept > 0);
        using (BlockMemory.Fresh())
        using (BlockMemory.Reuse())
            BlockMemory.Array<int>(4_133);
        Assert.Equal(kept, BlockMemory.KeptArrays<int>(4_133));
    }
}
