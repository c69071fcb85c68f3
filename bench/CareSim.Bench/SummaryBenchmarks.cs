using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using CareSim.Engine.Summaries;

namespace CareSim.Bench;

/// <summary>
/// One metric's summary over the replicas of a month (mean and 7 quantiles): sorting a copy
/// (what the summaries did) against the exact selection they do now. Same numbers, bit for bit.
/// </summary>
[Config(typeof(SummaryConfig))]
public class SummaryBenchmarks
{
    private double[] _values = null!;
    private double[] _sorted = null!;
    private readonly double[] _quantiles = new double[Quantiles.Levels.Count];
    private QuantileSelector _selector = null!;

    [Params(1000, 10_000)]
    public int Replicas { get; set; }

    /// <summary>continuous (log-normal), binary (a 0/1 indicator), constant (e.g. nobody removed).</summary>
    [Params("continuous", "binary", "constant")]
    public string Shape { get; set; } = "continuous";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _values = Enumerable.Range(0, Replicas).Select(_ => Shape switch
        {
            "binary" => random.NextDouble() < 0.3 ? 1.0 : 0.0,
            "constant" => 0.0,
            _ => Math.Exp(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())),
        }).ToArray();
        _sorted = new double[Replicas];
        _selector = new QuantileSelector(Replicas);
    }

    [Benchmark(Baseline = true)]
    public double SortCopy()
    {
        var sum = 0.0;
        for (var r = 0; r < _values.Length; r++) sum += _values[r];
        Array.Copy(_values, _sorted, _values.Length);
        Array.Sort(_sorted);
        for (var k = 0; k < _quantiles.Length; k++) _quantiles[k] = Quantiles.OfSorted(_sorted, Quantiles.Levels[k]);
        return sum / _values.Length;
    }

    [Benchmark]
    public double Select() => _selector.Describe(_values, _quantiles);
}

public sealed class SummaryConfig : ManualConfig
{
    public SummaryConfig()
    {
        AddJob(Job.ShortRun);
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
