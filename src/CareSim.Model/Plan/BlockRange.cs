namespace CareSim.Model.Plan;

/// <summary>A contiguous range of replicas simulated together as arrays.</summary>
public readonly record struct BlockRange(int FirstReplica, int Count)
{
    public int EndReplica => FirstReplica + Count;

    /// <summary>Splits replicas 0..replicas-1 into blocks of at most <paramref name="blockSize"/>.</summary>
    public static IReadOnlyList<BlockRange> Partition(int replicas, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        var blocks = new List<BlockRange>();
        for (var first = 0; first < replicas; first += blockSize)
            blocks.Add(new BlockRange(first, Math.Min(blockSize, replicas - first)));
        return blocks;
    }
}
