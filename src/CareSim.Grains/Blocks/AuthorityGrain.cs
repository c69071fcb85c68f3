using CareSim.Grains.Abstractions;
using CareSim.Grains.Checkpoints;
using CareSim.Model.Authority;
using CareSim.Model.Plan;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CareSim.Grains.Blocks;

/// <summary>
/// One authority for one block of replicas (<see cref="AuthorityBlock"/>). Each month: begin,
/// ask its workforce grain to step, end. The workforce grain never calls back.
/// </summary>
// Local placement: its replica block grain activates it, so it lives on that block's silo (as its workforce does).
[PreferLocalPlacement]
public sealed class AuthorityGrain(PlanCache plans) : Grain, IAuthorityGrain
{
    private AuthorityBlock? _block;
    private IWorkforceGrain? _workforce;
    private int _nextMonth;
    private readonly MemoryStream _snapshot = new(); // reused by every checkpoint

    private string Name => $"authority grain {this.GetPrimaryKeyString()}";

    private IWorkforceGrain Workforce => _workforce ??= GrainFactory.GetGrain<IWorkforceGrain>(this.GetPrimaryKeyString());

    public async Task Initialize(BlockAssignment assignment)
    {
        var block = await BuildAsync(assignment);
        var start = await Workforce.Initialize(assignment, block.InitialWorkforceDrivers().AsImmutable());
        block.CompleteSeeding(start.Value);
        _block = block;
        _nextMonth = 0;
    }

    public async Task<Immutable<AuthorityMonthOutput>> Step(Immutable<AuthorityMonthInput> input)
    {
        var block = BlockState.AtMonth(_block, _nextMonth, input.Value.Month, Name);
        var drivers = block.BeginMonth(input.Value);
        var report = await Workforce.Step(drivers.AsImmutable());
        _nextMonth++;
        return block.EndMonth(input.Value.Month, report.Value).AsImmutable();
    }

    public Task<Immutable<AuthorityOutcomes>> GetOutcomes() =>
        Task.FromResult((_block ?? throw new BlockStateLostException($"{Name} holds no block")).Outcomes.AsImmutable());

    public async Task<Immutable<AuthoritySnapshot>> Capture(int month)
    {
        var block = BlockState.AtMonth(_block, _nextMonth, month, Name);
        var workforce = await Workforce.Capture(month);
        return new AuthoritySnapshot(new SnapshotBytes(BlockSnapshot.Capture(block, _snapshot)), workforce.Value).AsImmutable();
    }

    public async Task Restore(BlockAssignment assignment, int month, Immutable<AuthoritySnapshot> snapshot)
    {
        _block = null;
        // A fresh block, as Initialize builds it, then the snapshot's state written over it.
        var block = await BuildAsync(assignment);
        await Workforce.Restore(assignment, month, snapshot.Value.Workforce.AsImmutable(), block.InitialWorkforceDrivers().AsImmutable());
        BlockSnapshot.Restore(block, snapshot.Value.Authority.Memory);
        _block = block;
        _nextMonth = month;
    }

    public async Task Release()
    {
        await Workforce.Release();
        _block = null;
        DeactivateOnIdle();
    }

    private async Task<AuthorityBlock> BuildAsync(BlockAssignment assignment)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        return new AuthorityBlock(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));
    }
}
