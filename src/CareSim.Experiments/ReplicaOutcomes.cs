using CareSim.Engine.Running;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Experiments;

/// <summary>
/// Collects each replica's outcome measures (see <see cref="OutcomeMeasures"/>) for every
/// authority while a run streams by: months to requires improvement and to good, and window
/// means of the monthly metrics. Memory: a few numbers per replica and authority.
/// </summary>
public sealed class ReplicaOutcomes : IRunSink
{
    private static readonly (Metric Metric, OutcomeMeasure Measure)[] WindowMeans =
    [
        (Metric.RereferralRate, OutcomeMeasures.Rereferrals),
        (Metric.ClaPer10k, OutcomeMeasures.LookedAfter),
        (Metric.CppPer10k, OutcomeMeasures.Plans),
        (Metric.TurnoverRate, OutcomeMeasures.Turnover),
        (Metric.AgencyRate, OutcomeMeasures.AgencyRate),
        (Metric.Caseload, OutcomeMeasures.Caseload),
    ];

    private readonly SimulationPlan _plan;
    private readonly double[][][] _sums; // [authority][window metric][replica]
    private readonly double[][] _cost; // [authority][replica], over the window
    private readonly double[][] _finalQuality;
    private readonly int[][] _monthsToRi;
    private readonly int[][] _monthsToGood;
    private int _windowMonths;

    public ReplicaOutcomes(SimulationPlan plan)
    {
        _plan = plan;
        var n = plan.Authorities.Count;
        _sums = Enumerable.Range(0, n).Select(_ => WindowMeans.Select(_ => new double[plan.Replicas]).ToArray()).ToArray();
        _cost = Enumerable.Range(0, n).Select(_ => new double[plan.Replicas]).ToArray();
        _finalQuality = Enumerable.Range(0, n).Select(_ => new double[plan.Replicas]).ToArray();
        _monthsToRi = Enumerable.Range(0, n).Select(_ => new int[plan.Replicas]).ToArray();
        _monthsToGood = Enumerable.Range(0, n).Select(_ => new int[plan.Replicas]).ToArray();
    }

    public SimulationPlan Plan => _plan;

    /// <summary>Months in the outcome window (from outcomes_from to the end).</summary>
    public int HorizonMonths => _plan.HorizonMonths - _plan.OutcomesFromMonth;

    public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
    {
        if (month < _plan.OutcomesFromMonth) return;
        var sums = _sums[authorityIndex];
        for (var k = 0; k < WindowMeans.Length; k++)
        {
            var values = frame[WindowMeans[k].Metric];
            var target = sums[k];
            for (var i = 0; i < block.Count; i++) target[block.FirstReplica + i] += values[i];
        }
        var cost = frame[Metric.Cost];
        for (var i = 0; i < block.Count; i++) _cost[authorityIndex][block.FirstReplica + i] += cost[i];
        if (month == _plan.HorizonMonths - 1)
            Array.Copy(frame[Metric.PracticeQuality], 0, _finalQuality[authorityIndex], block.FirstReplica, block.Count);
    }

    public void CompleteMonth(int month)
    {
        if (month >= _plan.OutcomesFromMonth) _windowMonths++;
    }

    public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes)
    {
        Array.Copy(outcomes.MonthsToRequiresImprovement, 0, _monthsToRi[authorityIndex], block.FirstReplica, block.Count);
        Array.Copy(outcomes.MonthsToGood, 0, _monthsToGood[authorityIndex], block.FirstReplica, block.Count);
    }

    /// <summary>Per-replica months to requires improvement or better (-1: not within the horizon).</summary>
    public int[] MonthsToRequiresImprovement(int authority) => _monthsToRi[authority];

    /// <summary>Per-replica months to good or better (-1: not within the horizon).</summary>
    public int[] MonthsToGood(int authority) => _monthsToGood[authority];

    /// <summary>
    /// Per-replica values of a measure for an authority (mean-type measures; the median measures
    /// are computed from <see cref="Censored"/> months).
    /// </summary>
    public double[] Values(int authority, OutcomeMeasure measure)
    {
        var horizon = HorizonMonths;
        if (measure == OutcomeMeasures.PRequiresImprovement) return _monthsToRi[authority].Select(m => m >= 0 ? 1.0 : 0.0).ToArray();
        if (measure == OutcomeMeasures.PGood) return _monthsToGood[authority].Select(m => m >= 0 ? 1.0 : 0.0).ToArray();
        if (measure == OutcomeMeasures.MonthsToRequiresImprovement) return Censored(_monthsToRi[authority], horizon);
        if (measure == OutcomeMeasures.MonthsToGood) return Censored(_monthsToGood[authority], horizon);
        if (measure == OutcomeMeasures.MedianMonthsToRequiresImprovement) return Censored(_monthsToRi[authority], horizon + 1);
        if (measure == OutcomeMeasures.MedianMonthsToGood) return Censored(_monthsToGood[authority], horizon + 1);
        if (measure == OutcomeMeasures.Quality) return (double[])_finalQuality[authority].Clone();
        if (measure == OutcomeMeasures.Cost) return (double[])_cost[authority].Clone();
        for (var k = 0; k < WindowMeans.Length; k++)
        {
            if (WindowMeans[k].Measure != measure) continue;
            var months = Math.Max(1, _windowMonths);
            return _sums[authority][k].Select(s => s / months).ToArray();
        }
        if (measure.Name.StartsWith("p_good_by_", StringComparison.Ordinal) || measure.Name.StartsWith("p_ri_by_", StringComparison.Ordinal))
        {
            var good = measure.Name.StartsWith("p_good_by_", StringComparison.Ordinal);
            var month = Model.Time.SimMonth.Parse(measure.Name[(good ? "p_good_by_" : "p_ri_by_").Length..]);
            var limit = month.MonthsSince(_plan.Start) - _plan.OutcomesFromMonth;
            var source = good ? _monthsToGood[authority] : _monthsToRi[authority];
            return source.Select(m => m >= 0 && m <= limit ? 1.0 : 0.0).ToArray();
        }
        throw new ArgumentException($"unknown outcome measure '{measure.Name}'", nameof(measure));
    }

    /// <summary>Months, with "not reached" counted as <paramref name="notReached"/> (the horizon for restricted means, horizon + 1 for medians).</summary>
    private static double[] Censored(int[] months, int notReached) => months.Select(m => m >= 0 ? m : (double)notReached).ToArray();
}
