namespace CareSim.Grains.Runner;

/// <summary>Runs calls with at most a given number in flight; results come back in input order.</summary>
public static class Bounded
{
    public static async Task<TResult[]> ForAllAsync<TItem, TResult>(IReadOnlyList<TItem> items, int maxInFlight, Func<TItem, Task<TResult>> call, CancellationToken cancellationToken)
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
        await Task.WhenAll(tasks).ConfigureAwait(false);
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

    public static Task ForAllAsync<TItem>(IReadOnlyList<TItem> items, int maxInFlight, Func<TItem, Task> call, CancellationToken cancellationToken) =>
        ForAllAsync(items, maxInFlight, async item =>
        {
            await call(item).ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
