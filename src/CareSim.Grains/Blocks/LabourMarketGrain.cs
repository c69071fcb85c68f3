using CareSim.Grains.Abstractions;
using Orleans.Runtime;
using CareSim.Model.Markets;
using CareSim.Model.Plan;
using CareSim.Model.Snapshots;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CareSim.Grains.Blocks;

/// <summary>A regional labour market for one block of replicas (<see cref="LabourMarketBlock"/>).</summary>
// Random placement: a run's grains spread over every active silo, including one that joined a moment ago (the default,
// resource-optimised placement left a newly joined silo without any grains in the cluster tests).
[RandomPlacement]
public sealed class LabourMarketGrain(PlanCache plans, [PersistentState("market", CheckpointStorage.Name)] IPersistentState<BlockCheckpoints> checkpoints) : Grain, ILabourMarketGrain
{
    private LabourMarketBlock? _block;
    private int _nextMonth;

    private string Name => $"labour market grain {this.GetPrimaryKeyString()}";

    public async Task Initialize(BlockAssignment assignment)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        _block = new LabourMarketBlock(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));
        _nextMonth = 0;
    }

    public Task<Immutable<MarketAllocation[]>> Clear(int month, Immutable<MarketSubmission[]> submissions)
    {
        var block = Checkpointing.AtMonth(_block, _nextMonth, month, Name);
        _nextMonth++;
        return Task.FromResult(block.Clear(submissions.Value).ToArray().AsImmutable());
    }

    public Task Checkpoint(int month) =>
        checkpoints.SaveAsync(new BlockCheckpoint(month, BlockSnapshot.Capture(Checkpointing.AtMonth(_block, _nextMonth, month, Name))));

    public async Task Restore(BlockAssignment assignment, int month)
    {
        _block = null;
        var checkpoint = await checkpoints.LoadAsync(month, Name);
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        var block = new LabourMarketBlock(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));
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
