using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using CareSim.Grains.Abstractions;
using CareSim.Grains.Placement;
using CareSim.Model.Plan;
using Orleans.Hosting;
using Orleans.Storage;

namespace CareSim.Grains;

/// <summary>
/// A silo's plans by run id: the first grain of a run on this silo fetches the plan from the run
/// grain and deserialises it once; the others share it. A runner in the silo's own process may
/// offer the plan instead (<see cref="Runner.GrainRunOptions.LocalPlans"/>). A replica block forgets its run's plan
/// when it is released (the grains still going keep theirs).
/// </summary>
public sealed class PlanCache
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SimulationPlan>>> _plans = new();

    public async Task<SimulationPlan> GetAsync(string runId, IGrainFactory grains)
    {
        var entry = _plans.GetOrAdd(runId, id => new Lazy<Task<SimulationPlan>>(async () =>
        {
            var json = await grains.GetGrain<IRunGrain>(id).GetPlan();
            return PlanJson.Deserialize(json.Value);
        }));
        try
        {
            return await entry.Value;
        }
        catch
        {
            // A failed fetch (the run grain's silo was lost, say) is not kept: the next call tries again.
            _plans.TryRemove(KeyValuePair.Create(runId, entry));
            throw;
        }
    }

    /// <summary>Gives the cache a run's plan (its runner shares this silo's process): its blocks take it from here, not from the run grain.</summary>
    public void Offer(string runId, SimulationPlan plan) => _plans[runId] = new Lazy<Task<SimulationPlan>>(Task.FromResult(plan));

    public void Forget(string runId) => _plans.TryRemove(runId, out _);

    /// <summary>Plans held (for tests: a silo keeps none after its runs).</summary>
    public int Count => _plans.Count;
}

public static class GrainServices
{
    /// <summary>
    /// Registers what the simulation's grains need on a silo: the plan cache, the placement of
    /// replica blocks, and Orleans' binary serializer for grain state kept in memory (Orleans'
    /// default there is JSON, which would store a checkpoint's bytes as base64 text and cannot
    /// store the <see cref="ReadOnlyMemory{T}"/> snapshots of <c>ReplicaBlockCheckpoint</c> at all).
    /// </summary>
    public static IServiceCollection AddCareSimGrains(this IServiceCollection services)
    {
        services.AddSingleton<PlanCache>();
        services.AddPlacementDirector<BlockPlacement, BlockPlacementDirector>();
        services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        return services;
    }
}
