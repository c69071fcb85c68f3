using CareSim.Host;
using Microsoft.Extensions.Configuration;
using CareSim.Grains.Abstractions;
using Orleans.Runtime;

namespace CareSim.Cluster.Tests;

/// <summary>
/// A cluster as docker-compose.yml deploys it, as processes on loopback: the test Redis
/// (scripts/services.sh) for membership and grain state, and two `sim silo` processes that live
/// as long as the test collection. Tests start more silos (to kill them) and clients (`sim run
/// --cluster` processes, or <see cref="Client"/> in this process). Each fixture has its own
/// cluster id, so test runs sharing the Redis server do not meet.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime, IAsyncDisposable
{
    private readonly List<SimProcess> _silos = [];
    private ClusterConnection? _connection;

    /// <summary>The shared test Redis (scripts/services.sh), for the collection's fixture.</summary>
    public ClusterFixture() : this(Repo.Service("CARESIM_TEST_REDIS"), silos: 2)
    {
    }

    /// <summary>A cluster of <paramref name="silos"/> silos on another Redis (a test's own <see cref="RedisServer"/>); initialise it, then dispose it.</summary>
    public static ClusterFixture On(string redis, int silos) => new(redis, silos);

    // (xunit wants one public constructor on a collection fixture.)
    private ClusterFixture(string redis, int silos)
    {
        Redis = redis;
        _initialSilos = silos;
    }

    private readonly int _initialSilos;

    public string Redis { get; }

    public string ClusterId { get; } = "caresim-test-" + Guid.NewGuid().ToString("N")[..12];

    public string WorkingDirectory { get; } = Repo.TempDirectory();

    public IClusterClient Client => (_connection ?? throw new InvalidOperationException("not connected")).Client;

    /// <summary>What a client gets: the clustering settings only (and the runner's), as environment variables.</summary>
    public Dictionary<string, string> ClientEnvironment() => new()
    {
        ["CareSim__Cluster__Clustering"] = "Redis",
        ["CareSim__Cluster__Redis"] = Redis,
        ["CareSim__Cluster__ClusterId"] = ClusterId,
        // A call to a silo that died without closing its sockets fails after this long.
        ["CareSim__Cluster__ResponseTimeout"] = "00:00:10",
        ["CareSim__Cluster__RecoveryTimeout"] = "00:02:00",
        ["CareSim__Cluster__ConnectTimeout"] = "00:00:30",
    };

    /// <summary>A silo's settings: the client's, its ports on loopback, and a failure detector quick enough for a test.</summary>
    public Dictionary<string, string> SiloEnvironment()
    {
        var environment = ClientEnvironment();
        environment["CareSim__Cluster__SiloPort"] = Repo.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["CareSim__Cluster__GatewayPort"] = Repo.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["CareSim__Cluster__AdvertisedAddress"] = "127.0.0.1";
        environment["CareSim__Cluster__Membership__ProbeTimeout"] = "00:00:01";
        environment["CareSim__Cluster__Membership__NumMissedProbesLimit"] = "2";
        environment["CareSim__Cluster__Membership__NumVotesForDeathDeclaration"] = "1";
        environment["CareSim__Cluster__Membership__TableRefreshTimeout"] = "00:00:02";
        environment["CareSim__Cluster__Membership__IAmAliveTablePublishTimeout"] = "00:00:05";
        return environment;
    }

    /// <summary>Starts a `sim silo` process and waits until it is up.</summary>
    public Task<SimProcess> StartSiloAsync(string name) => StartSiloAsync(name, SiloEnvironment());

    /// <summary>Starts a `sim silo` process with these settings and waits until it is up.</summary>
    public async Task<SimProcess> StartSiloAsync(string name, IReadOnlyDictionary<string, string> environment)
    {
        var silo = StartSilo(name, environment);
        await silo.WaitForLineAsync("is up", TimeSpan.FromSeconds(120)); // a loaded machine slows the join
        return silo;
    }

    /// <summary>Starts a `sim silo` process with these settings (without waiting).</summary>
    public SimProcess StartSilo(string name, IReadOnlyDictionary<string, string> environment)
    {
        var silo = SimProcess.Start(name, WorkingDirectory, environment, "silo");
        lock (_silos)
        {
            _silos.Add(silo);
            _environments[name] = environment;
        }
        return silo;
    }

    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _environments = [];

    /// <summary>A silo started by the fixture or a test, by name ("silo-1", ...), and the settings it was started with.</summary>
    public (SimProcess Process, IReadOnlyDictionary<string, string> Environment) Silo(string name)
    {
        lock (_silos) return (_silos.Single(s => s.Name == name), _environments[name]);
    }

    /// <summary>Starts `sim` with the client's settings (e.g. `run --cluster`).</summary>
    public SimProcess StartClient(string name, params string[] args) =>
        SimProcess.Start(name, WorkingDirectory, ClientEnvironment(), args);

    /// <summary>Starts `sim` with the client's settings and <paramref name="extra"/> ones.</summary>
    public SimProcess StartClient(string name, IReadOnlyDictionary<string, string> extra, params string[] args)
    {
        var environment = ClientEnvironment();
        foreach (var (key, value) in extra) environment[key] = value;
        return SimProcess.Start(name, WorkingDirectory, environment, args);
    }

    /// <summary>
    /// Waits until run <paramref name="runId"/> has committed a checkpoint of <paramref name="month"/>
    /// or later while <paramref name="client"/> still runs it (so a test can then kill or stop
    /// something mid-run); the month committed.
    /// </summary>
    public async Task<int> WaitForCommittedMonthAsync(string runId, int month, SimProcess client)
    {
        var run = Client.GetGrain<IRunGrain>(runId);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        int committed;
        while ((committed = await run.GetCommittedMonth()) < month)
        {
            if (client.HasExited)
                Assert.Fail($"{client.Name} ended (exit code {await client.WaitForExitAsync(TimeSpan.FromSeconds(10))}) before its run committed month {month}:\n{client.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"no checkpoint of month {month} was committed in time:\n{client.Output}");
            await Task.Delay(20);
        }
        return committed;
    }

    /// <summary>Waits until the cluster counts <paramref name="count"/> active silos.</summary>
    public async Task WaitForActiveSilosAsync(int count, TimeSpan timeout)
    {
        var management = Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + timeout;
        var active = 0;
        while (DateTime.UtcNow < deadline)
        {
            active = (await management.GetHosts(onlyActive: true)).Count;
            if (active == count) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"the cluster has {active} active silos, expected {count} (after {timeout.TotalSeconds:0} s)\n{SilosReport()}");
    }

    /// <summary>Each silo's state and the end of its output (what it logged), for a failure's message.</summary>
    public string SilosReport()
    {
        lock (_silos)
        {
            return string.Join("\n", _silos.Select(silo =>
            {
                var lines = silo.Output.Split('\n');
                return $"--- {silo.Name} ({(silo.HasExited ? $"exited with code {silo.ExitCode}" : "running")}), its last lines:\n" + string.Join("\n", lines.TakeLast(25));
            }));
        }
    }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Enumerable.Range(1, _initialSilos).Select(n => StartSiloAsync($"silo-{n}")));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(ClientEnvironment().Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();
        _connection = await ClusterHosts.ConnectAsync(ClusterSettings.Read(configuration), CancellationToken.None);
        await WaitForActiveSilosAsync(_initialSilos, TimeSpan.FromSeconds(30));
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        lock (_silos)
        {
            foreach (var silo in _silos) silo.Dispose();
        }
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
