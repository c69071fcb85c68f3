namespace CareSim.Grains.Runner;

/// <summary>
/// A client's view of its gateways (registered by the cluster client's setup): counts the times the
/// number of gateways it is connected to fell. A silo killed while it is this client's gateway
/// leaves the calls sent through it waiting for the response timeout (30 s); the runner watches
/// this count to abandon such a month within a second and rewind (<see cref="GrainEngine"/>).
/// </summary>
public sealed class GatewayWatch : IClusterConnectionStatusObserver
{
    private long _losses;

    /// <summary>How many times a gateway was lost so far.</summary>
    public long Losses => Interlocked.Read(ref _losses);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways) Interlocked.Increment(ref _losses);
    }

    public void NotifyClusterConnectionLost() => Interlocked.Increment(ref _losses);
}
