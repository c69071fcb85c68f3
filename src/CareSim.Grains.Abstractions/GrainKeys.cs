using System.Globalization;

namespace CareSim.Grains.Abstractions;

/// <summary>
/// Grain keys. A replica block grain is keyed "run/block": the run and the block index. The
/// authority, workforce, market and commissioner grains of a block are keyed "run/index/block":
/// the run, the authority (or market, or commissioner) index in the plan, and the block index.
/// </summary>
public static class GrainKeys
{
    public static string ReplicaBlock(string runId, int block) =>
        string.Create(CultureInfo.InvariantCulture, $"{runId}/{block}");

    public static (string RunId, int Block) ParseReplicaBlock(string key)
    {
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var block))
            throw new FormatException($"'{key}' is not a replica block key run/block");
        return (key[..slash], block);
    }

    public static string Block(string runId, int index, int block) =>
        string.Create(CultureInfo.InvariantCulture, $"{runId}/{index}/{block}");

    /// <summary>The journal segment of a run that starts at <paramref name="firstMonth"/> (a checkpoint month, or 0).</summary>
    public static string JournalSegment(string runId, int firstMonth) =>
        string.Create(CultureInfo.InvariantCulture, $"{runId}/{firstMonth}");

    public static (string RunId, int Index, int Block) ParseBlock(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3) throw new FormatException($"'{key}' is not a block key run/index/block");
        return (parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
