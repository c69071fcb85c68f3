using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using CareSim.Grains.Abstractions;
using CareSim.Model.Plan;

namespace CareSim.Grains;

/// <summary>
/// A silo's plans by run id: the first grain of a run on this silo fetches the plan from the run
/// grain and deserialises it once; the others share it.
/// </summary>
public sealed class PlanCache
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SimulationPlan>>> _plans = new();

    public Task<SimulationPlan> GetAsync(string runId, IGrainFactory grains) =>
        _plans.GetOrAdd(runId, id => new Lazy<Task<SimulationPlan>>(async () =>
        {
            var json = await grains.GetGrain<IRunGrain>(id).GetPlan();
            return PlanJson.Deserialize(json.Value);
        })).Value;

    public void Forget(string runId) => _plans.TryRemove(runId, out _);
}

public static class GrainServices
{
    /// <summary>Registers what the simulation's grains need on a silo.</summary>
    public static IServiceCollection AddCareSimGrains(this IServiceCollection services) => services.AddSingleton<PlanCache>();
}
