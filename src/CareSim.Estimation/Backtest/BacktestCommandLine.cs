using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CareSim.Data.Csv;
using CareSim.Engine.Output;
using CareSim.Engine.Summaries;
using CareSim.Model.Plan;

namespace CareSim.Estimation.Backtest;

/// <summary>`sim backtest`: argument checks, the run, the table on screen and the files.</summary>
public static class BacktestCommandLine
{
    private const string Command = "sim backtest";

    public const string TableCsv = "backtest.csv";
    public const string TableJson = "backtest.json";
    public const string ByYearCsv = "backtest_by_year.csv";
    public const string GradesCsv = "grades_by_last_grade.csv";
    public const string PredictionsCsv = "predictions.csv";
    public const string NotesFile = "notes.txt";

    /// <summary>
    /// Runs a backtest and writes <c>backtest.csv</c>, <c>backtest.json</c>, <c>backtest_by_year.csv</c>,
    /// <c>grades_by_last_grade.csv</c>, <c>predictions.csv</c> and <c>notes.txt</c> to
    /// <paramref name="outDirectory"/> (default <c>results/backtest-ORIGIN</c>).
    /// Returns 0 on success, 2 on bad input (nothing written), 1 when the files cannot be written,
    /// 130 when cancelled.
    /// </summary>
    public static int Run(string dataDirectory, string origin, string? outDirectory, string? parameterFile, int replicas, ulong seed,
        IReadOnlyList<string>? authorities, bool force, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (!DateOnly.TryParseExact(origin, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var originDate))
            return Bad(stderr, $"--origin: expected a date YYYY-MM-DD, got '{origin}'.");
        if (replicas is < 1 or > 100_000)
            return Bad(stderr, $"--replicas: expected 1 to 100000, got {replicas}.");
        if (parameterFile is not null && !File.Exists(parameterFile))
            return Bad(stderr, $"--parameters: file not found: '{Path.GetFullPath(parameterFile)}'.");
        var destination = outDirectory ?? Path.Combine("results", $"backtest-{originDate:yyyy-MM-dd}");

        try
        {
            OutputFolder.Check(destination, Command, force);
            var data = DataSource.Load(dataDirectory, out var description);
            stderr.WriteLine($"Data: {description}.");
            var fairness = FairnessWarning(parameterFile, originDate);
            if (fairness is not null)
                stderr.WriteLine("warning: " + fairness);
            var options = new BacktestOptions
            {
                Origin = originDate,
                Replicas = replicas,
                Seed = seed,
                ParameterFile = parameterFile,
                Authorities = authorities is { Count: > 0 } ? authorities : null,
            };
            var result = Backtester.Run(data, description, options, stderr, cancellationToken);
            using (var staged = OutputFolder.Begin(destination, Command, force))
            {
                Write(result, staged.Staging, fairness);
                cancellationToken.ThrowIfCancellationRequested();
                staged.Commit();
            }
            // Results on stdout (the table, in 80 columns); notes on stderr.
            stdout.Write(FormatTable(result));
            stderr.WriteLine($"Scored {result.Items.Count(i => !i.IsGrade)} figures and {result.Items.Count(i => i.IsGrade)} inspections after {originDate:yyyy-MM-dd}; {result.Notes.Count} notes in {NotesFile}.");
            stderr.WriteLine($"Results: {Path.GetFullPath(destination)}");
            return 0;
        }
        catch (Exception ex) when (CommandFailures.IsExpected(ex))
        {
            return CommandFailures.Report(ex, stderr, "the results");
        }
    }

    private static int Bad(TextWriter stderr, string message) => CommandFailures.BadInput(stderr, message);

