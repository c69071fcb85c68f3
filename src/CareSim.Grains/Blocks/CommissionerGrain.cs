using CareSim.Grains.Abstractions;
using CareSim.Model.Commissioners;
using CareSim.Model.Plan;
using Orleans.Concurrency;

namespace CareSim.Grains.Blocks;

/// <summary>A commissioner (one or several authorities) for one block of replicas (<see cref="CommissionerBlock"/>).</summary>
public sealed class CommissionerGrain(PlanCache plans) : Grain, ICommissionerGrain
{
    private CommissionerBlock? _block;

    public async Task Initialize(BlockAssignment assignment)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        _block = new CommissionerBlock(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));
    }

    public Task<Immutable<CommissionerDirective[]>> Decide(int month, Immutable<CommissionerReport[]> reports)
    {
        var block = _block ?? throw new InvalidOperationException($"commissioner grain {this.GetPrimaryKeyString()} was not initialised");
        return Task.FromResult(block.Decide(month, reports.Value).ToArray().AsImmutable());
    }

    public Task Release()
    {
        _block = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
