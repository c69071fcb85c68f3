using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Orleans.Configuration;

namespace CareSim.Host;

/// <summary>How cluster members find each other and where grain state lives.</summary>
public enum ClusteringKind
{
    /// <summary>One in-process silo (localhost clustering, memory storage): the default.</summary>
    Embedded,
    /// <summary>Membership in Redis: separate silo processes, clients connect to them.</summary>
    Redis,
}

/// <summary>Where the silos keep grain state (the runs' checkpoints).</summary>
public enum GrainStorageKind
{
    Memory,
    Redis,
}

/// <summary>A setting that is missing or wrong: the message names the setting, its value and where it came from.</summary>
public sealed class ClusterConfigurationException(string message) : Exception(message);

/// <summary>
/// The <c>CareSim:Cluster</c> settings (docs/cluster.md), from a JSON file (<c>--config</c>) and
/// environment variables (<c>CareSim__Cluster__Clustering=Redis</c>, which win). Silos use them all;
/// clients (<c>sim run --cluster</c>, <c>sim serve</c>) only the clustering ones and the runner's
/// (checkpoints, recovery): they never get the grain storage.
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "CareSim:Cluster";

    public ClusteringKind Clustering { get; private init; } = ClusteringKind.Embedded;

    /// <summary>StackExchange.Redis configuration string, e.g. <c>redis:6379</c> or <c>host:6379,password=...</c>.</summary>
    public string? Redis { get; private init; }

    public string ClusterId { get; private init; } = "caresim";

    public string ServiceId { get; private init; } = "caresim";

    /// <summary>Silos only. Default: Redis in a Redis cluster (state must outlive a silo), memory otherwise.</summary>
    public GrainStorageKind GrainStorage { get; private init; }

    public int SiloPort { get; private init; } = 11111;

    /// <summary>The port clients connect to; 0: this silo takes no clients (it works for the cluster only).</summary>
    public int GatewayPort { get; private init; } = 30000;

    /// <summary>The address other members reach this silo at (an IP address or a host name); default: this host's address.</summary>
    public string? AdvertisedAddress { get; private init; }

    /// <summary>Every this many months a run's grains store a checkpoint (0: never; then a lost silo restarts the run from its start).</summary>
    public int CheckpointEveryMonths { get; private init; } = 12;

    /// <summary>How long a runner keeps rebuilding a run's grains after a silo is lost before it gives up.</summary>
    public TimeSpan RecoveryTimeout { get; private init; } = TimeSpan.FromMinutes(3);

    /// <summary>How long a grain call may take before it fails (a call to a silo that died without closing its connections).</summary>
    public TimeSpan ResponseTimeout { get; private init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a client keeps trying to reach a silo at start (in compose, silos may start after the API).</summary>
    public TimeSpan ConnectTimeout { get; private init; } = TimeSpan.FromSeconds(60);

    /// <summary>Stored runs and checkpoints in Redis expire this long after their last write (runs that were never resumed).</summary>
    public TimeSpan StateExpiry { get; private init; } = TimeSpan.FromDays(7);

    /// <summary>Orleans' failure detector (<see cref="ClusterMembershipOptions"/>: ProbeTimeout, NumMissedProbesLimit, ...), silos only.</summary>
    public IConfigurationSection? Membership { get; private init; }

    public bool IsCluster => Clustering == ClusteringKind.Redis;

    private static readonly string[] Known =
    [
        nameof(Clustering), nameof(Redis), nameof(ClusterId), nameof(ServiceId), nameof(GrainStorage), nameof(SiloPort), nameof(GatewayPort),
        nameof(AdvertisedAddress), nameof(CheckpointEveryMonths), nameof(RecoveryTimeout), nameof(ResponseTimeout), nameof(ConnectTimeout),
        nameof(StateExpiry), nameof(Membership),
    ];

    /// <summary>The configuration the settings are read from: the JSON file, if given (it must exist), then the environment.</summary>
    public static IConfigurationRoot Configuration(string? configFile)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path)) throw new ClusterConfigurationException($"--config: file '{configFile}' not found");
            builder.AddJsonFile(path, optional: false);
        }
        builder.AddEnvironmentVariables();
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new ClusterConfigurationException($"--config: '{configFile}' is not valid JSON: {e.InnerException?.Message ?? e.Message}");
        }
    }

    /// <summary>Reads and checks the settings; a wrong one throws <see cref="ClusterConfigurationException"/> naming it and its source.</summary>
    public static ClusterSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        foreach (var child in section.GetChildren())
        {
            if (!Known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                throw Error(configuration, child.Key, $"unknown setting (known: {string.Join(", ", Known)})");
        }
        var clustering = Enum(configuration, nameof(Clustering), ClusteringKind.Embedded);
        var redis = Text(configuration, nameof(Redis));
        var settings = new ClusterSettings
        {
            Clustering = clustering,
            Redis = redis,
            ClusterId = Text(configuration, nameof(ClusterId)) ?? "caresim",
            ServiceId = Text(configuration, nameof(ServiceId)) ?? "caresim",
            GrainStorage = Enum(configuration, nameof(GrainStorage), clustering == ClusteringKind.Redis ? GrainStorageKind.Redis : GrainStorageKind.Memory),
            SiloPort = Port(configuration, nameof(SiloPort), 11111),
            GatewayPort = Integer(configuration, nameof(GatewayPort), 30000, 0, 65535),
            AdvertisedAddress = Text(configuration, nameof(AdvertisedAddress)),
            CheckpointEveryMonths = Integer(configuration, nameof(CheckpointEveryMonths), 12, 0, 1200),
            RecoveryTimeout = Duration(configuration, nameof(RecoveryTimeout), TimeSpan.FromMinutes(3)),
            ResponseTimeout = Duration(configuration, nameof(ResponseTimeout), TimeSpan.FromSeconds(30)),
            ConnectTimeout = Duration(configuration, nameof(ConnectTimeout), TimeSpan.FromSeconds(60)),
            StateExpiry = Duration(configuration, nameof(StateExpiry), TimeSpan.FromDays(7)),
            Membership = section.GetSection(nameof(Membership)),
        };
        if ((settings.Clustering == ClusteringKind.Redis || settings.GrainStorage == GrainStorageKind.Redis) && string.IsNullOrWhiteSpace(redis))
            throw Error(configuration, nameof(Redis), "is required with Redis clustering or storage (a StackExchange.Redis configuration string, e.g. localhost:6379)");
        if (redis is not null)
        {
            try
            {
                StackExchange.Redis.ConfigurationOptions.Parse(redis);
            }
            catch (ArgumentException e)
            {
                throw Error(configuration, nameof(Redis), $"'{redis}' is not a Redis configuration string: {e.Message}");
            }
        }
        if (settings.SiloPort == settings.GatewayPort) throw Error(configuration, nameof(GatewayPort), "must differ from SiloPort");
        try
        {
            settings.Membership.Bind(new ClusterMembershipOptions(), o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw Error(configuration, nameof(Membership), e.Message);
        }
        return settings;
    }

    /// <summary>The Redis connection's options (connecting is retried in the background rather than failing at start).</summary>
    public StackExchange.Redis.ConfigurationOptions RedisOptions()
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse(Redis ?? throw new InvalidOperationException("no Redis configured"));
        options.AbortOnConnectFail = false;
        return options;
    }

    private static string? Text(IConfiguration configuration, string key) =>
        configuration[$"{Section}:{key}"] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static T Enum<T>(IConfiguration configuration, string key, T fallback) where T : struct, Enum
    {
        if (Text(configuration, key) is not { } value) return fallback;
        if (System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !int.TryParse(value, out _)) return parsed;
        throw Error(configuration, key, $"'{value}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}");
    }

    private static int Integer(IConfiguration configuration, string key, int fallback, int min, int max)
    {
        if (Text(configuration, key) is not { } value) return fallback;
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max) return parsed;
        throw Error(configuration, key, $"'{value}' is not a whole number from {min} to {max}");
    }

    private static int Port(IConfiguration configuration, string key, int fallback) => Integer(configuration, key, fallback, 1, 65535);

    private static TimeSpan Duration(IConfiguration configuration, string key, TimeSpan fallback)
    {
        if (Text(configuration, key) is not { } value) return fallback;
        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero) return parsed;
        throw Error(configuration, key, $"'{value}' is not a positive duration (hh:mm:ss, e.g. 00:00:30)");
    }

    private static ClusterConfigurationException Error(IConfiguration configuration, string key, string problem) =>
        new($"{Section}:{key}: {problem} (from {SourceOf(configuration, $"{Section}:{key}")})");

    /// <summary>Where a setting came from: the environment variable or the file that set it last.</summary>
    private static string SourceOf(IConfiguration configuration, string key)
    {
        if (configuration is IConfigurationRoot root)
        {
            foreach (var provider in root.Providers.Reverse())
            {
                if (!provider.TryGet(key, out _) && !provider.GetChildKeys([], key).Any()) continue;
                return provider switch
                {
                    EnvironmentVariablesConfigurationProvider => $"environment variable {key.Replace(":", "__", StringComparison.Ordinal)}",
                    JsonConfigurationProvider json => $"file {json.Source.Path}",
                    _ => provider.ToString() ?? "configuration",
                };
            }
        }
        return "the defaults";
    }

    /// <summary>The silo's advertised address: the setting (an IP or a host name, resolved) or none (Orleans picks this host's).</summary>
    public IPAddress? ResolveAdvertisedAddress()
    {
        if (AdvertisedAddress is null) return null;
        if (IPAddress.TryParse(AdvertisedAddress, out var address)) return address;
        try
        {
            return Dns.GetHostAddresses(AdvertisedAddress).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                ?? throw new ClusterConfigurationException($"{Section}:AdvertisedAddress: host '{AdvertisedAddress}' has no IPv4 address");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new ClusterConfigurationException($"{Section}:AdvertisedAddress: cannot resolve host '{AdvertisedAddress}': {e.Message}");
        }
    }
}
