using CareSim.Grains.Abstractions;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace CareSim.Grains.Placement;

/// <summary>
/// Spreads a run's replica blocks (not its grains) over the silos: block b of run r goes to silo
/// (hash(r) + b) mod n of the n compatible silos in address order, so the blocks of a run are dealt
/// out evenly (a random choice could put most of a small run on one silo), and a block's own grains
/// follow it (they use local placement). Every silo computes the same choice from the same
/// membership. A silo that joins takes blocks of runs started after it joined.
/// </summary>
public sealed class BlockPlacement : PlacementStrategy
{
    internal static readonly BlockPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class BlockPlacementAttribute() : PlacementAttribute(BlockPlacement.Instance);

public sealed class BlockPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
        if (silos.Length == 0) throw new OrleansException($"no silo can host {target.GrainIdentity}");
        var (runId, block) = GrainKeys.ParseReplicaBlock(target.GrainIdentity.Key.ToString()!);
        return Task.FromResult(silos[(int)((StableHash(runId) + (uint)block) % (uint)silos.Length)]);
    }

    /// <summary>FNV-1a: the same in every process (string.GetHashCode is randomised per process).</summary>
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return hash;
    }
}
