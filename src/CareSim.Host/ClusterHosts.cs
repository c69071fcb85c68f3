using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CareSim.Host;

/// <summary>The processes of a cluster: a silo (<c>sim silo</c>) and a client connection (<c>sim run --cluster</c>).</summary>
public static class ClusterHosts
{
    /// <summary>
    /// Builds a silo host. Run it until stopped; stopping it (SIGTERM, Ctrl+C) shuts the silo down
    /// gracefully. Throws <see cref="SiloPortInUseException"/> when its ports are taken.
    /// </summary>
    public static IHost BuildSilo(ClusterSettings settings, LogLevel minimumLogLevel = LogLevel.Information)
    {
        SiloPorts.EnsureFree(settings);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ConfigureLogging(builder.Logging, minimumLogLevel);
        // A graceful shutdown deactivates this silo's grains and leaves the cluster: give it time.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        builder.UseOrleans(silo => ClusterSetup.ConfigureSilo(silo, settings));
        return builder.Build();
    }

    /// <summary>
    /// Connects a client to the cluster (retrying for <see cref="ClusterSettings.ConnectTimeout"/>);
    /// dispose to disconnect. With <paramref name="logFile"/>, Orleans' warnings go to that file
    /// instead of standard error (a quiet `sim run --cluster`).
    /// </summary>
    public static async Task<ClusterConnection> ConnectAsync(ClusterSettings settings, CancellationToken cancellationToken, string? logFile = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ConfigureLogging(builder.Logging, LogLevel.Warning);
        FileLoggerProvider? log = null;
        if (logFile is not null)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(log = new FileLoggerProvider(logFile));
        }
        builder.UseOrleansClient(client => ClusterSetup.ConfigureClient(client, settings));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new ClusterConnection(host, log);
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel minimumLogLevel)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(minimumLogLevel);
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        logging.AddFilter("Orleans", LogLevel.Warning);
        // The server GC notice and the watchdog's start-up warnings are noise here (see EmbeddedSilo).
        logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        logging.AddFilter("Polly", LogLevel.Warning);
        logging.AddFilter("Microsoft", LogLevel.Warning);
    }
}

/// <summary>A client's connection to the cluster.</summary>
public sealed class ClusterConnection(IHost host, FileLoggerProvider? log = null) : IAsyncDisposable
{
    public IClusterClient Client => host.Services.GetRequiredService<IClusterClient>();

    /// <summary>The file Orleans' warnings go to, if any, and how many lines it got.</summary>
    public FileLoggerProvider? Log => log;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        finally
        {
            host.Dispose();
        }
    }
}
