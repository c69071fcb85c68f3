using CareSim.Grains.Abstractions;
using CareSim.Model.Plan;
using CareSim.Model.Snapshots;
using Orleans.Runtime;

namespace CareSim.Grains.Blocks;

/// <summary>
/// What the commissioner and labour-market grains share: a model block built from the plan,
/// stepped one month at a time, checkpointed to grain storage and restored from it.
/// </summary>
public abstract class BlockGrain<TBlock>(PlanCache plans, IPersistentState<BlockCheckpoints> checkpoints, string kind) : Grain
    where TBlock : class
{
    private TBlock? _block;
    private int _nextMonth;

    private string Name => $"{kind} grain {this.GetPrimaryKeyString()}";

    /// <summary>A fresh block for the assignment, as the start of a run has it.</summary>
    protected abstract TBlock Build(SimulationPlan plan, BlockAssignment assignment);

    /// <summary>The block, at <paramref name="month"/>; the month then counts as done.</summary>
    protected TBlock Advance(int month)
    {
        var block = Checkpointing.AtMonth(_block, _nextMonth, month, Name);
        _nextMonth++;
        return block;
    }

    public async Task Initialize(BlockAssignment assignment)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        _block = Build(plan, assignment);
        _nextMonth = 0;
    }

    public Task Checkpoint(int month) =>
        checkpoints.SaveAsync(new BlockCheckpoint(month, BlockSnapshot.Capture(Checkpointing.AtMonth(_block, _nextMonth, month, Name))));

    public async Task Restore(BlockAssignment assignment, int month)
    {
        _block = null;
        var checkpoint = await checkpoints.LoadAsync(month, Name);
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        var block = Build(plan, assignment);
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
