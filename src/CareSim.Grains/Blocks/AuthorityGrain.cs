using CareSim.Grains.Abstractions;
using CareSim.Grains.Checkpoints;
using CareSim.Model.Authority;
using CareSim.Model.Plan;
using CareSim.Model.Workforce;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CareSim.Grains.Blocks;

/// <summary>
/// One authority and its workforce for one block of replicas (<see cref="AuthorityBlock"/> and
/// <see cref="WorkforceBlock"/>). Each month, in one turn: begin, the workforce's step, end, as
/// the reference engine does. The workforce is not a grain of its own: only its authority ever
/// called it, once a month, so a second grain cost a second call (a message, a turn on another
/// thread, its arrays crossing cores) per authority-month and bought nothing.
/// </summary>
// Local placement: its replica block grain activates it, so it lives on that block's silo.
[PreferLocalPlacement]
public sealed class AuthorityGrain(PlanCache plans) : Grain, IAuthorityGrain
{
    private AuthorityBlock? _block;
    private WorkforceBlock? _workforce;
    private int _nextMonth;
    private readonly MemoryStream _snapshot = new(), _workforceSnapshot = new(); // reused by every checkpoint

    private string Name => $"authority grain {this.GetPrimaryKeyString()}";

    public async Task Initialize(BlockAssignment assignment)
    {
        _block = null;
        var (block, workforce) = await BuildAsync(assignment);
        block.CompleteSeeding(workforce.InitialReport);
        (_block, _workforce) = (block, workforce);
        _nextMonth = 0;
    }

    public Task<Immutable<AuthorityMonthOutput>> Step(Immutable<AuthorityMonthInput> input)
    {
        var month = input.Value.Month;
        var block = BlockState.AtMonth(_block, _nextMonth, month, Name);
        var report = _workforce!.Step(block.BeginMonth(input.Value));
        _nextMonth++;
        return Task.FromResult(block.EndMonth(month, report).AsImmutable());
    }

    public Task<Immutable<AuthorityOutcomes>> GetOutcomes() =>
        Task.FromResult((_block ?? throw new BlockStateLostException($"{Name} holds no block")).Outcomes.AsImmutable());

    public Task<Immutable<AuthoritySnapshot>> Capture(int month)
    {
        var block = BlockState.AtMonth(_block, _nextMonth, month, Name);
        return Task.FromResult(new AuthoritySnapshot(
            new SnapshotBytes(BlockSnapshot.Capture(block, _snapshot)),
            new SnapshotBytes(BlockSnapshot.Capture(_workforce!, _workforceSnapshot))).AsImmutable());
    }

    public async Task Restore(BlockAssignment assignment, int month, Immutable<AuthoritySnapshot> snapshot)
    {
        _block = null;
        // Fresh blocks, as Initialize builds them, then the snapshot's state written over them.
        var (block, workforce) = await BuildAsync(assignment);
        BlockSnapshot.Restore(workforce, snapshot.Value.Workforce.Memory);
        BlockSnapshot.Restore(block, snapshot.Value.Authority.Memory);
        (_block, _workforce) = (block, workforce);
        _nextMonth = month;
    }

    public Task Release()
    {
        (_block, _workforce) = (null, null);
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>The authority's block and its workforce's, as the start of a run has them (the workforce seeded from the authority's initial drivers).</summary>
    private async Task<(AuthorityBlock Block, WorkforceBlock Workforce)> BuildAsync(BlockAssignment assignment)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        var range = new BlockRange(assignment.FirstReplica, assignment.Count);
        var block = new AuthorityBlock(plan, assignment.Index, range);
        return (block, new WorkforceBlock(plan.Authorities[assignment.Index], plan.Seed, range, block.InitialWorkforceDrivers()));
    }
}
