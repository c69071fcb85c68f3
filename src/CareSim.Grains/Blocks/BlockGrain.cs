using CareSim.Grains.Abstractions;
using CareSim.Grains.Checkpoints;
using CareSim.Model;
using CareSim.Model.Plan;
using Orleans.Concurrency;

namespace CareSim.Grains.Blocks;

/// <summary>
/// What the commissioner and labour-market grains share: a model block built from the plan,
/// stepped one month at a time, captured as bytes for a checkpoint and restored from them. The
/// block is built in memory earlier blocks handed back (<see cref="BlockMemory"/>), and hands its own
/// back when the grain drops it (as <see cref="AuthorityGrain"/> explains).
/// </summary>
public abstract class BlockGrain<TBlock>(PlanCache plans, string kind) : Grain
    where TBlock : class
{
    private TBlock? _block;
    private int _nextMonth;
    private readonly MemoryStream _snapshot = new(); // reused by every checkpoint
    private readonly BlockMemory.Lease _memory = new(); // the block's arrays

    private string Name => $"{kind} grain {this.GetPrimaryKeyString()}";

    /// <summary>A fresh block for the assignment, as the start of a run has it.</summary>
    protected abstract TBlock Build(SimulationPlan plan, BlockAssignment assignment);

    /// <summary>The block, at <paramref name="month"/>; the month then counts as done.</summary>
    protected TBlock Advance(int month)
    {
        var block = BlockState.AtMonth(_block, _nextMonth, month, Name);
        _nextMonth++;
        return block;
    }

    public async Task Initialize(BlockAssignment assignment)
    {
        Drop();
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        using (_memory.Build()) _block = Build(plan, assignment);
        _nextMonth = 0;
    }

    /// <summary>The block's state, in this grain's capture buffer (valid until its next capture).</summary>
    public Task<Immutable<SnapshotBytes>> Capture(int month) =>
        Task.FromResult(new SnapshotBytes(BlockSnapshot.Capture(BlockState.AtMonth(_block, _nextMonth, month, Name), _snapshot)).AsImmutable());

    public async Task Restore(BlockAssignment assignment, int month, Immutable<SnapshotBytes> snapshot)
    {
        Drop();
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        TBlock block;
        using (_memory.Build()) block = Build(plan, assignment);
        BlockSnapshot.Restore(block, snapshot.Value.Memory);
        _block = block;
        _nextMonth = month;
    }

    /// <summary>Drops the block (its replica block grain, the only caller, has dropped what it was given) and hands its memory back.</summary>
    private void Drop()
    {
        _block = null;
        _memory.HandBack();
    }

    public Task Release()
    {
        Drop();
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
