using CareSim.Grains.Abstractions;
using Orleans.Runtime;
using CareSim.Model.Commissioners;
using CareSim.Model.Plan;
using CareSim.Model.Snapshots;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CareSim.Grains.Blocks;

/// <summary>A commissioner (one or several authorities) for one block of replicas (<see cref="CommissionerBlock"/>).</summary>
// Random placement: a run's grains spread over every active silo, including one that joined a moment ago (the default,
// resource-optimised placement left a newly joined silo without any grains in the cluster tests).
[RandomPlacement]
public sealed class CommissionerGrain(PlanCache plans, [PersistentState("commissioner", CheckpointStorage.Name)] IPersistentState<BlockCheckpoints> checkpoints) : Grain, ICommissionerGrain
{
    private CommissionerBlock? _block;
    private int _nextMonth;

    private string Name => $"commissioner grain {this.GetPrimaryKeyString()}";

    public async Task Initialize(BlockAssignment assignment)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        _block = new CommissionerBlock(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));
        _nextMonth = 0;
    }

    public Task<Immutable<CommissionerDirective[]>> Decide(int month, Immutable<CommissionerReport[]> reports)
    {
        var block = Checkpointing.AtMonth(_block, _nextMonth, month, Name);
        _nextMonth++;
        return Task.FromResult(block.Decide(month, reports.Value).ToArray().AsImmutable());
    }

    public Task Checkpoint(int month) =>
        checkpoints.SaveAsync(new BlockCheckpoint(month, BlockSnapshot.Capture(Checkpointing.AtMonth(_block, _nextMonth, month, Name))));

    public async Task Restore(BlockAssignment assignment, int month)
    {
        _block = null;
        var checkpoint = await checkpoints.LoadAsync(month, Name);
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        var block = new CommissionerBlock(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));
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
