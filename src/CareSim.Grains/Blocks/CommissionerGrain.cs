using CareSim.Grains.Abstractions;
using Orleans.Runtime;
using CareSim.Model.Commissioners;
using CareSim.Model.Plan;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CareSim.Grains.Blocks;

/// <summary>A commissioner (one or several authorities) for one block of replicas (<see cref="CommissionerBlock"/>).</summary>
// Random placement: a run's grains spread over every active silo, including one that joined a moment ago (the default,
// resource-optimised placement left a newly joined silo without any grains in the cluster tests).
[RandomPlacement]
public sealed class CommissionerGrain(PlanCache plans, [PersistentState("commissioner", CheckpointStorage.Name)] IPersistentState<BlockCheckpoints> checkpoints)
    : BlockGrain<CommissionerBlock>(plans, checkpoints, "commissioner"), ICommissionerGrain
{
    protected override CommissionerBlock Build(SimulationPlan plan, BlockAssignment assignment) =>
        new(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));

    public Task<Immutable<CommissionerDirective[]>> Decide(int month, Immutable<CommissionerReport[]> reports) =>
        Task.FromResult(Advance(month).Decide(month, reports.Value).ToArray().AsImmutable());
}
