using CareSim.Grains.Abstractions;
using CareSim.Model.Commissioners;
using CareSim.Model.Plan;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CareSim.Grains.Blocks;

/// <summary>A commissioner (one or several authorities) for one block of replicas (<see cref="CommissionerBlock"/>).</summary>
// Local placement: its replica block grain activates it, on the block's silo.
[PreferLocalPlacement]
public sealed class CommissionerGrain(PlanCache plans)
    : BlockGrain<CommissionerBlock>(plans, "commissioner"), ICommissionerGrain
{
    protected override CommissionerBlock Build(SimulationPlan plan, BlockAssignment assignment) =>
        new(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));

    public Task<Immutable<CommissionerDirective[]>> Decide(int month, Immutable<CommissionerReport[]> reports) =>
        Task.FromResult(Advance(month).Decide(month, reports.Value).ToArray().AsImmutable());
}
