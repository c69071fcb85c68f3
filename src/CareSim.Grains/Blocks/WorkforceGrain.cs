using CareSim.Grains.Abstractions;
using Orleans.Runtime;
using CareSim.Model.Plan;
using CareSim.Model.Snapshots;
using CareSim.Model.Workforce;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CareSim.Grains.Blocks;

/// <summary>One authority's workforce for one block of replicas (<see cref="WorkforceBlock"/>).</summary>
// Random placement: a run's grains spread over every active silo, including one that joined a moment ago (the default,
// resource-optimised placement left a newly joined silo without any grains in the cluster tests).
[RandomPlacement]
public sealed class WorkforceGrain(PlanCache plans, [PersistentState("workforce", CheckpointStorage.Name)] IPersistentState<BlockCheckpoints> checkpoints) : Grain, IWorkforceGrain
{
    private WorkforceBlock? _block;
    private int _nextMonth;

    private string Name => $"workforce grain {this.GetPrimaryKeyString()}";

    public async Task<Immutable<WorkforceReport>> Initialize(BlockAssignment assignment, Immutable<WorkforceDrivers> initialDrivers)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        _block = new WorkforceBlock(plan.Authorities[assignment.Index], plan.Seed,
            new BlockRange(assignment.FirstReplica, assignment.Count), initialDrivers.Value);
        _nextMonth = 0;
        return _block.InitialReport.AsImmutable();
    }

    public Task<Immutable<WorkforceReport>> Step(Immutable<WorkforceDrivers> drivers)
    {
        var block = Checkpointing.AtMonth(_block, _nextMonth, drivers.Value.Month, Name);
        _nextMonth++;
        return Task.FromResult(block.Step(drivers.Value).AsImmutable());
    }

    public Task Checkpoint(int month) =>
        checkpoints.SaveAsync(new BlockCheckpoint(month, BlockSnapshot.Capture(Checkpointing.AtMonth(_block, _nextMonth, month, Name))));

    public async Task Restore(BlockAssignment assignment, int month, Immutable<WorkforceDrivers> initialDrivers)
    {
        _block = null;
        var checkpoint = await checkpoints.LoadAsync(month, Name);
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        var block = new WorkforceBlock(plan.Authorities[assignment.Index], plan.Seed,
            new BlockRange(assignment.FirstReplica, assignment.Count), initialDrivers.Value);
        BlockSnapshot.Restore(block, checkpoint.Block);
        _block = block;
        _nextMonth = month;
    }

    public async Task Release(bool clearCheckpoints)
    {
        if (clearCheckpoints) await checkpoints.ClearAsync();
        _block = null;
        DeactivateOnIdle();
    }
}
