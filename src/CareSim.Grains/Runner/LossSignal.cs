namespace CareSim.Grains.Runner;

/// <summary>Counts losses (of a gateway, of a silo) and lets a waiter learn of the next one and what it was.</summary>
public sealed class LossSignal
{
    private readonly Lock _lock = new();
    private long _count;
    private string _last = "";
    private TaskCompletionSource<string> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many losses so far.</summary>
    public long Count
    {
        get
        {
            lock (_lock) return _count;
        }
    }

    /// <summary>A task that completes, with what was lost, once there have been more than <paramref name="seen"/> losses (at once if that is already so).</summary>
    public Task<string> After(long seen)
    {
        lock (_lock) return _count > seen ? Task.FromResult(_last) : _next.Task;
    }

    public void Raise(string lost)
    {
        TaskCompletionSource<string> next;
        lock (_lock)
        {
            _count++;
            _last = lost;
            next = _next;
            _next = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        next.SetResult(lost);
    }
}
