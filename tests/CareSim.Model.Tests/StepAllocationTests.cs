using CareSim.Model.Authority;
using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Plan;
using CareSim.Model.Workforce;

namespace CareSim.Model.Tests;

/// <summary>
/// The monthly step allocates nothing per replica: the bytes allocated by a month of a block
/// (authorities, workforces, the labour market and the commissioner) do not grow with the
/// block's replicas. (A foreach over the commissioner's reports once allocated an enumerator
/// per replica.) The allocation counter is exact, so this is a behaviour, not a timing.
/// </summary>
public class StepAllocationTests
{
    [Fact]
    public void A_month_of_a_block_allocates_the_same_bytes_for_10_and_1000_replicas()
    {
        var small = BytesPerMonth(replicas: 10);
        var large = BytesPerMonth(replicas: 1000);
        // Any allocation per replica costs at least 24 bytes (an object header and a field) x 990 more
        // replicas a month; the JIT's tiering on this thread, if it still shows in every attempt, a few
        // hundred bytes whatever the replicas. So: less than one byte per added replica.
        Assert.True(large - small < 1000 - 10, $"a month allocates {large:0} bytes with 1000 replicas and {small:0} with 10");
    }

    /// <summary>
    /// The fewest bytes a month allocated over several worlds: the JIT's tiering (recompiling hot
    /// methods as the test runs, later under load) allocates now and then on this thread, a
    /// per-replica allocation every time.
    /// </summary>
    private static double BytesPerMonth(int replicas)
    {
        const int months = 24;
        var plan = TestPlans.Region(authorities: 3, replicas: replicas, horizon: months);
        Step(new World(plan, replicas), months); // every path run once (first calls may allocate)
        var fewest = double.MaxValue;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var world = new World(plan, replicas);
            var before = GC.GetAllocatedBytesForCurrentThread();
            Step(world, months);
            fewest = Math.Min(fewest, (GC.GetAllocatedBytesForCurrentThread() - before) / (double)months);
        }
        return fewest;
    }

    private static void Step(World world, int months)
    {
        for (var month = 0; month < months; month++) world.Step(month);
    }

    /// <summary>One block of every authority, the market and the commissioner, as the reference engine steps them, buffers reused.</summary>
    private sealed class World
    {
        private readonly AuthorityBlock[] _authorities;
        private readonly WorkforceBlock[] _workforces;
        private readonly LabourMarketBlock _market;
        private readonly CommissionerBlock _commissioner;
        private readonly AuthorityMonthOutput[] _outputs;
        private readonly MarketSubmission[] _submissions;
        private readonly CommissionerReport[] _reports;
        private IReadOnlyList<MarketAllocation>? _allocations;
        private IReadOnlyList<CommissionerDirective>? _directives;

        public World(SimulationPlan plan, int replicas)
        {
            var block = new BlockRange(0, replicas);
            var n = plan.Authorities.Count;
            _authorities = Enumerable.Range(0, n).Select(a => new AuthorityBlock(plan, a, block)).ToArray();
            _workforces = Enumerable.Range(0, n).Select(a => new WorkforceBlock(plan.Authorities[a], plan.Seed, block, _authorities[a].InitialWorkforceDrivers())).ToArray();
            for (var a = 0; a < n; a++) _authorities[a].CompleteSeeding(_workforces[a].InitialReport);
            _market = new LabourMarketBlock(plan, 0, block);
            _commissioner = new CommissionerBlock(plan, 0, block);
            _outputs = new AuthorityMonthOutput[n];
            _submissions = new MarketSubmission[n];
            _reports = new CommissionerReport[n];
        }

        public void Step(int month)
        {
            for (var a = 0; a < _authorities.Length; a++)
            {
                var drivers = _authorities[a].BeginMonth(new AuthorityMonthInput(month, _allocations?[a], _directives?[a]));
                _outputs[a] = _authorities[a].EndMonth(month, _workforces[a].Step(drivers));
                _submissions[a] = _outputs[a].Market;
                _reports[a] = _outputs[a].Commissioner;
            }
            _allocations = _market.Clear(_submissions);
            _directives = _commissioner.Decide(month, _reports);
        }
    }
}
