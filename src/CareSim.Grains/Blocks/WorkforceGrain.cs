using CareSim.Grains.Abstractions;
using CareSim.Model.Plan;
using CareSim.Model.Workforce;
using Orleans.Concurrency;

namespace CareSim.Grains.Blocks;

/// <summary>One authority's workforce for one block of replicas (<see cref="WorkforceBlock"/>).</summary>
public sealed class WorkforceGrain(PlanCache plans) : Grain, IWorkforceGrain
{
    private WorkforceBlock? _block;

    public async Task<Immutable<WorkforceReport>> Initialize(BlockAssignment assignment, Immutable<WorkforceDrivers> initialDrivers)
    {
        var plan = await plans.GetAsync(assignment.RunId, GrainFactory);
        _block = new WorkforceBlock(plan.Authorities[assignment.Index], plan.Seed,
            new BlockRange(assignment.FirstReplica, assignment.Count), initialDrivers.Value);
        return _block.InitialReport.AsImmutable();
    }

    public Task<Immutable<WorkforceReport>> Step(Immutable<WorkforceDrivers> drivers)
    {
        var block = _block ?? throw new InvalidOperationException($"workforce grain {this.GetPrimaryKeyString()} was not initialised");
        return Task.FromResult(block.Step(drivers.Value).AsImmutable());
    }

    public Task Release()
    {
        _block = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
