using CareSim.Grains.Abstractions;
using Orleans.Runtime;
using CareSim.Model.Markets;
using CareSim.Model.Plan;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CareSim.Grains.Blocks;

/// <summary>A regional labour market for one block of replicas (<see cref="LabourMarketBlock"/>).</summary>
// Random placement: a run's grains spread over every active silo, including one that joined a moment ago (the default,
// resource-optimised placement left a newly joined silo without any grains in the cluster tests).
[RandomPlacement]
public sealed class LabourMarketGrain(PlanCache plans, [PersistentState("market", CheckpointStorage.Name)] IPersistentState<BlockCheckpoints> checkpoints)
    : BlockGrain<LabourMarketBlock>(plans, checkpoints, "labour market"), ILabourMarketGrain
{
    protected override LabourMarketBlock Build(SimulationPlan plan, BlockAssignment assignment) =>
        new(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));

    public Task<Immutable<MarketAllocation[]>> Clear(int month, Immutable<MarketSubmission[]> submissions) =>
        Task.FromResult(Advance(month).Clear(submissions.Value).ToArray().AsImmutable());
}
