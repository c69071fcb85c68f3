using System.Globalization;
using System.Text;
using CareSim.Engine.Running;
using CareSim.Engine.Summaries;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Engine.Results;

/// <summary>
/// Writes a results directory. Everything goes to a hidden staging directory beside the target
/// and is renamed into place only by <see cref="Commit"/>; disposing without committing (an
/// error, Ctrl+C) deletes the staging directory, so a half-written results directory never
/// appears. Summaries stream to disk month by month.
/// </summary>
public sealed class ResultsWriter : IDisposable
{
    public const string SummaryCsv = "summary.csv";
    public const string SummaryParquet = "summary.parquet";
    public const string OutcomesCsv = "outcomes.csv";
    public const string OutcomeCdfCsv = "outcome_cdf.csv";
    public const string TotalsCsv = "totals.csv";
    public const string NextInspectionCsv = "next_inspection.csv";
    public const string ManifestJson = "manifest.json";
    public const string ReplicasParquet = "replicas.parquet";

    private readonly string _target;
    private readonly bool _replace;
    private readonly string _staging;
    private readonly StreamWriter _summaryCsv;
    private readonly ParquetTable _summaryParquet;
    private ReplicaParquetSink? _replicaSink;
    private bool _committed;

    private ResultsWriter(string target, bool replace)
    {
        _target = target;
        _replace = replace;
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        _staging = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_staging);
        _summaryCsv = new StreamWriter(Path.Combine(_staging, SummaryCsv), false, new UTF8Encoding(false));
        _summaryCsv.Write("authority,month,metric,mean," + string.Join(',', Quantiles.ColumnNames) + "\n");
        _summaryParquet = new ParquetTable(Path.Combine(_staging, SummaryParquet),
            [("authority", typeof(string)), ("month", typeof(string)), ("metric", typeof(string)), ("mean", typeof(double)),
             .. Quantiles.ColumnNames.Select(n => (n, typeof(double)))]);
    }

    /// <summary>
    /// Deletes the staging directories a writer of <paramref name="outputDirectory"/> left behind
    /// when its process was killed (a resumed run's first client); returns how many there were.
    /// </summary>
    public static int RemoveAbandonedStaging(string outputDirectory)
    {
        var target = Path.GetFullPath(outputDirectory);
        var parent = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(parent)) return 0;
        var removed = 0;
        foreach (var staging in Directory.EnumerateDirectories(parent, $".{Path.GetFileName(target)}.tmp-*"))
        {
            Directory.Delete(staging, recursive: true);
            removed++;
        }
        return removed;
    }

    /// <summary>
    /// Starts writing <paramref name="outputDirectory"/>. Fails if it exists and is not empty,
    /// unless <paramref name="replace"/> is set (the old one is then replaced only on commit).
    /// </summary>
    public static ResultsWriter Begin(string outputDirectory, bool replace)
    {
        var target = Path.GetFullPath(outputDirectory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !replace)
            throw new IOException($"results directory '{outputDirectory}' already exists and is not empty (use --force to replace it)");
        if (File.Exists(target))
            throw new IOException($"'{outputDirectory}' is a file, not a directory");
        return new ResultsWriter(target, replace);
    }

    public string StagingDirectory => _staging;

    /// <summary>The sink that turns the engine's frames into summary rows written here (and shown to <paramref name="observer"/>).</summary>
    /// <param name="parallelism">Threads that summarise a month (never changes the numbers).</param>
    public SummaryAccumulator CreateSummarySink(SimulationPlan plan, IReadOnlyList<Metric> metrics, Action<int, IReadOnlyList<SummaryRow>>? observer = null, int parallelism = 1) =>
        new(plan, metrics, (month, rows) =>
        {
            WriteSummaryRows(rows);
            observer?.Invoke(month, rows);
        }, parallelism);

    /// <summary>A sink writing every replica's metrics to replicas.parquet, one row group per month.</summary>
    public IRunSink CreateReplicaSink(SimulationPlan plan, IReadOnlyList<Metric> metrics) =>
        _replicaSink ??= new ReplicaParquetSink(plan, metrics, Path.Combine(_staging, ReplicasParquet));

    /// <summary>Appends summary rows (the summary sink does this for each month; a resumed run first writes the months it restored).</summary>
    public void WriteSummaryRows(IReadOnlyList<SummaryRow> rows)
    {
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            var month = row.Month.ToString();
            sb.Append(row.Authority).Append(',').Append(month).Append(',').Append(row.Metric).Append(',').Append(Format(row.Mean));
            foreach (var q in row.Quantiles) sb.Append(',').Append(Format(q));
            sb.Append('\n');
            _summaryParquet.Add(0, row.Authority);
            _summaryParquet.Add(1, month);
            _summaryParquet.Add(2, row.Metric);
            _summaryParquet.Add(3, row.Mean);
            for (var k = 0; k < row.Quantiles.Length; k++) _summaryParquet.Add(4 + k, row.Quantiles[k]);
            _summaryParquet.EndRow();
        }
        _summaryCsv.Write(sb.ToString());
        if (_summaryParquet.BufferedRows >= 50_000) _summaryParquet.Flush();
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Format(double? value) => value is { } v ? Format(v) : "";

    /// <summary>Writes the outcome files and the manifest, then moves the directory into place.</summary>
    public void Commit(SummaryAccumulator summaries, Func<RunManifest> manifest)
    {
        _summaryCsv.Dispose();
        _summaryParquet.Dispose();
        _replicaSink?.Dispose();
        WriteOutcomes(summaries);
        File.WriteAllText(Path.Combine(_staging, ManifestJson), manifest().ToJson());

        if (Directory.Exists(_target))
        {
            if (!_replace && Directory.EnumerateFileSystemEntries(_target).Any())
                throw new IOException($"results directory '{_target}' appeared while the run was going; results left in '{_staging}'");
            var backup = _target + $".old-{Guid.NewGuid():N}";
            Directory.Move(_target, backup);
            Directory.Move(_staging, _target);
            Directory.Delete(backup, recursive: true);
        }
        else
        {
            Directory.Move(_staging, _target);
        }
        _committed = true;
    }

    private void WriteOutcomes(SummaryAccumulator summaries)
    {
        var outcomes = new StringBuilder("authority,outcome,replicas,horizon_months,share_within_horizon," +
            string.Join(',', SummaryAccumulator.OutcomeLevels.Select(l => $"p{l * 100:00}")) + "\n");
        var cdf = new StringBuilder("authority,outcome,months,share_reached\n");
        foreach (var o in summaries.OutcomeSummaries())
        {
            outcomes.Append(CultureInfo.InvariantCulture, $"{o.Authority},{o.Outcome},{o.Replicas},{o.HorizonMonths},{Format(o.ShareWithinHorizon)}");
            foreach (var q in o.Quantiles) outcomes.Append(',').Append(Format(q));
            outcomes.Append('\n');
            for (var m = 0; m < o.CumulativeShareByMonth.Count; m++)
                cdf.Append(CultureInfo.InvariantCulture, $"{o.Authority},{o.Outcome},{m},{Format(o.CumulativeShareByMonth[m])}\n");
        }
        File.WriteAllText(Path.Combine(_staging, OutcomesCsv), outcomes.ToString());
        File.WriteAllText(Path.Combine(_staging, OutcomeCdfCsv), cdf.ToString());

        var totals = new StringBuilder("authority,mean_total_cost_gbp_m," + string.Join(',', Quantiles.ColumnNames.Select(n => "total_cost_" + n))
            + "," + string.Join(',', GradeNames.All.Select(g => "final_p_" + g.ToKey())) + "\n");
        foreach (var t in summaries.Totals())
        {
            totals.Append(t.Authority).Append(',').Append(Format(t.MeanTotalCost));
            foreach (var q in t.TotalCostQuantiles) totals.Append(',').Append(Format(q));
            foreach (var s in t.FinalGradeShares) totals.Append(',').Append(Format(s));
            totals.Append('\n');
        }
        File.WriteAllText(Path.Combine(_staging, TotalsCsv), totals.ToString());

        var next = new StringBuilder("authority,grade,share\n");
        foreach (var (authority, grade, share) in summaries.NextInspectionGrades())
            next.Append(CultureInfo.InvariantCulture, $"{authority},{grade},{Format(share)}\n");
        File.WriteAllText(Path.Combine(_staging, NextInspectionCsv), next.ToString());
    }

    public void Dispose()
    {
        if (_committed) return;
        try
        {
            _summaryCsv.Dispose();
            _summaryParquet.Dispose();
            _replicaSink?.Dispose();
        }
        catch (IOException)
        {
            // The staging directory is deleted below either way.
        }
        if (Directory.Exists(_staging)) Directory.Delete(_staging, recursive: true);
    }
}
