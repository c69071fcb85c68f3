using System.Net;
using System.Net.Sockets;

namespace CareSim.Host;

/// <summary>A silo's port is taken: the message names the port, the setting and what to do.</summary>
public sealed class SiloPortInUseException(string message) : Exception(message);

/// <summary>
/// Checks, before a silo starts, that its silo and gateway ports are free. Orleans registers a silo
/// in the membership table before it listens, and a second silo on the address and port of a
/// running one makes that one leave as an "older clone": without this check, a silo started on a
/// port in use stops the healthy silo that holds it.
/// </summary>
public static class SiloPorts
{
    public static void EnsureFree(ClusterSettings settings)
    {
        var advertised = settings.ResolveAdvertisedAddress();
        // Where Orleans will listen (ClusterSetup): the advertised loopback address, else every address.
        var address = advertised is not null && IPAddress.IsLoopback(advertised) ? advertised : IPAddress.Any;
        foreach (var (port, setting) in new[] { (settings.SiloPort, "SiloPort"), (settings.GatewayPort, "GatewayPort") })
        {
            if (port == 0) continue; // no gateway
            try
            {
                using var listener = new TcpListener(address, port);
                listener.Server.ExclusiveAddressUse = true;
                listener.Start();
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                throw new SiloPortInUseException(
                    $"port {port} ({ClusterSettings.Section}:{setting}) is in use on {address}: another silo, or another program, listens on it. "
                    + "This silo does not start (the one there is left alone); give it free ports with CareSim__Cluster__SiloPort and CareSim__Cluster__GatewayPort");
            }
        }
    }
}
