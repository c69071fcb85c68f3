using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Model.Tests;

/// <summary>Keeps every replica's metrics for every month (small test runs only).</summary>
public sealed class CapturingSink : IRunSink
{
    private readonly SimulationPlan _plan;
    private readonly double[][][][] _values; // [month][authority][metric][replica]

    public CapturingSink(SimulationPlan plan)
    {
        _plan = plan;
        _values = new double[plan.HorizonMonths][][][];
        for (var m = 0; m < plan.HorizonMonths; m++)
        {
            _values[m] = new double[plan.Authorities.Count][][];
            for (var a = 0; a < plan.Authorities.Count; a++)
            {
                _values[m][a] = new double[MetricCatalog.Count][];
                for (var k = 0; k < MetricCatalog.Count; k++) _values[m][a][k] = new double[plan.Replicas];
            }
        }
        MonthsToGood = new int[plan.Authorities.Count][];
        MonthsToRequiresImprovement = new int[plan.Authorities.Count][];
        MonthsToNextInspection = new int[plan.Authorities.Count][];
        for (var a = 0; a < plan.Authorities.Count; a++)
        {
            MonthsToGood[a] = new int[plan.Replicas];
            MonthsToRequiresImprovement[a] = new int[plan.Replicas];
            MonthsToNextInspection[a] = new int[plan.Replicas];
        }
    }

    public int[][] MonthsToGood { get; }
    public int[][] MonthsToRequiresImprovement { get; }
    public int[][] MonthsToNextInspection { get; }

    public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
    {
        for (var k = 0; k < MetricCatalog.Count; k++)
            Array.Copy(frame.Values[k], 0, _values[month][authorityIndex][k], block.FirstReplica, block.Count);
    }

    public void CompleteMonth(int month) { }

    public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes)
    {
        Array.Copy(outcomes.MonthsToGood, 0, MonthsToGood[authorityIndex], block.FirstReplica, block.Count);
        Array.Copy(outcomes.MonthsToRequiresImprovement, 0, MonthsToRequiresImprovement[authorityIndex], block.FirstReplica, block.Count);
        Array.Copy(outcomes.MonthsToNextInspection, 0, MonthsToNextInspection[authorityIndex], block.FirstReplica, block.Count);
    }

    public double[] Values(int month, Metric metric, int authority = 0) => _values[month][authority][(int)metric];

    public double Mean(int month, Metric metric, int authority = 0) => Values(month, metric, authority).Average();

    /// <summary>Mean over replicas and over months from..to inclusive.</summary>
    public double Mean(Metric metric, int from, int to, int authority = 0) =>
        Enumerable.Range(from, to - from + 1).Select(m => Mean(m, metric, authority)).Average();

    public int Months => _plan.HorizonMonths;
}

public static class Simulate
{
    public static CapturingSink Run(SimulationPlan plan, int blockSize = 1000)
    {
        var sink = new CapturingSink(plan);
        ReferenceEngine.Run(plan, new RunSettings(BlockSize: blockSize), sink);
        return sink;
    }
}
