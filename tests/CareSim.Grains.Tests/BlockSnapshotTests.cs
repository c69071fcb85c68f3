using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Model.Authority;
using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Plan;
using CareSim.Grains.Checkpoints;
using CareSim.Model.Workforce;

namespace CareSim.Grains.Tests;

/// <summary>
/// The checkpoints rest on this: a block restored from a snapshot into a freshly constructed
/// block continues exactly as the original would have.
/// </summary>
public class BlockSnapshotTests
{
    /// <summary>The reference engine's loop for one block, with every block snapshotted and rebuilt at <paramref name="restartMonth"/>.</summary>
    private static RecordingSink RunWithRestart(SimulationPlan plan, int restartMonth)
    {
        var sink = new RecordingSink(plan);
        var range = new BlockRange(0, plan.Replicas);
        var world = World.Create(plan, range);
        var allocations = new MarketAllocation?[plan.Authorities.Count];
        var directives = new CommissionerDirective?[plan.Authorities.Count];
        for (var month = 0; month < plan.HorizonMonths; month++)
        {
            if (month == restartMonth) world = world.SnapshotAndRebuild(plan, range);
            var outputs = new AuthorityMonthOutput[plan.Authorities.Count];
            for (var a = 0; a < plan.Authorities.Count; a++)
            {
                var drivers = world.Authorities[a].BeginMonth(new AuthorityMonthInput(month, allocations[a], directives[a]));
                outputs[a] = world.Authorities[a].EndMonth(month, world.Workforces[a].Step(drivers));
                sink.AcceptMetrics(month, a, range, outputs[a].Metrics);
            }
            for (var m = 0; m < world.Markets.Length; m++)
            {
                var members = plan.LabourMarkets[m].AuthorityIndices;
                var cleared = world.Markets[m].Clear(members.Select(a => outputs[a].Market).ToList());
                for (var k = 0; k < members.Count; k++) allocations[members[k]] = cleared[k];
            }
            for (var c = 0; c < world.Commissioners.Length; c++)
            {
                var members = plan.Commissioners[c].AuthorityIndices;
                var decided = world.Commissioners[c].Decide(month, members.Select(a => outputs[a].Commissioner).ToList());
                for (var k = 0; k < members.Count; k++) directives[members[k]] = decided[k];
            }
            sink.CompleteMonth(month);
        }
        for (var a = 0; a < plan.Authorities.Count; a++) sink.AcceptOutcomes(a, range, world.Authorities[a].Outcomes);
        return sink;
    }

    private sealed record World(AuthorityBlock[] Authorities, WorkforceBlock[] Workforces, LabourMarketBlock[] Markets, CommissionerBlock[] Commissioners)
    {
        public static World Create(SimulationPlan plan, BlockRange range)
        {
            var authorities = plan.Authorities.Select((_, a) => new AuthorityBlock(plan, a, range)).ToArray();
            var workforces = new WorkforceBlock[authorities.Length];
            for (var a = 0; a < authorities.Length; a++)
            {
                workforces[a] = new WorkforceBlock(plan.Authorities[a], plan.Seed, range, authorities[a].InitialWorkforceDrivers());
                authorities[a].CompleteSeeding(workforces[a].InitialReport);
            }
            return new World(authorities, workforces,
                plan.LabourMarkets.Select((_, m) => new LabourMarketBlock(plan, m, range)).ToArray(),
                plan.Commissioners.Select((_, c) => new CommissionerBlock(plan, c, range)).ToArray());
        }

        /// <summary>
        /// Snapshots every block, builds a fresh world (as a reactivated grain would) and restores the
        /// snapshots into it. Each block is captured into a buffer used before (as a grain's is at its
        /// second checkpoint), holding more bytes than the snapshot.
        /// </summary>
        public World SnapshotAndRebuild(SimulationPlan plan, BlockRange range)
        {
            object[] old = [.. Authorities, .. Workforces, .. Markets, .. Commissioners];
            var snapshots = old.Select(block =>
            {
                var used = new MemoryStream();
                used.Write(Enumerable.Repeat((byte)0xA5, 3 * BlockSnapshot.Capture(block).Length).ToArray());
                return BlockSnapshot.Capture(block, used);
            }).ToArray();
            var fresh = Create(plan, range);
            object[] rebuilt = [.. fresh.Authorities, .. fresh.Workforces, .. fresh.Markets, .. fresh.Commissioners];
            for (var i = 0; i < rebuilt.Length; i++) BlockSnapshot.Restore(rebuilt[i], snapshots[i]);
            return fresh;
        }
    }

