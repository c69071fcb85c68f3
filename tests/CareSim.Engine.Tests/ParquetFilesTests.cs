using System.Globalization;
using CareSim.Engine.Reference;
using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.Engine.Summaries;
using CareSim.Model.Outputs;
using CareSim.Scenarios;
using CareSim.TestSupport;
using Parquet;
using Parquet.Schema;

namespace CareSim.Engine.Tests;

/// <summary>The results directory's Parquet files, as an analyst opens them (DuckDB, pandas, R): typed columns, dictionary-encoded strings, metadata, the CSV files' numbers.</summary>
public sealed class ParquetFilesTests
{
    private static readonly string RunId = Guid.NewGuid().ToString("N");

    private static async Task<(string Directory, RunResult Result)> RunAsync(bool perReplica)
    {
        var yaml = SmallScenario.Yaml("parquet test", authorities: [SmallScenario.Sefton(), SmallScenario.Liverpool]);
        var load = ScenarioLoader.LoadText(yaml, "parquet.yaml");
        Assert.True(load.IsValid, string.Join("\n", load.Errors));
        var directory = Path.Combine(Path.GetTempPath(), "caresim-parquet-tests", Guid.NewGuid().ToString("N"));
        var request = new RunRequest(load.Plan!, load.Sha256, null, MetricCatalog.All.Select(m => m.Metric).ToList(), perReplica,
            new RunSettings(BlockSize: 7), directory, Extra: new Dictionary<string, string> { ["run_id"] = RunId });
        return (directory, await RunExecutor.ExecuteAsync(new ReferenceEngine(), request, null, CancellationToken.None));
    }

