namespace CareSim.Grains.Runner;

/// <summary>
/// A cluster client's view of its gateways (registered by the client's setup, ClusterSetup): counts
/// the times the number of gateways it is connected to fell. A silo killed while it is this client's
/// gateway leaves the calls sent through it waiting for the response timeout (30 s by default),
/// although the client sees the connection close at once; the runner (<see cref="GrainEngine"/>)
/// waits on <see cref="LossAfter"/> beside a month's calls, to abandon them at once and rewind.
/// </summary>
public sealed class GatewayWatch : IClusterConnectionStatusObserver
{
    private readonly Lock _lock = new();
    private long _losses;
    private TaskCompletionSource _nextLoss = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many times a gateway was lost so far.</summary>
    public long Losses
    {
        get
        {
            lock (_lock) return _losses;
        }
    }

    /// <summary>A task that completes once more than <paramref name="seen"/> gateways have been lost (at once if that is already so).</summary>
    public Task LossAfter(long seen)
    {
        lock (_lock) return _losses > seen ? Task.CompletedTask : _nextLoss.Task;
    }

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways) Lose();
    }

    public void NotifyClusterConnectionLost() => Lose();

    private void Lose()
    {
        TaskCompletionSource lost;
        lock (_lock)
        {
            _losses++;
            lost = _nextLoss;
            _nextLoss = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        lost.SetResult();
    }
}
