using CareSim.Grains.Abstractions;
using Orleans.Runtime;

namespace CareSim.Grains.Blocks;

/// <summary>Reading and writing a block grain's checkpoints (<see cref="BlockCheckpoints"/>) in grain storage.</summary>
internal static class Checkpointing
{
    public static async Task SaveAsync(this IPersistentState<BlockCheckpoints> state, BlockCheckpoint checkpoint)
    {
        state.State.Add(checkpoint);
        await state.WriteStateAsync();
    }

    /// <summary>The checkpoint of <paramref name="month"/>; the stored state is read again first (another activation may have written it).</summary>
    public static async Task<BlockCheckpoint> LoadAsync(this IPersistentState<BlockCheckpoints> state, int month, string grain)
    {
        await state.ReadStateAsync();
        return state.State.At(month)
            ?? throw new InvalidOperationException($"{grain} has no checkpoint of month {month} (it has {string.Join(", ", state.State.Recent.Select(c => c.Month))})");
    }

    public static async Task ClearAsync(this IPersistentState<BlockCheckpoints> state)
    {
        if (state.RecordExists) await state.ClearStateAsync();
    }

    /// <summary>Throws <see cref="BlockStateLostException"/> unless the grain holds a block at <paramref name="month"/>.</summary>
    public static T AtMonth<T>(T? block, int nextMonth, int month, string grain) where T : class
    {
        if (block is null) throw new BlockStateLostException($"{grain} holds no block (reactivated after its silo was lost?)");
        if (nextMonth != month) throw new BlockStateLostException($"{grain} is at month {nextMonth}, asked for month {month}");
        return block;
    }
}
