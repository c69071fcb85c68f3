using CareSim.Host;
using Microsoft.Extensions.Configuration;

namespace CareSim.Cluster.Tests;

/// <summary>The CareSim:Cluster settings: defaults, switching to Redis, and clear errors for wrong ones.</summary>
public sealed class ClusterSettingsTests
{
    private static ClusterSettings Read(params (string Key, string Value)[] settings) =>
        ClusterSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create("CareSim:Cluster:" + s.Key, (string?)s.Value)))
            .Build());

    [Fact]
    public void Without_settings_sim_runs_embedded_with_memory_storage()
    {
        var settings = Read();
        Assert.False(settings.IsCluster);
        Assert.Equal(ClusteringKind.Embedded, settings.Clustering);
        Assert.Equal(GrainStorageKind.Memory, settings.GrainStorage);
        Assert.Equal(12, settings.CheckpointEveryMonths);
    }

    [Fact]
    public void Redis_clustering_keeps_grain_state_in_redis_unless_told_otherwise()
    {
        var settings = Read(("Clustering", "redis"), ("Redis", "localhost:6379"), ("CheckpointEveryMonths", "6"), ("RecoveryTimeout", "00:01:30"));
        Assert.True(settings.IsCluster);
        Assert.Equal(GrainStorageKind.Redis, settings.GrainStorage);
        Assert.Equal(6, settings.CheckpointEveryMonths);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.RecoveryTimeout);
        Assert.Equal(GrainStorageKind.Memory, Read(("Clustering", "Redis"), ("Redis", "localhost:6379"), ("GrainStorage", "Memory")).GrainStorage);
    }

    [Theory]
    [InlineData("Clustering", "Zookeeper", "'Zookeeper' is not one of Embedded, Redis")]
    [InlineData("Clustering", "1", "'1' is not one of Embedded, Redis")]
    [InlineData("CheckpointEveryMonths", "-1", "'-1' is not a whole number from 0 to 1200")]
    [InlineData("SiloPort", "70000", "'70000' is not a whole number from 1 to 65535")]
    [InlineData("SiloPort", "0", "'0' is not a whole number from 1 to 65535")]
    [InlineData("GatewayPort", "-1", "'-1' is not a whole number from 0 to 65535")]
    [InlineData("RecoveryTimeout", "soon", "'soon' is not a positive duration")]
    [InlineData("Clustring", "Redis", "unknown setting")]
    [InlineData("Membership:ProbeTimout", "00:00:01", "CareSim:Cluster:Membership")]
    public void A_wrong_setting_is_named_with_its_value(string key, string value, string expected)
    {
        var error = Assert.Throws<ClusterConfigurationException>(() => Read((key, value)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("CareSim:Cluster:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_clustering_needs_a_redis_server()
    {
        var error = Assert.Throws<ClusterConfigurationException>(() => Read(("Clustering", "Redis")));
        Assert.Contains("CareSim:Cluster:Redis: is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_says_which_environment_variable_set_the_wrong_value()
    {
        const string variable = "CareSim__Cluster__ResponseTimeout";
        Environment.SetEnvironmentVariable(variable, "forever");
        try
        {
            var error = Assert.Throws<ClusterConfigurationException>(() => ClusterSettings.Read(ClusterSettings.Configuration(null)));
            Assert.Contains("environment variable CareSim__Cluster__ResponseTimeout", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void A_settings_file_is_read_and_a_missing_one_is_an_error()
    {
        var file = Path.Combine(Repo.TempDirectory(), "cluster.json");
        File.WriteAllText(file, """{ "CareSim": { "Cluster": { "Clustering": "Redis", "Redis": "redis:6379", "ClusterId": "from-file" } } }""");
        var settings = ClusterSettings.Read(ClusterSettings.Configuration(file));
        Assert.Equal("from-file", settings.ClusterId);
        Assert.Equal("redis:6379", settings.Redis);
        var error = Assert.Throws<ClusterConfigurationException>(() => ClusterSettings.Configuration(file + ".missing"));
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>The commands refuse what cannot work, with a message saying what to change, and exit code 2.</summary>
public sealed class ClusterCommandLineTests
{
    private static async Task<(int ExitCode, string Output)> SimAsync(Dictionary<string, string> environment, params string[] args)
    {
        using var sim = SimProcess.Start("sim", Repo.Root, environment, args);
        var exit = await sim.WaitForExitAsync(TimeSpan.FromMinutes(1));
        return (exit, sim.Output);
    }

    [Fact]
    public async Task Sim_silo_without_a_cluster_configured_says_how_to_configure_one()
    {
        var (exit, output) = await SimAsync([], "silo");
        Assert.Equal(2, exit);
        Assert.Contains("CareSim:Cluster:Clustering is Embedded: set it to Redis", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sim_run_cluster_without_a_cluster_configured_is_refused()
    {
        var (exit, output) = await SimAsync([], "run", "scenarios/sefton-2022-23.yaml", "--cluster", "--replicas", "5");
        Assert.Equal(2, exit);
        Assert.Contains("--cluster: no cluster configured", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a scenario file is required (or --resume RUN_ID)", "run")]
    [InlineData("--checkpoint-every needs --cluster", "run", "scenarios/sefton-2022-23.yaml", "--checkpoint-every", "6")]
    [InlineData("give a scenario or --resume RUN_ID, not both", "run", "scenarios/sefton-2022-23.yaml", "--resume", "0123456789abcdef0123456789abcdef")]
    [InlineData("--replicas, --seed, --horizon and --run-id cannot change it", "run", "--resume", "0123456789abcdef0123456789abcdef", "--replicas", "10")]
    [InlineData("--resume: 'last' is not a run id", "run", "--resume", "last")]
    public async Task Sim_run_refuses_options_that_do_not_go_together(string expected, params string[] args)
    {
        var (exit, output) = await SimAsync([], args);
        Assert.Equal(2, exit);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_cluster_setting_in_the_environment_stops_sim_silo_with_its_name()
    {
        var (exit, output) = await SimAsync(new() { ["CareSim__Cluster__Clustering"] = "Redis", ["CareSim__Cluster__Redis"] = "127.0.0.1:1", ["CareSim__Cluster__SiloPort"] = "eleven" }, "silo");
        Assert.Equal(2, exit);
        Assert.Contains("CareSim:Cluster:SiloPort: 'eleven' is not a whole number from 1 to 65535 (from environment variable CareSim__Cluster__SiloPort)", output, StringComparison.Ordinal);
    }
}