    private static async Task<(ParquetSchema Schema, IReadOnlyDictionary<string, string> Metadata, Dictionary<string, Array> Columns, List<Parquet.Meta.Encoding>[] Encodings)> ReadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path, new ParquetOptions { UseDateOnlyTypeForDates = true });
        var columns = reader.Schema.DataFields.ToDictionary(f => f.Name, _ => (Array)Array.Empty<object>());
        var lists = reader.Schema.DataFields.ToDictionary(f => f.Name, _ => new List<object?>());
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var field in reader.Schema.DataFields)
                lists[field.Name].AddRange(await ColumnAsync(group, field));
        }
        foreach (var (name, values) in lists) columns[name] = values.ToArray();
        var encodings = reader.Metadata!.RowGroups[0].Columns.Select(c => c.MetaData!.Encodings.ToList()).ToArray();
        return (reader.Schema, reader.CustomMetadata, columns, encodings);
    }

    private static async Task<object?[]> ColumnAsync(ParquetRowGroupReader group, DataField field)
    {
        var n = (int)group.RowCount;
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[n];
            await group.ReadAsync(field, strings.AsMemory(), null);
            return strings;
        }
        if (field.ClrType == typeof(double)) return await ValuesAsync<double>(group, field, n);
        if (field.ClrType == typeof(int)) return await ValuesAsync<int>(group, field, n);
        if (field.ClrType == typeof(bool)) return await ValuesAsync<bool>(group, field, n);
        if (field.ClrType == typeof(DateOnly)) return await ValuesAsync<DateOnly>(group, field, n);
        throw new InvalidOperationException($"{field.Name}: {field.ClrType}");
    }

    private static async Task<object?[]> ValuesAsync<T>(ParquetRowGroupReader group, DataField field, int n) where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[n];
            await group.ReadAsync<T>(field, nullable.AsMemory(), null);
            return nullable.Select(v => (object?)v).ToArray();
        }
        var values = new T[n];
        await group.ReadAsync<T>(field, values.AsMemory(), null);
        return values.Select(v => (object?)v).ToArray();
    }

    private static bool IsDictionary(List<Parquet.Meta.Encoding> encodings) =>
        encodings.Contains(Parquet.Meta.Encoding.RLE_DICTIONARY) || encodings.Contains(Parquet.Meta.Encoding.PLAIN_DICTIONARY);

    [Fact]
    public async Task Every_table_is_also_Parquet_with_dates_dictionary_encoded_strings_metadata_and_the_CSV_numbers()
    {
        var (directory, result) = await RunAsync(perReplica: false);
        foreach (var table in new[] { "summary", "outcomes", "outcome_cdf", "totals", "next_inspection" })
            Assert.True(File.Exists(Path.Combine(directory, table + ".parquet")), table);

        var summary = await ReadAsync(Path.Combine(directory, ResultsWriter.SummaryParquet));
        var month = summary.Schema.DataFields.Single(f => f.Name == "month");
        Assert.Equal(typeof(DateOnly), month.ClrType);
        var csv = File.ReadAllLines(Path.Combine(directory, ResultsWriter.SummaryCsv)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(csv.Count, summary.Columns["month"].Length);
        Assert.Equal(csv.Select(c => DateOnly.ParseExact(c[1] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture)), summary.Columns["month"].Cast<DateOnly>());
        Assert.Equal(csv.Select(c => c[0]), summary.Columns["authority"].Cast<string>());
        Assert.Equal(csv.Select(c => double.Parse(c[3], CultureInfo.InvariantCulture)), summary.Columns["mean"].Cast<double?>().Select(v => v!.Value));
        // Every number of summary.csv is the round-trip text of its value (repeated values are copied, not formatted again).
        string[] numbers = ["mean", .. Quantiles.ColumnNames];
        for (var k = 0; k < numbers.Length; k++)
            Assert.Equal(summary.Columns[numbers[k]].Cast<double?>().Select(v => ResultsWriter.Format(v!.Value)), csv.Select(c => c[3 + k]));
        // Strings (authority, metric) are dictionary-encoded.
        var names = summary.Schema.DataFields.Select(f => f.Name).ToList();
        Assert.True(IsDictionary(summary.Encodings[names.IndexOf("authority")]), string.Join(",", summary.Encodings[names.IndexOf("authority")]));
        Assert.True(IsDictionary(summary.Encodings[names.IndexOf("metric")]));
        // Key-value metadata: who made the file, from what.
        Assert.Equal(RunId, summary.Metadata["caresim.run_id"]);
        Assert.Equal(result.Manifest.ScenarioSha256, summary.Metadata["caresim.scenario_sha256"]);
        Assert.Equal("3", summary.Metadata["caresim.seed"]);
        Assert.Equal(RunExecutor.ToolVersion, summary.Metadata["caresim.tool_version"]);

        var outcomes = await ReadAsync(Path.Combine(directory, ResultsWriter.OutcomesParquet));
        var outcomesCsv = File.ReadAllLines(Path.Combine(directory, ResultsWriter.OutcomesCsv)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(outcomesCsv.Select(c => int.Parse(c[2], CultureInfo.InvariantCulture)), outcomes.Columns["replicas"].Cast<int>());
        Assert.Equal(outcomesCsv.Select(c => c[7].Length == 0 ? (double?)null : double.Parse(c[7], CultureInfo.InvariantCulture)), outcomes.Columns["p50"].Cast<double?>());
        Assert.Equal(RunId, outcomes.Metadata["caresim.run_id"]);
        var cdf = await ReadAsync(Path.Combine(directory, ResultsWriter.OutcomeCdfParquet));
        Assert.Equal(File.ReadAllLines(Path.Combine(directory, ResultsWriter.OutcomeCdfCsv)).Length - 1, cdf.Columns["months"].Length);
        var totals = await ReadAsync(Path.Combine(directory, ResultsWriter.TotalsParquet));
        Assert.Equal(result.Totals.Select(t => t.MeanTotalCost), totals.Columns["mean_total_cost_gbp_m"].Cast<double?>().Select(v => v!.Value));
        var next = await ReadAsync(Path.Combine(directory, ResultsWriter.NextInspectionParquet));
        Assert.Equal(result.NextInspectionGrades.Select(g => g.Grade), next.Columns["grade"].Cast<string>());
    }

    [Fact]
    public async Task Per_replica_Parquet_has_dates_boolean_indicators_and_integer_counts()
    {
        var (directory, _) = await RunAsync(perReplica: true);
        var replicas = await ReadAsync(Path.Combine(directory, ResultsWriter.ReplicasParquet));
        var types = replicas.Schema.DataFields.ToDictionary(f => f.Name, f => f.ClrType);
        Assert.Equal(typeof(DateOnly), types["month"]);
        foreach (var indicator in new[] { "under_direction", "commissioner", "removed", "monitoring_visit", "monitoring_adequate" })
            Assert.Equal(typeof(bool), types[indicator]);
        Assert.Equal(typeof(int), types["dcs_changes"]);
        Assert.Equal(typeof(double), types["caseload"]);
        Assert.Equal(2 * 20 * 12, replicas.Columns["month"].Length);
        Assert.Equal(new DateOnly(2021, 4, 1), replicas.Columns["month"].Cast<DateOnly>().First());
        // The indicators' share over replicas is the summary's mean.
        var directionShare = replicas.Columns["under_direction"].Cast<bool>().Zip(replicas.Columns["month"].Cast<DateOnly>())
            .Zip(replicas.Columns["authority"].Cast<string>()).Where(x => x.First.Second == new DateOnly(2022, 3, 1) && x.Second == "E08000014")
            .Average(x => x.First.First ? 1.0 : 0.0);
        var summaryLine = File.ReadAllLines(Path.Combine(directory, ResultsWriter.SummaryCsv)).Single(l => l.StartsWith("E08000014,2022-03,under_direction,", StringComparison.Ordinal));
        Assert.Equal(double.Parse(summaryLine.Split(',')[3], CultureInfo.InvariantCulture), directionShare, 12);
        Assert.Equal(RunId, replicas.Metadata["caresim.run_id"]);
    }
}
