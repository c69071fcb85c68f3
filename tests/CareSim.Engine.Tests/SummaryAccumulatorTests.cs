using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Engine.Summaries;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Scenarios;

namespace CareSim.Engine.Tests;

public class SummaryAccumulatorTests
{
    private static SimulationPlan Load(string scenario, int replicas, int horizon)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulation.sln"))) dir = dir.Parent;
        var result = ScenarioLoader.Load(Path.Combine(dir!.FullName, "scenarios", scenario), new ScenarioOverrides(replicas, 3, horizon));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Plan!;
    }

    /// <summary>Keeps every replica's value of every month, to summarise by sorting.</summary>
    private sealed class Everything(SimulationPlan plan) : IRunSink
    {
        public readonly double[,,][] Values = new double[plan.HorizonMonths, plan.Authorities.Count, MetricCatalog.Count][];

        public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
        {
            for (var k = 0; k < MetricCatalog.Count; k++)
                Array.Copy(frame.Values[k], 0, Values[month, authorityIndex, k] ??= new double[plan.Replicas], block.FirstReplica, block.Count);
        }

        public void CompleteMonth(int month)
        {
        }

        public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes)
        {
        }
    }

    [Theory]
    [InlineData("liverpool-city-region.yaml", 1, 7)]
    [InlineData("liverpool-city-region.yaml", 4, 64)]
    [InlineData("sefton-2022-23.yaml", 2, 1000)]
    public void Month_summaries_are_those_of_a_full_sort_whatever_the_threads_and_blocks(string scenario, int parallelism, int blockSize)
    {
        var plan = Load(scenario, replicas: 150, horizon: 36);
        var metrics = Enum.GetValues<Metric>().ToList();
        var rows = new List<SummaryRow>();
        var summaries = new SummaryAccumulator(plan, metrics, (_, month) => rows.AddRange(month), parallelism);
        var everything = new Everything(plan);
        ReferenceEngine.Run(plan, new RunSettings(BlockSize: blockSize), new CompositeSink(everything, summaries));

        Assert.Equal(plan.HorizonMonths * plan.Authorities.Count * metrics.Count, rows.Count);
        var i = 0;
        for (var month = 0; month < plan.HorizonMonths; month++)
            for (var a = 0; a < plan.Authorities.Count; a++)
                foreach (var metric in metrics)
                {
                    var values = everything.Values[month, a, (int)metric];
                    var sum = 0.0;
                    foreach (var v in values) sum += v;
                    var sorted = values.Order().ToArray();
                    var row = rows[i++];
                    Assert.Equal((plan.Authorities[a].Code, plan.MonthAt(month), metric.Name()), (row.Authority, row.Month, row.Metric));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(sum / values.Length), BitConverter.DoubleToInt64Bits(row.Mean));
                    for (var k = 0; k < Quantiles.Levels.Count; k++)
                        Assert.Equal(BitConverter.DoubleToInt64Bits(Quantiles.OfSorted(sorted, Quantiles.Levels[k])), BitConverter.DoubleToInt64Bits(row.Quantiles[k]));
                }
    }
}
