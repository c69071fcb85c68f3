using CareSim.Grains.Abstractions;
using CareSim.Model.Authority;
using CareSim.Model.Plan;
using Orleans.Concurrency;

namespace CareSim.Grains.Blocks;

/// <summary>
/// One authority for one block of replicas (<see cref="AuthorityBlock"/>). Each month: begin,
/// ask its workforce grain to step, end. The workforce grain never calls back.
/// </summary>
public sealed class AuthorityGrain(PlanCache plans) : Grain, IAuthorityGrain
{
    private AuthorityBlock? _block;
    private IWorkforceGrain? _workforce;

    private AuthorityBlock Block => _block ?? throw new InvalidOperationException($"authority grain {this.GetPrimaryKeyString()} was not initialised");

    public async Task Initialize(BlockAssignment assignment)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        _block = new AuthorityBlock(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));
        _workforce = GrainFactory.GetGrain<IWorkforceGrain>(this.GetPrimaryKeyString());
        var start = await _workforce.Initialize(assignment, _block.InitialWorkforceDrivers().AsImmutable());
        _block.CompleteSeeding(start.Value);
    }

    public async Task<Immutable<AuthorityMonthOutput>> Step(Immutable<AuthorityMonthInput> input)
    {
        var block = Block;
        var drivers = block.BeginMonth(input.Value);
        var report = await _workforce!.Step(drivers.AsImmutable());
        return block.EndMonth(input.Value.Month, report.Value).AsImmutable();
    }

    public Task<Immutable<AuthorityOutcomes>> GetOutcomes() => Task.FromResult(Block.Outcomes.AsImmutable());

    public async Task Release()
    {
        if (_workforce is not null) await _workforce.Release();
        _block = null;
        DeactivateOnIdle();
    }
}
