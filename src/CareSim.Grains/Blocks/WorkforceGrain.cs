using CareSim.Grains.Abstractions;
using CareSim.Grains.Checkpoints;
using CareSim.Model.Plan;
using CareSim.Model.Workforce;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CareSim.Grains.Blocks;

/// <summary>One authority's workforce for one block of replicas (<see cref="WorkforceBlock"/>).</summary>
// Local placement: its authority grain activates it, on the block's silo.
[PreferLocalPlacement]
public sealed class WorkforceGrain(PlanCache plans) : Grain, IWorkforceGrain
{
    private WorkforceBlock? _block;
    private int _nextMonth;
    private readonly MemoryStream _snapshot = new(); // reused by every checkpoint

    private string Name => $"workforce grain {this.GetPrimaryKeyString()}";

    public async Task<Immutable<WorkforceReport>> Initialize(BlockAssignment assignment, Immutable<WorkforceDrivers> initialDrivers)
    {
        _block = await BuildAsync(assignment, initialDrivers.Value);
        _nextMonth = 0;
        return _block.InitialReport.AsImmutable();
    }

    public Task<Immutable<WorkforceReport>> Step(Immutable<WorkforceDrivers> drivers)
    {
        var block = BlockState.AtMonth(_block, _nextMonth, drivers.Value.Month, Name);
        _nextMonth++;
        return Task.FromResult(block.Step(drivers.Value).AsImmutable());
    }

    /// <summary>The block's state, in this grain's capture buffer (valid until its next capture).</summary>
    public Task<Immutable<SnapshotBytes>> Capture(int month) =>
        Task.FromResult(new SnapshotBytes(BlockSnapshot.Capture(BlockState.AtMonth(_block, _nextMonth, month, Name), _snapshot)).AsImmutable());

    public async Task Restore(BlockAssignment assignment, int month, Immutable<SnapshotBytes> snapshot, Immutable<WorkforceDrivers> initialDrivers)
    {
        _block = null;
        var block = await BuildAsync(assignment, initialDrivers.Value);
        BlockSnapshot.Restore(block, snapshot.Value.Memory);
        _block = block;
        _nextMonth = month;
    }

    public Task Release()
    {
        _block = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private async Task<WorkforceBlock> BuildAsync(BlockAssignment assignment, WorkforceDrivers initialDrivers)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        return new WorkforceBlock(plan.Authorities[assignment.Index], plan.Seed, new BlockRange(assignment.FirstReplica, assignment.Count), initialDrivers);
    }
}