    /// <summary>A warning when the parameter file was fitted on data after the origin (its calibration.json says so).</summary>
    public static string? FairnessWarning(string? parameterFile, DateOnly origin)
    {
        if (parameterFile is null)
            return null;
        var manifest = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(parameterFile)) ?? ".", "calibration.json");
        if (!File.Exists(manifest))
            return null;
        try
        {
            var until = JsonNode.Parse(File.ReadAllText(manifest))?["until"]?.GetValue<string>();
            if (until is not null && DateOnly.TryParseExact(until, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var u) && u > origin)
                return $"{parameterFile} was fitted on data up to {u:yyyy-MM-dd}, after the origin {origin:yyyy-MM-dd}: the scored period was seen in fitting, so this is not a fair test. Calibrate with --until {origin:yyyy-MM-dd} for a backtest.";
        }
        catch (JsonException)
        {
            // Not a calibration manifest: no check.
        }
        return null;
    }

    public static void Write(BacktestResult result, string directory, string? fairness = null)
    {
        CsvWriter.Write(Path.Combine(directory, TableCsv), ["target", "metric", "n", Methods.Model, Methods.Persistence, Methods.TransitionMatrix],
            result.Rows.Select(r => (IReadOnlyList<string>)[r.Target, r.Metric, Num(r.N), Num(r.Model), Num(r.Persistence), Num(r.TransitionMatrix)]));
        CsvWriter.Write(Path.Combine(directory, ByYearCsv), ["year", "target", "metric", "n", Methods.Model, Methods.Persistence, Methods.TransitionMatrix],
            Backtester.TableByYear(result.Items).Select(x => (IReadOnlyList<string>)[Num(x.Year), x.Row.Target, x.Row.Metric, Num(x.Row.N), Num(x.Row.Model), Num(x.Row.Persistence), Num(x.Row.TransitionMatrix)]));
        var methods = new[] { Methods.Model, Methods.Persistence, Methods.TransitionMatrix };
        CsvWriter.Write(Path.Combine(directory, GradesCsv),
            ["last_grade", "n", "source", .. GradeNames.All.Select(g => "p_" + g.ToKey()), "log_loss"],
            Backtester.GradeGroups(result.Items).SelectMany(g => new[] { (IReadOnlyList<string>)[g.LastGrade, Num(g.N), "observed", .. g.Observed.Select(Num), ""] }
                .Concat(methods.Where(g.Predicted.ContainsKey).Select(m => (IReadOnlyList<string>)[g.LastGrade, Num(g.N), m, .. g.Predicted[m].Select(Num), Num(g.LogLoss[m])]))));
        WritePredictions(result, Path.Combine(directory, PredictionsCsv));
        File.WriteAllText(Path.Combine(directory, NotesFile), string.Join("\n", result.Notes) + "\n", new UTF8Encoding(false));
        var json = new JsonObject
        {
            ["origin"] = result.Options.Origin.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["data"] = result.DataDescription,
            ["projection_start"] = result.Start.ToString(),
            ["projection_start_demand"] = result.DemandStart.ToString(),
            ["decision_month"] = result.DecisionMonth.ToString(),
            ["last_month"] = result.LastMonth.ToString(),
            ["replicas"] = result.Options.Replicas,
            ["seed"] = result.Options.Seed,
            ["parameter_file"] = result.Options.ParameterFile,
            ["fairness_warning"] = fairness,
            ["authorities_projected"] = result.AuthoritiesProjected,
            ["figures_scored"] = result.Items.Count(i => !i.IsGrade),
            ["inspections_scored"] = result.Items.Count(i => i.IsGrade),
            ["log_loss_floor"] = Scores.LogLossFloor,
            ["rows"] = new JsonArray(result.Rows.Select(r => (JsonNode)new JsonObject
            {
                ["target"] = r.Target,
                ["metric"] = r.Metric,
                ["n"] = r.N,
                [Methods.Model] = r.Model,
                [Methods.Persistence] = r.Persistence,
                [Methods.TransitionMatrix] = r.TransitionMatrix,
            }).ToArray()),
            ["transition_counts"] = new JsonObject(GradeNames.All.Select(g => new KeyValuePair<string, JsonNode?>(g.ToKey(),
                new JsonObject(GradeNames.All.Select(h => new KeyValuePair<string, JsonNode?>(h.ToKey(), result.GradeBaselines.TransitionCounts[(int)g][(int)h])))))),
            ["notes"] = new JsonArray(result.Notes.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
        };
        File.WriteAllText(Path.Combine(directory, TableJson), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", new UTF8Encoding(false));
    }

    private static void WritePredictions(BacktestResult result, string path)
    {
        var header = new List<string> { "authority_code", "date", "target", "actual", "method" };
        header.AddRange(GradeNames.All.Select(g => "p_" + g.ToKey()));
        header.AddRange(Quantiles.ColumnNames);
        header.AddRange(["crps", "inside_80", "log_loss", "brier"]);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var item in result.Items.OrderBy(i => i.Code, StringComparer.Ordinal).ThenBy(i => i.Date).ThenBy(i => i.Target, StringComparer.Ordinal))
        {
            var date = item.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (item.IsGrade)
            {
                foreach (var (method, p) in item.GradeProbabilities)
                {
                    var g = (int)item.ActualGrade!.Value;
                    rows.Add([item.Code, date, item.Target, item.ActualGrade.Value.ToKey(), method, .. p.Select(Num),
                        .. Quantiles.ColumnNames.Select(_ => ""), "", "", Num(Scores.LogLoss(p, g)), Num(Scores.Brier(p, g))]);
                }
            }
            else
            {
                foreach (var (method, e) in item.Ensembles)
                {
                    rows.Add([item.Code, date, item.Target, Num(item.Actual), method, "", "", "", "",
                        .. Quantiles.Levels.Select(q => Num(Scores.Quantile(e, q))),
                        Num(Scores.Crps(e, item.Actual)), Scores.Inside80(e, item.Actual) ? "1" : "0", "", ""]);
                }
            }
        }
        CsvWriter.Write(path, header, rows);
    }

    /// <summary>The table as aligned text, in 80 columns ("matrix": the transition matrix).</summary>
    public static string FormatTable(BacktestResult result)
    {
        var header = new[] { "target", "metric", "n", Methods.Model, Methods.Persistence, "matrix" };
        var cells = result.Rows.Select(r => new[] { r.Target, r.Metric, Num(r.N), Show(r.Model), Show(r.Persistence), Show(r.TransitionMatrix) }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(string[] row)
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                    sb.Append(' ');
                sb.Append(i < 2 ? row[i].PadRight(widths[i]) : row[i].PadLeft(widths[i]));
            }
            sb.Append('\n');
        }
        Line(header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var row in cells)
            Line(row);
        return sb.ToString();
    }

    private static string Show(double? v) => v is { } x ? Sig4(x) : "-";

    private static string Num(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Num(double? v) => v is { } x ? (double.IsFinite(x) ? x.ToString("G6", CultureInfo.InvariantCulture) : "") : "";

    private static string Num(double v) => Num((double?)v);

    internal static string Sig4(double v)
    {
        if (v == 0 || !double.IsFinite(v))
            return v.ToString(CultureInfo.InvariantCulture);
        var decimals = Math.Clamp(3 - (int)Math.Floor(Math.Log10(Math.Abs(v))), 0, 10);
        return Math.Round(v, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals, CultureInfo.InvariantCulture);
    }
}
