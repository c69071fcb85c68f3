using CareSim.Grains.Abstractions;
using CareSim.Grains.Checkpoints;
using CareSim.Model;
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
/// <remarks>
/// <para>
/// Memory: the blocks are built in arrays earlier blocks of this process handed back
/// (<see cref="BlockMemory"/>; cleared, so the numbers are those of fresh memory), taken by this
/// grain's lease while they are built. The construction is synchronous, inside one turn, so the
/// building scope (thread-bound) is opened and closed on one thread; the lease itself lives as long
/// as the grain, whatever threads its turns run on.
/// </para>
/// <para>
/// The lease is handed back when the grain drops its blocks: <see cref="Release"/> at the run's end
/// (also after a failure or cancellation: the runner releases every block) and before
/// <see cref="Initialize"/> or <see cref="Restore"/> rebuilds them (a rewind, which then builds in
/// the same arrays). Only the replica block grain calls these, after it has dropped what the blocks
/// gave it (the month's outputs, and the markets' allocations and commissioners' directives it keeps
/// for the next month), and never while a month of its is in progress (grain turns do not interleave).
/// What goes to the runner and its sink, metric frames and outcomes, is never from
/// <see cref="BlockMemory"/>. A grain deactivated without a release (its run abandoned: idle
/// collection, a silo shutting down) does not hand back: its replica block grain may still hold
/// arrays of its blocks, so they are left to the garbage collector.
/// </para>
/// </remarks>
// Local placement: its replica block grain activates it, so it lives on that block's silo.
[PreferLocalPlacement]
public sealed class AuthorityGrain(PlanCache plans) : Grain, IAuthorityGrain
{
    private AuthorityBlock? _block;
    private WorkforceBlock? _workforce;
    private int _nextMonth;
    private readonly MemoryStream _snapshot = new(), _workforceSnapshot = new(); // reused by every checkpoint
    private readonly BlockMemory.Lease _memory = new(); // the blocks' arrays

    private string Name => $"authority grain {this.GetPrimaryKeyString()}";

    public async Task Initialize(BlockAssignment assignment)
    {
        Drop();
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
        Drop();
        // Fresh blocks, as Initialize builds them, then the snapshot's state written over them.
        var (block, workforce) = await BuildAsync(assignment);
        BlockSnapshot.Restore(workforce, snapshot.Value.Workforce.Memory);
        BlockSnapshot.Restore(block, snapshot.Value.Authority.Memory);
        (_block, _workforce) = (block, workforce);
        _nextMonth = month;
    }

    public Task Release()
    {
        Drop();
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>Drops the blocks and hands their memory back (see the remarks: only when the replica block grain has dropped what they gave it).</summary>
    private void Drop()
    {
        (_block, _workforce) = (null, null);
        _memory.HandBack();
    }

    /// <summary>The authority's block and its workforce's, as the start of a run has them (the workforce seeded from the authority's initial drivers).</summary>
    private async Task<(AuthorityBlock Block, WorkforceBlock Workforce)> BuildAsync(BlockAssignment assignment)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        var range = new BlockRange(assignment.FirstReplica, assignment.Count);
        using var building = _memory.Build(); // no await from here on: the scope holds on this thread only
        var block = new AuthorityBlock(plan, assignment.Index, range);
        return (block, new WorkforceBlock(plan.Authorities[assignment.Index], plan.Seed, range, block.InitialWorkforceDrivers()));
    }
}
