using System.Runtime.ExceptionServices;

namespace CareSim.Grains.Runner;

/// <summary>Runs calls with at most a given number in flight; results come back in input order.</summary>
public static class Bounded
{
    /// <summary>
    /// Calls <paramref name="call"/> for every item, at most <paramref name="maxInFlight"/> at once.
    /// When calls fail, the one failure thrown is the first (in input order) that
    /// <paramref name="transient"/> does not accept, else the first: a failure a retry cannot repair
    /// (a block's checkpoint is gone) tells more than a lost connection to another block's silo.
    /// </summary>
    public static async Task<TResult[]> ForAllAsync<TItem, TResult>(IReadOnlyList<TItem> items, int maxInFlight, Func<TItem, Task<TResult>> call, CancellationToken cancellationToken,
        Func<Exception, bool>? transient = null)
    {
        var results = new TResult[items.Count];
        using var gate = new SemaphoreSlim(Math.Max(1, maxInFlight));
        var tasks = new Task[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            var index = i;
            tasks[i] = Run(index);
        }
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch when (transient is not null && tasks.Select(Failure).FirstOrDefault(e => e is not null && !transient(e)) is { } lasting)
        {
            ExceptionDispatchInfo.Throw(lasting);
        }
        return results;

        async Task Run(int index)
        {
            try
            {
                results[index] = await call(items[index]).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    public static Task ForAllAsync<TItem>(IReadOnlyList<TItem> items, int maxInFlight, Func<TItem, Task> call, CancellationToken cancellationToken,
        Func<Exception, bool>? transient = null) =>
        ForAllAsync(items, maxInFlight, async item =>
        {
            await call(item).ConfigureAwait(false);
            return true;
        }, cancellationToken, transient);

    /// <summary>What a finished task threw (faulted or cancelled), or null.</summary>
    private static Exception? Failure(Task task)
    {
        if (task.IsCompletedSuccessfully) return null;
        try
        {
            task.GetAwaiter().GetResult();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
