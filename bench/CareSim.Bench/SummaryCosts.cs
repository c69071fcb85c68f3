using System.Diagnostics;
using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Engine.Summaries;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Bench;

/// <summary>
/// What the summaries cost on a scenario's own values: the reference engine runs it, keeping
/// every authority's metrics of some months; then the quantiles of every metric (one
/// <see cref="QuantileSelector.DescribeQuantiles"/> per authority, month and metric) are timed
/// on one thread, best of several passes, and checked against sorting. Also prints, per metric,
/// how its values look (distinct values, integers), which decides the selector's path.
/// </summary>
public static class SummaryCosts
{
    public static int Run(Arguments args)
    {
        var workload = args.Workload(defaultReplicas: 1000);
        if (workload is null) return 2;
        var plan = workload.Plan;
        var every = args.Int("every", 6);
        var keep = new KeepMonths(plan, every);
        ReferenceEngine.Run(plan, workload.Settings, keep);
        var columns = keep.Columns;
        Console.WriteLine($"summaries: {Path.GetFileName(workload.Scenario)}, {plan.Authorities.Count} authorities x {plan.Replicas:N0} replicas, "
            + $"{keep.Months} months (every {every}th) x {MetricCatalog.Count} metrics = {columns.Count:N0} sets of values");

        var selector = new QuantileSelector(plan.Replicas);
        var quantiles = new double[Quantiles.Levels.Count];
        var sorted = new double[plan.Replicas];
        var wrong = 0;
        foreach (var (_, values) in columns)
        {
            selector.DescribeQuantiles(values, quantiles);
            values.CopyTo(sorted, 0);
            Array.Sort(sorted);
            for (var k = 0; k < quantiles.Length; k++)
                if (BitConverter.DoubleToInt64Bits(quantiles[k]) != BitConverter.DoubleToInt64Bits(Quantiles.OfSorted(sorted, Quantiles.Levels[k]))) wrong++;
        }

        var best = double.PositiveInfinity;
        var perMetric = new double[MetricCatalog.Count];
        for (var pass = 0; pass < args.Int("passes", 5); pass++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var (_, values) in columns) selector.DescribeQuantiles(values, quantiles);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        // Per metric (one pass each, after the warm-up above).
        var byMetric = columns.GroupBy(c => c.Metric).ToDictionary(g => g.Key, g => g.Select(c => c.Values).ToArray());
        foreach (var (metric, sets) in byMetric)
        {
            var clock = Stopwatch.StartNew();
            foreach (var values in sets) selector.DescribeQuantiles(values, quantiles);
            perMetric[metric] = clock.Elapsed.TotalSeconds * 1e9 / sets.Length;
        }

        Console.WriteLine($"  quantiles of every set: {best * 1e9 / columns.Count:F0} ns per set of {plan.Replicas:N0} values (best of the passes); "
            + $"{plan.Authorities.Count} authorities x 120 months would take {best / columns.Count * plan.Authorities.Count * 120 * MetricCatalog.Count:F2} CPU s");
        Console.WriteLine($"  exactness against sorting: {(wrong == 0 ? "identical" : $"{wrong} quantiles DIFFER")}");
        Console.WriteLine("  metric                               ns per set   sets with <= 2 distinct values   integer-valued   median distinct values");
        foreach (var (metric, sets) in byMetric)
        {
            var distinct = sets.Select(v => v.Distinct().Count()).OrderBy(d => d).ToArray();
            var integers = sets.Count(v => v.All(x => x == Math.Floor(x)));
            Console.WriteLine($"  {((Metric)metric).Name(),-36} {perMetric[metric],10:F0}   {distinct.Count(d => d <= 2) * 100.0 / sets.Length,29:F0}%   "
                + $"{integers * 100.0 / sets.Length,13:F0}%   {distinct[distinct.Length / 2],22}");
        }
        return wrong == 0 ? 0 : 1;
    }

    /// <summary>Keeps every metric of every authority for the months <c>every - 1, 2 every - 1, ...</c>.</summary>
    private sealed class KeepMonths(SimulationPlan plan, int every) : IRunSink
    {
        private readonly Dictionary<(int Month, int Authority), double[][]> _kept = [];

        public int Months => _kept.Keys.Select(k => k.Month).Distinct().Count();

        public List<(int Metric, double[] Values)> Columns =>
            [.. _kept.OrderBy(p => p.Key).SelectMany(p => p.Value.Select((values, metric) => (metric, values)))];

        public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
        {
            if ((month + 1) % every != 0) return;
            if (!_kept.TryGetValue((month, authorityIndex), out var columns))
                _kept[(month, authorityIndex)] = columns = Enumerable.Range(0, MetricCatalog.Count).Select(_ => new double[plan.Replicas]).ToArray();
            for (var k = 0; k < MetricCatalog.Count; k++) Array.Copy(frame.Values[k], 0, columns[k], block.FirstReplica, block.Count);
        }

        public void CompleteMonth(int month)
        {
        }

        public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes)
        {
        }
    }
}