    [Theory]
    [InlineData("sefton-2022-23.yaml", 1)]
    [InlineData("sefton-2022-23.yaml", 13)]
    [InlineData("liverpool-city-region.yaml", 7)]
    [InlineData("liverpool-city-region.yaml", 23)]
    public void A_run_restored_from_snapshots_at_a_month_boundary_matches_the_reference_engine(string scenario, int restartMonth)
    {
        var plan = Plans.Load(scenario, replicas: 24, horizon: 30);
        var expected = new RecordingSink(plan);
        ReferenceEngine.Run(plan, new RunSettings(BlockSize: plan.Replicas), expected);
        RunWithRestart(plan, restartMonth).AssertIdenticalTo(expected);
    }

    [Fact]
    public void Programmes_started_before_the_snapshot_keep_running_after_it()
    {
        var plan = Plans.Load("sefton-2022-23.yaml", replicas: 16, horizon: 30);
        var sefton = plan.Authorities[0];
        plan = plan with
        {
            Authorities = [sefton with { Events = [.. sefton.Events, new ProgrammeEvent(3, 1.5, Support: 0.2, DurationMonths: 18)] }],
        };
        var expected = new RecordingSink(plan);
        ReferenceEngine.Run(plan, new RunSettings(BlockSize: plan.Replicas), expected);
        RunWithRestart(plan, restartMonth: 10).AssertIdenticalTo(expected);
        // Without the programme's state the run would differ: the test can tell.
        var withoutPlan = plan with { Authorities = [sefton] };
        var without = new RecordingSink(withoutPlan);
        ReferenceEngine.Run(withoutPlan, new RunSettings(BlockSize: plan.Replicas), without);
        Assert.ThrowsAny<Exception>(() => without.AssertIdenticalTo(expected));
    }

    [Fact]
    public void A_snapshot_does_not_restore_into_another_kind_of_block_or_from_damaged_bytes()
    {
        var plan = Plans.Load("sefton-2022-23.yaml", replicas: 4, horizon: 6);
        var range = new BlockRange(0, 4);
        var market = new LabourMarketBlock(plan, 0, range);
        var bytes = BlockSnapshot.Capture(market);
        Assert.Throws<InvalidDataException>(() => BlockSnapshot.Restore(new CommissionerBlock(plan, 0, range), bytes));
        Assert.Throws<InvalidDataException>(() => BlockSnapshot.Restore(new LabourMarketBlock(plan, 0, range), bytes[..^3]));
        BlockSnapshot.Restore(new LabourMarketBlock(plan, 0, range), bytes);
    }

    [Fact]
    public void Plan_inputs_are_not_stored_but_state_is()
    {
        var layout = BlockSnapshot.Describe(typeof(AuthorityBlock));
        Assert.DoesNotContain("AuthorityBlock._authority:", layout);
        Assert.DoesNotContain("AuthorityBlock._eventsByMonth:", layout);
        Assert.DoesNotContain("AuthorityBlock._p:", layout);
        Assert.Contains("AuthorityBlock._programmes:", layout);
        Assert.Contains("AuthorityBlock._quality:", layout);
    }

    [Fact]
    public void Monthly_output_buffers_are_not_stored_but_cumulative_outcomes_are()
    {
        var authority = BlockSnapshot.Describe(typeof(AuthorityBlock));
        Assert.DoesNotContain("AuthorityBlock._metrics:", authority);
        Assert.DoesNotContain("AuthorityBlock._drivers:", authority);
        Assert.DoesNotContain("AuthorityBlock._market:", authority);
        Assert.Contains("AuthorityBlock._outcomes:", authority);
        Assert.DoesNotContain("WorkforceBlock._report:", BlockSnapshot.Describe(typeof(WorkforceBlock)));
        Assert.DoesNotContain("LabourMarketBlock._allocations:", BlockSnapshot.Describe(typeof(LabourMarketBlock)));
        Assert.DoesNotContain("CommissionerBlock._directives:", BlockSnapshot.Describe(typeof(CommissionerBlock)));
    }

    [Fact]
    public void Scratch_fields_are_not_stored()
    {
        // The commissioner's view of its reports' arrays ([Scratch]): refilled at every Decide, so a
        // restored commissioner decides as the original (the restart tests above run one, in the
        // Liverpool City Region, across the snapshot).
        var commissioner = BlockSnapshot.Describe(typeof(CommissionerBlock));
        Assert.DoesNotContain("CommissionerBlock._activeOf:", commissioner);
        Assert.DoesNotContain("CommissionerBlock._dueOf:", commissioner);
        Assert.DoesNotContain("CommissionerBlock._capacityOf:", commissioner);
        Assert.Contains("CommissionerBlock._authorityKeys:", commissioner);
    }
}
