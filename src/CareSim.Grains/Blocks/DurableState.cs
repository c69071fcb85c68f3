using CareSim.Grains.Abstractions;
using Orleans.Storage;

namespace CareSim.Grains.Blocks;

/// <summary>
/// Writing grain state that storage may have lost: when Redis restarts without its data, the
/// record an activation last read is gone, and Orleans refuses the next write (the stored version
/// no longer matches). The activation still holds the state in memory, so it reads storage again
/// (finding nothing), puts its change back and writes once more: a run whose silos all survive a
/// Redis data loss keeps going, and its next checkpoint is durable again.
/// </summary>
/// <remarks>
/// Any other storage failure (Redis unreachable, restarting) becomes a
/// <see cref="StorageUnavailableException"/>, which the runner treats as it treats a lost silo: it
/// rewinds and retries until Redis answers again or its recovery timeout runs out.
/// </remarks>
internal static class DurableState
{
    public static Task WriteAsync<T>(this IPersistentState<T> state, Action reapply) => Storage(async () =>
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e) when (IsVersionConflict(e))
        {
            await state.ReadStateAsync();
            reapply();
            await state.WriteStateAsync();
        }
    });

    /// <summary>A version conflict, as such or wrapped by Orleans' storage bridge.</summary>
    private static bool IsVersionConflict(Exception? e) => e is not null && (e is InconsistentStateException || IsVersionConflict(e.InnerException));

    /// <summary>Reads the stored state again.</summary>
    public static Task ReadAsync<T>(this IPersistentState<T> state) => Storage(state.ReadStateAsync);

    private static async Task Storage(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (!IsVersionConflict(e) && e is not OperationCanceledException)
        {
            throw new StorageUnavailableException($"grain storage did not answer ({e.GetType().Name}: {e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>Clears the stored record, if any; one already gone is not an error.</summary>
    public static Task ClearIfStoredAsync<T>(this IPersistentState<T> state) => Storage(async () =>
    {
        if (!state.RecordExists) return;
        try
        {
            await state.ClearStateAsync();
        }
        catch (Exception e) when (IsVersionConflict(e))
        {
            // Storage no longer holds what this activation read (Redis lost it): nothing to clear.
        }
    });
}
