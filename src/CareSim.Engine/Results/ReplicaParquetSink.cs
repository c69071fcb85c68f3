using CareSim.Engine.Running;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Engine.Results;

/// <summary>
/// Streams every replica's metrics to Parquet (columns authority, replica, month as a DATE, one
/// per metric: 0/1 indicators as booleans, counts as integers, the rest as doubles), one row
/// group per month: memory holds one month.
/// </summary>
public sealed class ReplicaParquetSink : IRunSink, IDisposable
{
    private readonly SimulationPlan _plan;
    private readonly Metric[] _metrics;
    private readonly ParquetTable _table;
    private readonly double[][][] _month; // [authority][metric slot][replica]

    private readonly Type[] _types;

    public ReplicaParquetSink(SimulationPlan plan, IReadOnlyList<Metric> metrics, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        _plan = plan;
        _metrics = metrics.ToArray();
        _types = _metrics.Select(ColumnType).ToArray();
        _table = new ParquetTable(path,
            [("authority", typeof(string)), ("replica", typeof(int)), ("month", typeof(DateOnly)), .. _metrics.Select((m, i) => (m.Name(), _types[i]))], metadata);
        _month = plan.Authorities.Select(_ => _metrics.Select(_ => new double[plan.Replicas]).ToArray()).ToArray();
    }

    public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
    {
        for (var s = 0; s < _metrics.Length; s++)
            Array.Copy(frame.Values[(int)_metrics[s]], 0, _month[authorityIndex][s], block.FirstReplica, block.Count);
    }

    public void CompleteMonth(int month)
    {
        var date = ResultsWriter.FirstDay(_plan.MonthAt(month));
        for (var a = 0; a < _month.Length; a++)
        {
            var code = _plan.Authorities[a].Code;
            for (var r = 0; r < _plan.Replicas; r++)
            {
                _table.Add(0, code);
                _table.Add(1, r);
                _table.Add(2, date);
                for (var s = 0; s < _metrics.Length; s++)
                {
                    var value = _month[a][s][r];
                    if (_types[s] == typeof(bool)) _table.Add(3 + s, value != 0);
                    else if (_types[s] == typeof(int)) _table.Add(3 + s, (int)Math.Round(value));
                    else _table.Add(3 + s, value);
                }
                _table.EndRow();
            }
        }
        _table.Flush();
    }

    /// <summary>Indicators (unit 0/1) are booleans, counts integers, everything else a double.</summary>
    private static Type ColumnType(Metric metric) => MetricCatalog.All.First(m => m.Metric == metric).Unit switch
    {
        "0/1" => typeof(bool),
        "count" => typeof(int),
        _ => typeof(double),
    };

    public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes)
    {
    }

    public void Dispose() => _table.Dispose();
}
