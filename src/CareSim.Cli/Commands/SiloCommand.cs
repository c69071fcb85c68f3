using System.CommandLine;
using CareSim.Host;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace CareSim.Cli.Commands;

/// <summary>`sim silo`: runs one member of a Redis cluster until stopped (docs/cluster.md).</summary>
public static class SiloCommand
{
    public static Command Create()
    {
        var config = ClusterOptions.ConfigOption();
        var command = new Command("silo", "Run a cluster member (an Orleans silo) until stopped; SIGTERM or Ctrl+C shuts it down gracefully. Needs CareSim:Cluster:Clustering=Redis and CareSim:Cluster:Redis (docs/cluster.md).")
        {
            config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (ClusterOptions.Read(parse.GetValue(config)) is not var (_, settings)) return ExitCodes.InvalidInput;
            IHost host;
            try
            {
                host = ClusterHosts.BuildSilo(settings);
            }
            catch (ClusterConfigurationException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (SiloPortInUseException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Failed;
            }
            using (host)
            {
                try
                {
                    await host.StartAsync(cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return ExitCodes.Cancelled;
                }
                catch (Exception e) when (e is RedisException or OrleansException or IOException or System.Net.Sockets.SocketException)
                {
                    await Console.Error.WriteLineAsync($"error: the silo could not start: {e.Message}");
                    return ExitCodes.Failed;
                }
                Console.Out.WriteLine($"Silo of cluster '{settings.ClusterId}' (service '{settings.ServiceId}') is up: silo port {settings.SiloPort}, {(settings.GatewayPort == 0 ? "no gateway" : $"gateway port {settings.GatewayPort}")}, grain storage {settings.GrainStorage}");
                Console.Out.Flush();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                }
                Console.Out.WriteLine("Stopping: finishing calls in hand and leaving the cluster");
                await host.StopAsync(CancellationToken.None);
                Console.Out.WriteLine("Stopped");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
