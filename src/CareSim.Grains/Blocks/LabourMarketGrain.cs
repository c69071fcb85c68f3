using CareSim.Grains.Abstractions;
using CareSim.Model.Markets;
using CareSim.Model.Plan;
using Orleans.Concurrency;

namespace CareSim.Grains.Blocks;

/// <summary>A regional labour market for one block of replicas (<see cref="LabourMarketBlock"/>).</summary>
public sealed class LabourMarketGrain(PlanCache plans) : Grain, ILabourMarketGrain
{
    private LabourMarketBlock? _block;

    public async Task Initialize(BlockAssignment assignment)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        _block = new LabourMarketBlock(plan, assignment.Index, new BlockRange(assignment.FirstReplica, assignment.Count));
    }

    public Task<Immutable<MarketAllocation[]>> Clear(int month, Immutable<MarketSubmission[]> submissions)
    {
        var block = _block ?? throw new InvalidOperationException($"labour market grain {this.GetPrimaryKeyString()} was not initialised");
        return Task.FromResult(block.Clear(submissions.Value).ToArray().AsImmutable());
    }

    public Task Release()
    {
        _block = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
