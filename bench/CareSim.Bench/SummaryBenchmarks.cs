using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Engine.Summaries;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Bench;

/// <summary>
/// One authority-month of summaries: the mean and 7 quantiles over the replicas of each of the
/// 36 metrics, on real values (the Sefton scenario's month 36). Sorting a copy of each metric
/// (what the summaries did) against the exact selection they do now. Same numbers, bit for bit.
/// </summary>
[Config(typeof(SummaryConfig))]
public class SummaryBenchmarks
{
    private double[][] _columns = null!;
    private double[] _sorted = null!;
    private readonly double[] _quantiles = new double[Quantiles.Levels.Count];
    private double[] _means = null!;
    private QuantileSelector _selector = null!;

    [Params(1000, 10_000)]
    public int Replicas { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var plan = Scenarios.Load("sefton-2022-23.yaml", Replicas, 36);
        var month = new LastMonth(plan);
        ReferenceEngine.Run(plan, new RunSettings(BlockSize: 1000), month);
        _columns = month.Columns;
        _sorted = new double[Replicas];
        _means = new double[_columns.Length];
        _selector = new QuantileSelector(Replicas);
    }

    [Benchmark(Baseline = true)]
    public double SortEachMetric()
    {
        var total = 0.0;
        foreach (var values in _columns)
        {
            var sum = 0.0;
            for (var r = 0; r < values.Length; r++) sum += values[r];
            Array.Copy(values, _sorted, values.Length);
            Array.Sort(_sorted);
            for (var k = 0; k < _quantiles.Length; k++) _quantiles[k] = Quantiles.OfSorted(_sorted, Quantiles.Levels[k]);
            total += sum / values.Length + _quantiles[3];
        }
        return total;
    }

    [Benchmark]
    public double SelectEachMetric()
    {
        QuantileSelector.Means(_columns, Replicas, _means);
        var total = 0.0;
        for (var s = 0; s < _columns.Length; s++)
        {
            _selector.DescribeQuantiles(_columns[s], _quantiles);
            total += _means[s] + _quantiles[3];
        }
        return total;
    }

    /// <summary>Keeps every metric of the last month (one authority).</summary>
    private sealed class LastMonth(SimulationPlan plan) : IRunSink
    {
        public double[][] Columns { get; } = Enumerable.Range(0, MetricCatalog.Count).Select(_ => new double[plan.Replicas]).ToArray();

        public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
        {
            for (var k = 0; k < MetricCatalog.Count; k++) Array.Copy(frame.Values[k], 0, Columns[k], block.FirstReplica, block.Count);
        }

        public void CompleteMonth(int month)
        {
        }

        public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes)
        {
        }
    }
}

public sealed class SummaryConfig : ManualConfig
{
    public SummaryConfig()
    {
        AddJob(Job.ShortRun);
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
