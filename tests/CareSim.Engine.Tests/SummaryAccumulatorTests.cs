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

    /// <summary>
    /// With <c>overlap</c>, months are summarised on other threads beside the engine's next
    /// month, reading the engine's own frames (one block) or the copies of the month's parity
    /// (several blocks): the rows must still be those of each month's values, in month order.
    /// </summary>
    [Theory]
    [InlineData("liverpool-city-region.yaml", 1, 7, false)]
    [InlineData("liverpool-city-region.yaml", 4, 64, false)]
    [InlineData("sefton-2022-23.yaml", 2, 1000, false)]
    [InlineData("liverpool-city-region.yaml", 2, 64, true)]
    [InlineData("liverpool-city-region.yaml", 2, 1000, true)]
    public void Month_summaries_are_those_of_a_full_sort_whatever_the_threads_and_blocks(string scenario, int parallelism, int blockSize, bool overlap)
    {
        var plan = Load(scenario, replicas: 150, horizon: 36);
        var metrics = Enum.GetValues<Metric>().ToList();
        var rows = new List<SummaryRow>();
        var months = new List<int>();
        var summaries = new SummaryAccumulator(plan, metrics, (month, monthRows) =>
        {
            months.Add(month);
            rows.AddRange(monthRows);
        }, parallelism, overlap);
        var everything = new Everything(plan);
        ReferenceEngine.Run(plan, new RunSettings(BlockSize: blockSize), new CompositeSink(everything, summaries));
        summaries.Drain();

        Assert.Equal(Enumerable.Range(0, plan.HorizonMonths), months);

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

    /// <summary>
    /// The rows handed over beside the engine equal those handed over at the monthly barrier, bit
    /// for bit, even when writing lags several months behind (a slow disk) and blocks are copied.
    /// </summary>
    [Theory]
    [InlineData(64)]
    [InlineData(1000)]
    public void Summaries_beside_the_engine_equal_summaries_at_the_barrier(int blockSize)
    {
        var plan = Load("liverpool-city-region.yaml", replicas: 120, horizon: 36);
        var metrics = Enum.GetValues<Metric>().ToList();
        var atBarrier = new List<string>();
        var barrier = new SummaryAccumulator(plan, metrics, (month, rows) => atBarrier.AddRange(rows.Select(r => Text(month, r))), parallelism: 2);
        ReferenceEngine.Run(plan, new RunSettings(BlockSize: blockSize), barrier);

        var beside = new List<string>();
        var overlapping = new SummaryAccumulator(plan, metrics, (month, rows) =>
        {
            Thread.Sleep(month % 5 == 0 ? 30 : 1); // now and then a slow write: months queue up behind it
            beside.AddRange(rows.Select(r => Text(month, r)));
        }, parallelism: 2, overlap: true);
        ReferenceEngine.Run(plan, new RunSettings(BlockSize: blockSize), overlapping);
        overlapping.Drain();

        Assert.Equal(atBarrier.Count, beside.Count);
        Assert.Equal(atBarrier, beside);

        static string Text(int month, SummaryRow row) =>
            $"{month},{row.Authority},{row.Month},{row.Metric},{BitConverter.DoubleToInt64Bits(row.Mean)}," + string.Join(',', row.Quantiles.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void An_error_while_writing_beside_the_engine_stops_the_run_and_comes_out()
    {
        var plan = Load("sefton-2022-23.yaml", replicas: 20, horizon: 36);
        var handedOver = new List<int>();
        var summaries = new SummaryAccumulator(plan, [Metric.SwFte], (month, _) =>
        {
            if (month == 1) throw new IOException("disk full");
            handedOver.Add(month);
        }, parallelism: 1, overlap: true);
        var error = Assert.Throws<IOException>(() =>
        {
            ReferenceEngine.Run(plan, new RunSettings(), summaries);
            summaries.Drain();
        });
        Assert.Equal("disk full", error.Message);
        summaries.Abandon(); // waits without throwing again
        // Months after the failed one are never handed over (they would land after a gap).
        Assert.Equal([0], handedOver);
    }

    [Fact]
    public void A_cancelled_run_hands_nothing_over_after_abandon()
    {
        var plan = Load("sefton-2022-23.yaml", replicas: 50, horizon: 36);
        using var cancel = new CancellationTokenSource();
        var handedOver = new List<int>();
        var summaries = new SummaryAccumulator(plan, [Metric.SwFte, Metric.Caseload], (month, _) =>
        {
            Thread.Sleep(20); // writing lags behind the engine
            lock (handedOver) handedOver.Add(month);
        }, parallelism: 1, overlap: true);
        var progress = new Progress(p =>
        {
            if (p.MonthsDone == 6) cancel.Cancel();
        });
        Assert.Throws<OperationCanceledException>(() => ReferenceEngine.Run(plan, new RunSettings(), summaries, progress, cancel.Token));
        summaries.Abandon();
        int[] atAbandon;
        lock (handedOver) atAbandon = [.. handedOver];
        Thread.Sleep(200);
        lock (handedOver) Assert.Equal(atAbandon, handedOver);
        // Every month the engine completed was handed over, in order, and nothing after.
        Assert.Equal(Enumerable.Range(0, 6), atAbandon);
    }

    /// <summary>Reports on the engine's thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Progress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
