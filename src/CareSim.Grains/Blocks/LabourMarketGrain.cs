using CareSim.Grains.Abstractions;
using CareSim.Model.Markets;
using CareSim.Model.Plan;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CareSim.Grains.Blocks;

/// <summary>A regional labour market for one block of replicas (<see cref="LabourMarketBlock"/>).</summary>
// Local placement: its replica block grain activates it, on the block's silo.
[PreferLocalPlacement]
public sealed class LabourMarketGrain(PlanCache plans)
    : BlockGrain<LabourMarketBlock>(plans, "labour market"), ILabourMarketGrain
{
    protected override LabourMarketBlock Build(SimulationPlan plan, BlockAssignment assignment) =>
        new(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));

    public Task<Immutable<MarketAllocation[]>> Clear(int month, Immutable<MarketSubmission[]> submissions) =>
        Task.FromResult(Advance(month).Clear(submissions.Value).ToArray().AsImmutable());
}
