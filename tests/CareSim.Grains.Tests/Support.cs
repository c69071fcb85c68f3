using CareSim.Engine.Running;
using CareSim.Grains;
using CareSim.Grains.Abstractions;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Scenarios;
using Orleans.TestingHost;

namespace CareSim.Grains.Tests;

/// <summary>Records every replica's metrics and outcomes of a run, for exact comparisons.</summary>
public sealed class RecordingSink(SimulationPlan plan) : IRunSink
{
    private readonly double[,,][] _values = new double[plan.HorizonMonths, plan.Authorities.Count, MetricCatalog.Count][];
    private readonly int[][] _monthsToGood = plan.Authorities.Select(_ => new int[plan.Replicas]).ToArray();
    private int _completedMonths;

    public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
    {
        for (var k = 0; k < MetricCatalog.Count; k++)
        {
            var target = _values[month, authorityIndex, k] ??= new double[plan.Replicas];
            Array.Copy(frame.Values[k], 0, target, block.FirstReplica, block.Count);
        }
    }

    public void CompleteMonth(int month) => _completedMonths = month + 1;

    public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes) =>
        Array.Copy(outcomes.MonthsToGood, 0, _monthsToGood[authorityIndex], block.FirstReplica, block.Count);

    public double[] Values(int month, int authority, Metric metric) => _values[month, authority, (int)metric];

    public int CompletedMonths => _completedMonths;

    public int[] MonthsToGood(int authority) => _monthsToGood[authority];

    public void AssertIdenticalTo(RecordingSink other)
    {
        Assert.Equal(plan.HorizonMonths, _completedMonths);
        Assert.Equal(_completedMonths, other._completedMonths);
        for (var m = 0; m < plan.HorizonMonths; m++)
            for (var a = 0; a < plan.Authorities.Count; a++)
                for (var k = 0; k < MetricCatalog.Count; k++)
                    Assert.True(_values[m, a, k].AsSpan().SequenceEqual(other._values[m, a, k]),
                        $"month {m}, authority {plan.Authorities[a].Code}, metric {MetricCatalog.All[k].Name} differ");
        for (var a = 0; a < plan.Authorities.Count; a++) Assert.Equal(_monthsToGood[a], other._monthsToGood[a]);
    }
}

public static class Plans
{
    private static string Repo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulation.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    /// <remarks>
    /// These tests compare engines on short runs, most of which end before the scenario's outcome
    /// window (an error for a real run): outcomes count from the start instead.
    /// </remarks>
    public static SimulationPlan Load(string scenario, int replicas, int horizon)
    {
        var path = Path.Combine(Repo(), "scenarios", scenario);
        var text = string.Join('\n', File.ReadAllLines(path).Where(line => !line.StartsWith("outcomes_from:", StringComparison.Ordinal)));
        var result = ScenarioLoader.LoadText(text, path, Path.GetDirectoryName(path), new ScenarioOverrides(replicas, 5, horizon));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Plan!;
    }
}

/// <summary>Two in-process clusters shared by the tests: one silo, and two silos (grains spread over both).</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster OneSilo { get; private set; } = null!;
    public InProcessTestCluster TwoSilos { get; private set; } = null!;

    private static InProcessTestCluster Build(short silos)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(CheckpointStorage.Name);
            silo.Services.AddCareSimGrains();
        });
        return builder.Build();
    }

    public async Task InitializeAsync()
    {
        OneSilo = Build(1);
        TwoSilos = Build(2);
        await Task.WhenAll(OneSilo.DeployAsync(), TwoSilos.DeployAsync());
    }

    public async Task DisposeAsync()
    {
        await OneSilo.DisposeAsync();
        await TwoSilos.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "clusters";
}
