using System.Net;
using CareSim.Grains;
using CareSim.Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace CareSim.Host;

/// <summary>Configures a silo or a client of a Redis cluster from <see cref="ClusterSettings"/> (docs/cluster.md).</summary>
public static class ClusterSetup
{
    /// <summary>How often a silo checks that it is in the membership table (<see cref="MembershipRepair"/>).</summary>
    public static readonly TimeSpan MembershipRepairPeriod = TimeSpan.FromSeconds(3);

    /// <summary>How long a grain storage call (a checkpoint write or read) may take.</summary>
    public static readonly TimeSpan StorageTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a run's block grains may sit idle on a silo before Orleans collects them.</summary>
    public static readonly TimeSpan IdleBlockCollectionAge = TimeSpan.FromMinutes(5);

    private static readonly Type[] BlockGrainTypes =
        [typeof(Grains.Blocks.ReplicaBlockGrain), typeof(Grains.Blocks.AuthorityGrain), typeof(Grains.Blocks.LabourMarketGrain), typeof(Grains.Blocks.CommissionerGrain)];

    /// <summary>A cluster member: Redis membership, grain storage (Redis or memory), endpoints, the failure detector, the grains and the dashboard's silo side.</summary>
    public static void ConfigureSilo(ISiloBuilder silo, ClusterSettings settings)
    {
        RequireCluster(settings);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        silo.UseRedisClustering(o => o.ConfigurationOptions = settings.RedisOptions());
        var advertised = settings.ResolveAdvertisedAddress();
        if (advertised is null)
            silo.ConfigureEndpoints(settings.SiloPort, settings.GatewayPort, System.Net.Sockets.AddressFamily.InterNetwork, listenOnAnyHostAddress: true);
        else
            silo.ConfigureEndpoints(advertised, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        // GatewayPort 0: no gateway (Orleans would otherwise listen on any free port when listening on every address).
        if (settings.GatewayPort == 0) silo.Configure<EndpointOptions>(o => o.GatewayListeningEndpoint = null);
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = settings.ResponseTimeout);
        // A quicker failure detector than Orleans' defaults (5 s probes): a silo killed outright is
        // declared dead after about three missed 2 s probes, so runs rewind within seconds. The
        // Membership:* settings override these (docs/cluster.md).
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 3;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(10);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(30);
        });
        if (settings.Membership is { } membership) silo.Services.Configure<ClusterMembershipOptions>(membership);
        // Back in the membership table within seconds when Redis loses it.
        silo.Services.AddHostedService(services => new MembershipRepair(
            services.GetRequiredService<IMembershipTable>(), services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>(),
            services.GetRequiredService<IClusterMembershipService>(), services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>(),
            services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<MembershipRepair>>(), MembershipRepairPeriod));

        if (settings.GrainStorage == GrainStorageKind.Redis)
        {
            silo.Services.AddGrainStorage(CheckpointStorage.Name, (services, _) =>
            {
                var redis = settings.RedisOptions();
                // A block's checkpoint is one value of tens of megabytes for a large run (England:
                // about 35 MB per 250 replicas): give Redis more than StackExchange.Redis' 5 s to take
                // it on a busy machine, or a slow write fails, the run rewinds and writes it again.
                redis.AsyncTimeout = redis.SyncTimeout = (int)StorageTimeout.TotalMilliseconds;
                // Orleans' binary serializer: checkpoints are bytes and doubles, kept exactly and compactly.
                var storage = new RedisCheckpointStorage(redis, settings.ServiceId, settings.StateExpiry, services.GetRequiredService<Serializer>());
                services.GetRequiredService<Grains.Placement.IdleMemory>().OnIdle(storage.Chunks.Release);
                return storage;
            });
        }
        else
        {
            silo.AddMemoryGrainStorage(CheckpointStorage.Name);
        }
        silo.Services.AddCareSimGrains();
        silo.Services.AddSingleton<Grains.Placement.IdleMemory>();
        // A run's blocks left idle (their client died and nobody resumed the run) are collected
        // after this long, and their memory given back; a runner that comes back rewinds anyway.
        silo.Configure<GrainCollectionOptions>(o =>
        {
            foreach (var type in BlockGrainTypes) o.ClassSpecificCollectionAge[type.FullName!] = IdleBlockCollectionAge;
        });
        silo.AddDashboard();
    }

    /// <summary>A client: only the clustering settings (a client never touches grain storage).</summary>
    public static void ConfigureClient(IClientBuilder client, ClusterSettings settings)
    {
        RequireCluster(settings);
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        client.UseRedisClustering(o => o.ConfigurationOptions = settings.RedisOptions());
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = settings.ResponseTimeout);
        // The gateway list is read from Redis; refresh it often so silos that join are used soon.
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(10));
        client.UseConnectionRetryFilter(new RetryUntil(settings.ConnectTimeout));
        // A lost gateway tells a runner at once that a month's calls through it will not come back.
        client.Services.AddSingleton<Grains.Runner.GatewayWatch>();
        client.Services.AddSingleton<IClusterConnectionStatusObserver>(services => services.GetRequiredService<Grains.Runner.GatewayWatch>());
    }

    private static void RequireCluster(ClusterSettings settings)
    {
        if (!settings.IsCluster)
            throw new ClusterConfigurationException($"{ClusterSettings.Section}:Clustering is Embedded: set it to Redis (with {ClusterSettings.Section}:Redis) to run or join a cluster (docs/cluster.md)");
    }

    /// <summary>Retries connecting to the cluster for a while (silos may still be starting), then gives up.</summary>
    private sealed class RetryUntil(TimeSpan timeout) : IClientConnectionRetryFilter
    {
        private readonly DateTime _deadline = DateTime.UtcNow + timeout;

        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            if (DateTime.UtcNow >= _deadline) return false;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        }
    }
}
