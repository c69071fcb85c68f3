using System.Globalization;
using System.Text;
using CareSim.Engine.Output;
using CareSim.Engine.Running;
using CareSim.Engine.Summaries;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Engine.Results;

/// <summary>
/// Writes a results directory through an <see cref="OutputFolder"/>: everything goes to its hidden
/// staging directory and is moved into place only by <see cref="Commit"/>; disposing without
/// committing (an error, Ctrl+C) deletes it, so a half-written results directory never appears.
/// Summaries stream to disk month by month.
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
    public const string OutcomesParquet = "outcomes.parquet";
    public const string OutcomeCdfParquet = "outcome_cdf.parquet";
    public const string TotalsParquet = "totals.parquet";
    public const string NextInspectionParquet = "next_inspection.parquet";

    private readonly OutputFolder _output;
    private readonly string _staging;
    private readonly SummaryCsvWriter _summaryCsv;
    private readonly ParquetTable _summaryParquet;
    private readonly IReadOnlyDictionary<string, string>? _metadata;
    private ReplicaParquetSink? _replicaSink;
    private bool _closed;

    private ResultsWriter(OutputFolder output, IReadOnlyDictionary<string, string>? metadata)
    {
        _output = output;
        _staging = output.Staging;
        _metadata = metadata;
        _summaryCsv = new SummaryCsvWriter(Path.Combine(_staging, SummaryCsv));
        _summaryParquet = new ParquetTable(Path.Combine(_staging, SummaryParquet),
            [("authority", typeof(string)), ("month", typeof(DateOnly)), ("metric", typeof(string)), ("mean", typeof(double)),
             .. Quantiles.ColumnNames.Select(n => (n, typeof(double)))], metadata);
    }

    /// <summary>A month as the date Parquet files and the results store give it: its first day.</summary>
    public static DateOnly FirstDay(CareSim.Model.Time.SimMonth month) => new(month.Year, month.Month, 1);

    /// <summary>
    /// Deletes the staging directories a writer of <paramref name="outputDirectory"/> left behind
    /// when its process was killed (a resumed run's first client); returns how many there were.
    /// </summary>
    public static int RemoveAbandonedStaging(string outputDirectory) => OutputFolder.RemoveStaging(outputDirectory, onlyAbandoned: false);

    /// <summary>
    /// Starts writing <paramref name="outputDirectory"/> by the rule of <see cref="OutputFolder"/>:
    /// a folder holding files sim did not write there needs <paramref name="replace"/> (--force),
    /// and even then only the results files are replaced.
    /// </summary>
    /// <exception cref="OutputRefusedException">The folder may not be written.</exception>
    /// <param name="metadata">Key-value metadata of every Parquet file (run id, scenario hash, seed, version: <see cref="ParquetMetadata"/>).</param>
    public static ResultsWriter Begin(string outputDirectory, bool replace, string command = "sim run", IReadOnlyDictionary<string, string>? metadata = null) =>
        new(OutputFolder.Begin(outputDirectory, command, replace), metadata);

    /// <summary>
    /// The key-value metadata of a run's Parquet files (keys <c>caresim.*</c>): tool version,
    /// scenario name and SHA-256, seed, replicas, start, horizon, and the run id when there is one.
    /// Nothing that varies between runs of the same scenario and seed except the run id.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParquetMetadata(SimulationPlan plan, string scenarioSha256, string toolVersion, string? runId)
    {
        var metadata = new Dictionary<string, string>
        {
            ["caresim.tool_version"] = toolVersion,
            ["caresim.scenario"] = plan.Name,
            ["caresim.scenario_sha256"] = scenarioSha256,
            ["caresim.seed"] = plan.Seed.ToString(CultureInfo.InvariantCulture),
            ["caresim.replicas"] = plan.Replicas.ToString(CultureInfo.InvariantCulture),
            ["caresim.start"] = plan.Start.ToString(),
            ["caresim.horizon_months"] = plan.HorizonMonths.ToString(CultureInfo.InvariantCulture),
        };
        if (runId is not null) metadata["caresim.run_id"] = runId;
        return metadata;
    }

    public string StagingDirectory => _staging;

    /// <summary>The sink that turns the engine's frames into summary rows written here (and shown to <paramref name="observer"/>).</summary>
    /// <param name="parallelism">Threads that summarise a month (never changes the numbers).</param>
    /// <param name="overlap">Summarise and write each month beside the engine's next one (<see cref="SummaryAccumulator"/>); the observer is then called off the engine's thread.</param>
    public SummaryAccumulator CreateSummarySink(SimulationPlan plan, IReadOnlyList<Metric> metrics, Action<int, IReadOnlyList<SummaryRow>>? observer = null, int parallelism = 1, bool overlap = false) =>
        new(plan, metrics, (month, rows) =>
        {
            WriteSummaryRows(rows);
            observer?.Invoke(month, rows);
        }, parallelism, overlap);

    /// <summary>A sink writing every replica's metrics to replicas.parquet, one row group per month.</summary>
    public IRunSink CreateReplicaSink(SimulationPlan plan, IReadOnlyList<Metric> metrics) =>
        _replicaSink ??= new ReplicaParquetSink(plan, metrics, Path.Combine(_staging, ReplicasParquet), _metadata);

    /// <summary>Appends summary rows (the summary sink does this for each month; a resumed run first writes the months it restored).</summary>
    public void WriteSummaryRows(IReadOnlyList<SummaryRow> rows)
    {
        _summaryCsv.Write(rows);
        foreach (var row in rows)
        {
            _summaryParquet.Add(0, row.Authority);
            _summaryParquet.Add(1, FirstDay(row.Month));
            _summaryParquet.Add(2, row.Metric);
            _summaryParquet.Add(3, row.Mean);
            for (var k = 0; k < row.Quantiles.Length; k++) _summaryParquet.Add(4 + k, row.Quantiles[k]);
            _summaryParquet.EndRow();
        }
        if (_summaryParquet.BufferedRows >= 50_000) _summaryParquet.Flush();
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Format(double? value) => value is { } v ? Format(v) : "";

    /// <summary>Writes the outcome files and the manifest, then moves the directory into place.</summary>
    public void Commit(SummaryAccumulator summaries, Func<RunManifest> manifest)
    {
        CloseFiles();
        WriteOutcomes(summaries);
        File.WriteAllText(Path.Combine(_staging, ManifestJson), manifest().ToJson());

        _output.Commit();
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
        WriteOutcomesParquet(summaries);

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

    /// <summary>The outcome, CDF, totals and next-inspection tables as Parquet: the CSV files' columns, typed.</summary>
    private void WriteOutcomesParquet(SummaryAccumulator summaries)
    {
        var levels = SummaryAccumulator.OutcomeLevels.Select(l => $"p{l * 100:00}").ToList();
        using (var table = new ParquetTable(Path.Combine(_staging, OutcomesParquet),
            [("authority", typeof(string)), ("outcome", typeof(string)), ("replicas", typeof(int)), ("horizon_months", typeof(int)),
             ("share_within_horizon", typeof(double)), .. levels.Select(l => (l, typeof(double)))], _metadata))
        using (var cdf = new ParquetTable(Path.Combine(_staging, OutcomeCdfParquet),
            [("authority", typeof(string)), ("outcome", typeof(string)), ("months", typeof(int)), ("share_reached", typeof(double))], _metadata))
        {
            foreach (var o in summaries.OutcomeSummaries())
            {
                table.Add(0, o.Authority);
                table.Add(1, o.Outcome);
                table.Add(2, o.Replicas);
                table.Add(3, o.HorizonMonths);
                table.Add(4, (double?)o.ShareWithinHorizon);
                for (var k = 0; k < o.Quantiles.Length; k++) table.Add(5 + k, o.Quantiles[k]);
                table.EndRow();
                for (var m = 0; m < o.CumulativeShareByMonth.Count; m++)
                {
                    cdf.Add(0, o.Authority);
                    cdf.Add(1, o.Outcome);
                    cdf.Add(2, m);
                    cdf.Add(3, (double?)o.CumulativeShareByMonth[m]);
                    cdf.EndRow();
                }
            }
        }

        using (var totals = new ParquetTable(Path.Combine(_staging, TotalsParquet),
            [("authority", typeof(string)), ("mean_total_cost_gbp_m", typeof(double)), .. Quantiles.ColumnNames.Select(n => ("total_cost_" + n, typeof(double))),
             .. GradeNames.All.Select(g => ("final_p_" + g.ToKey(), typeof(double)))], _metadata))
        {
            foreach (var t in summaries.Totals())
            {
                var c = 0;
                totals.Add(c++, t.Authority);
                totals.Add(c++, (double?)t.MeanTotalCost);
                foreach (var q in t.TotalCostQuantiles) totals.Add(c++, (double?)q);
                foreach (var share in t.FinalGradeShares) totals.Add(c++, (double?)share);
                totals.EndRow();
            }
        }

        using var next = new ParquetTable(Path.Combine(_staging, NextInspectionParquet),
            [("authority", typeof(string)), ("grade", typeof(string)), ("share", typeof(double))], _metadata);
        foreach (var (authority, grade, share) in summaries.NextInspectionGrades())
        {
            next.Add(0, authority);
            next.Add(1, grade);
            next.Add(2, (double?)share);
            next.EndRow();
        }
    }

    private void CloseFiles()
    {
        if (_closed) return;
        _closed = true;
        _summaryCsv.Dispose();
        _summaryParquet.Dispose();
        _replicaSink?.Dispose();
    }

    public void Dispose()
    {
        try
        {
            CloseFiles();
        }
        catch (IOException)
        {
            // The staging directory is deleted below either way.
        }
        _output.Dispose();
    }
}
