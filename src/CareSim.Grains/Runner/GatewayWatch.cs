namespace CareSim.Grains.Runner;

/// <summary>
/// A cluster client's view of its gateways (registered by the client's setup, ClusterSetup): signals
/// each time the number of gateways it is connected to falls. A silo killed while it is this client's
/// gateway leaves the calls sent through it waiting for the response timeout (30 s by default),
/// although the client sees the connection close at once; the runner (<see cref="SiloLossWatch"/>)
/// waits on <see cref="Losses"/> beside a month's calls, to abandon them at once and rewind.
/// </summary>
public sealed class GatewayWatch : IClusterConnectionStatusObserver
{
    public const string Lost = "a silo (this client's connection to it closed)";

    public LossSignal Losses { get; } = new();

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways) Losses.Raise(Lost);
    }

    public void NotifyClusterConnectionLost() => Losses.Raise(Lost);
}
