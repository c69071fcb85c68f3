using System.Net;
using System.Net.Sockets;
using CareSim.Grains;
using CareSim.Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace CareSim.Host;

/// <summary>
/// An in-process Orleans silo (localhost clustering, memory storage): the default way `sim`
/// runs. Ports are chosen free at start, so several embedded runs can share a machine.
/// </summary>
public sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's plan cache, for a grain engine in this process (<see cref="Grains.Runner.GrainRunOptions.LocalPlans"/>).</summary>
    public PlanCache Plans => _host.Services.GetRequiredService<PlanCache>();

    public static async Task<EmbeddedSilo> StartAsync(LogLevel minimumLogLevel = LogLevel.Warning, CancellationToken cancellationToken = default)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        // The silo recommends server GC at start; the workload is a few long grain turns, so the
        // workstation collector is fine, and the notice is noise on the command line.
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        // The watchdog measures from process or machine start on a busy or fresh machine (see
        // the engineering guide): its warnings say nothing about the simulation.
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        var clusterId = $"caresim-embedded-{Environment.ProcessId}-{Guid.NewGuid():N}";
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: "caresim", clusterId: clusterId);
            // The directory cache remembers where other silos' grains live; this silo is alone. Its
            // default (a million entries) costs a large allocation, and a scan of it, at every start.
            silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = 1024);
            silo.AddMemoryGrainStorage(CheckpointStorage.Name);
            silo.Services.AddCareSimGrains();
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new EmbeddedSilo(host);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
