using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Scenarios;

namespace CareSim.Engine.Tests;

/// <summary>Memory is measured with nothing else running in the process.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>The estimate of a run's memory against what a run actually holds.</summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class RunMemoryTests
{
    private static SimulationPlan Plan(int replicas)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulation.sln"))) dir = dir.Parent;
        var result = ScenarioLoader.Load(Path.Combine(dir!.FullName, "scenarios", "liverpool-city-region.yaml"), new ScenarioOverrides(replicas, 3, 12));
        Assert.True(result.IsValid, result.FormatErrors());
        return result.Plan!;
    }

    /// <summary>The live heap (after a full collection) at the end of every month.</summary>
    private sealed class HeapProbe : IRunSink
    {
        public long Peak { get; private set; }

        public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
        {
        }

        public void CompleteMonth(int month) => Peak = Math.Max(Peak, GC.GetTotalMemory(forceFullCollection: true));

        public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes) =>
            Peak = Math.Max(Peak, GC.GetTotalMemory(forceFullCollection: true));
    }

    /// <summary>What a run of the plan adds to the live heap at its peak, in bytes.</summary>
    private static long Measure(SimulationPlan plan, bool perReplica)
    {
        var output = Path.Combine(Path.GetTempPath(), $"caresim-memory-{Guid.NewGuid():N}");
        try
        {
            var probe = new HeapProbe();
            var metrics = MetricCatalog.All.Select(m => m.Metric).ToList();
            // Blocks smaller than the replicas: the summaries then copy each month's values (the larger case).
            var request = new RunRequest(plan, "", null, metrics, perReplica, new RunSettings(BlockSize: plan.Replicas / 4, MaxConcurrency: 1), output,
                AdditionalSink: probe);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            RunExecutor.ExecuteAsync(new ReferenceEngine(), request, null, CancellationToken.None).GetAwaiter().GetResult();
            return probe.Peak - before;
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_estimate_covers_a_measured_run_and_is_within_a_factor_of_three_of_it(bool perReplica)
    {
        // Two sizes, so that what is fixed (code, plan, buffers) cancels: the estimate is of what scales.
        var small = Measure(Plan(1000), perReplica);
        var large = Measure(Plan(3000), perReplica);
        var measured = large - small;
        var estimated = RunMemory.Estimate(Plan(3000), MetricCatalog.Count, perReplica) - RunMemory.Estimate(Plan(1000), MetricCatalog.Count, perReplica);
        Assert.True(measured > 0, $"measured {measured}");
        Assert.True(estimated >= measured && estimated <= 3 * measured,
            $"estimated {estimated / 1024} KiB for 2000 replicas x 6 authorities, measured {measured / 1024} KiB ({measured / (2000.0 * 6):0} bytes per authority-replica)");
    }

    [Fact]
    public void A_run_that_does_not_fit_is_refused_with_the_estimate_and_the_replicas_that_fit()
    {
        var plan = Plan(10_000_000);
        Assert.Null(RunMemory.Refusal(Plan(1000), MetricCatalog.Count, perReplica: false, available: 1L << 30));
        var refusal = RunMemory.Refusal(plan, MetricCatalog.Count, perReplica: false, available: 1L << 30);
        var fitting = ((1L << 30) - RunMemory.FixedBytes) / (6 * RunMemory.BytesPerAuthorityReplica);
        Assert.Equal(
            $"the run needs about 171.9 GiB of memory (10,000,000 replicas x 6 authorities) and this machine has 1.0 GiB available; at most {fitting:N0} replicas fit (--replicas {fitting}); lower it with fewer replicas, fewer authorities",
            refusal);
        Assert.Null(RunMemory.Refusal(plan with { Replicas = (int)fitting }, MetricCatalog.Count, perReplica: false, available: 1L << 30));
        Assert.NotNull(RunMemory.Refusal(plan with { Replicas = (int)fitting + 1 }, MetricCatalog.Count, perReplica: false, available: 1L << 30));
    }
}
