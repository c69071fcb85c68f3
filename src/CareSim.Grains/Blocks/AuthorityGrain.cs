using CareSim.Grains.Abstractions;
using Orleans.Runtime;
using CareSim.Model.Authority;
using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Plan;
using CareSim.Model.Snapshots;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CareSim.Grains.Blocks;

/// <summary>
/// One authority for one block of replicas (<see cref="AuthorityBlock"/>). Each month: begin,
/// ask its workforce grain to step, end. The workforce grain never calls back.
/// </summary>
// Random placement: a run's grains spread over every active silo, including one that joined a moment ago (the default,
// resource-optimised placement left a newly joined silo without any grains in the cluster tests).
[RandomPlacement]
public sealed class AuthorityGrain(PlanCache plans, [PersistentState("authority", CheckpointStorage.Name)] IPersistentState<BlockCheckpoints> checkpoints) : Grain, IAuthorityGrain
{
    private AuthorityBlock? _block;
    private IWorkforceGrain? _workforce;
    private int _nextMonth;

    private string Name => $"authority grain {this.GetPrimaryKeyString()}";

    private IWorkforceGrain Workforce => _workforce ??= GrainFactory.GetGrain<IWorkforceGrain>(this.GetPrimaryKeyString());

    public async Task Initialize(BlockAssignment assignment)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        _block = new AuthorityBlock(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));
        var start = await Workforce.Initialize(assignment, _block.InitialWorkforceDrivers().AsImmutable());
        _block.CompleteSeeding(start.Value);
        _nextMonth = 0;
    }

    public async Task<Immutable<AuthorityMonthOutput>> Step(Immutable<AuthorityMonthInput> input)
    {
        var block = Checkpointing.AtMonth(_block, _nextMonth, input.Value.Month, Name);
        var drivers = block.BeginMonth(input.Value);
        var report = await Workforce.Step(drivers.AsImmutable());
        _nextMonth++;
        return block.EndMonth(input.Value.Month, report.Value).AsImmutable();
    }

    public Task<Immutable<AuthorityOutcomes>> GetOutcomes() =>
        Task.FromResult((_block ?? throw new BlockStateLostException($"{Name} holds no block")).Outcomes.AsImmutable());

    public async Task Checkpoint(Immutable<AuthorityMonthInput> next)
    {
        var input = next.Value;
        var block = Checkpointing.AtMonth(_block, _nextMonth, input.Month, Name);
        await Workforce.Checkpoint(input.Month);
        await checkpoints.SaveAsync(new BlockCheckpoint(input.Month, BlockSnapshot.Capture(block),
            input.Market is null ? null : BlockSnapshot.Capture(input.Market),
            input.Commissioner is null ? null : BlockSnapshot.Capture(input.Commissioner)));
    }

    public async Task<Immutable<AuthorityMonthInput>> Restore(BlockAssignment assignment, int month)
    {
        _block = null;
        var checkpoint = await checkpoints.LoadAsync(month, Name);
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        // A fresh block, as Initialize builds it, then the checkpoint's state written over it.
        var block = new AuthorityBlock(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));
        await Workforce.Restore(assignment, month, block.InitialWorkforceDrivers().AsImmutable());
        BlockSnapshot.Restore(block, checkpoint.Block);
        MarketAllocation? market = null;
        if (checkpoint.NextMarket is { } marketBytes) BlockSnapshot.Restore(market = new MarketAllocation(assignment.Count), marketBytes);
        CommissionerDirective? directive = null;
        if (checkpoint.NextCommissioner is { } directiveBytes) BlockSnapshot.Restore(directive = new CommissionerDirective(assignment.Count), directiveBytes);
        _block = block;
        _nextMonth = month;
        return new AuthorityMonthInput(month, market, directive).AsImmutable();
    }

    public async Task Release(bool clearCheckpoints)
    {
        await Workforce.Release(clearCheckpoints);
        if (clearCheckpoints) await checkpoints.ClearAsync();
        _block = null;
        DeactivateOnIdle();
    }
}
