using CareSim.Grains.Abstractions;

namespace CareSim.Grains.Blocks;

/// <summary>The month check every block grain makes before it steps or captures its block.</summary>
internal static class BlockState
{
    /// <summary>Throws <see cref="BlockStateLostException"/> unless the grain holds a block at <paramref name="month"/>.</summary>
    public static T AtMonth<T>(T? block, int nextMonth, int month, string grain) where T : class
    {
        if (block is null) throw new BlockStateLostException($"{grain} holds no block (reactivated after its silo was lost?)");
        if (nextMonth != month) throw new BlockStateLostException($"{grain} is at month {nextMonth}, asked for month {month}");
        return block;
    }
}
