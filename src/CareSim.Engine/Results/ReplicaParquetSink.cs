using CareSim.Engine.Running;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Engine.Results;

/// <summary>
/// Streams every replica's metrics to Parquet (columns authority, replica, month, one per
/// metric), one row group per month: memory holds one month.
/// </summary>
public sealed class ReplicaParquetSink : IRunSink, IDisposable
{
    private readonly SimulationPlan _plan;
    private readonly Metric[] _metrics;
    private readonly ParquetTable _table;
    private readonly double[][][] _month; // [authority][metric slot][replica]

    public ReplicaParquetSink(SimulationPlan plan, IReadOnlyList<Metric> metrics, string path)
    {
        _plan = plan;
        _metrics = metrics.ToArray();
        _table = new ParquetTable(path,
            [("authority", typeof(string)), ("replica", typeof(int)), ("month", typeof(string)), .. _metrics.Select(m => (m.Name(), typeof(double)))]);
        _month = plan.Authorities.Select(_ => _metrics.Select(_ => new double[plan.Replicas]).ToArray()).ToArray();
    }

    public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
    {
        for (var s = 0; s < _metrics.Length; s++)
            Array.Copy(frame.Values[(int)_metrics[s]], 0, _month[authorityIndex][s], block.FirstReplica, block.Count);
    }

    public void CompleteMonth(int month)
    {
        var label = _plan.MonthAt(month).ToString();
        for (var a = 0; a < _month.Length; a++)
        {
            var code = _plan.Authorities[a].Code;
            for (var r = 0; r < _plan.Replicas; r++)
            {
                _table.Add(0, code);
                _table.Add(1, r);
                _table.Add(2, label);
                for (var s = 0; s < _metrics.Length; s++) _table.Add(3 + s, _month[a][s][r]);
                _table.EndRow();
            }
        }
        _table.Flush();
    }

    public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes)
    {
    }

    public void Dispose() => _table.Dispose();
}
