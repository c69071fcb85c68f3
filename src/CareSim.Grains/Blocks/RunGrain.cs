using CareSim.Grains.Abstractions;
using Orleans.Concurrency;

namespace CareSim.Grains.Blocks;

/// <summary>Holds a run's plan (JSON) for the block grains of every silo.</summary>
public sealed class RunGrain(PlanCache plans) : Grain, IRunGrain
{
    private byte[]? _plan;

    public Task Register(Immutable<byte[]> planJson)
    {
        _plan = planJson.Value;
        return Task.CompletedTask;
    }

    public Task<Immutable<byte[]>> GetPlan() =>
        _plan is { } plan
            ? Task.FromResult(plan.AsImmutable())
            : throw new InvalidOperationException($"run {this.GetPrimaryKeyString()} has no plan registered");

    public Task Forget()
    {
        _plan = null;
        plans.Forget(this.GetPrimaryKeyString());
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
