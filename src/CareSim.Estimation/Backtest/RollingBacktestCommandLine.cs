using System.Globalization;
using System.Text;
using CareSim.Data.Csv;
using CareSim.Engine.Output;
using CareSim.Estimation.Calibration;

namespace CareSim.Estimation.Backtest;

/// <summary>`sim backtest --origins FIRST-LAST`: the workforce and demand figures backtested from several origins, refitted at each, and pooled.</summary>
public static class RollingBacktestCommandLine
{
    /// <summary>The command its output folder's marker names (its own: `sim backtest --origin` and `--rolling` keep theirs).</summary>
    public const string Command = "sim backtest --origins";

    public const string TableCsv = "rolling_backtest.csv";
    public const string ReportFile = "rolling_backtest.md";

    /// <summary>An origin's folder: its calibration's files and its backtest's.</summary>
    public static string OriginFolder(DateOnly origin) => $"origin-{origin:yyyy-MM-dd}";

    /// <summary>
    /// Parses FIRST-LAST, runs <see cref="RollingBacktest"/> and writes <see cref="TableCsv"/>,
    /// <see cref="ReportFile"/> and, per origin, <c>origin-YYYY-12-31/</c> with the calibration's files
    /// (<c>fitted.yaml</c>, its report, ...) and the backtest's (<c>backtest.csv</c>, <c>predictions.csv</c>, ...).
    /// Returns 0, 2 on bad input (nothing written), 1 when the files cannot be written, 130 when cancelled.
    /// </summary>
    public static int Run(string dataDirectory, string originYears, string? outDirectory, int replicas, ulong seed, IReadOnlyList<string>? authorities,
        bool refit, bool force, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default, CalibrationOptions? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var parts = originYears.Split('-', 2);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last) || first > last || first < 2000 || last > 2100)
            return CommandFailures.BadInput(stderr, $"--origins: expected FIRST-LAST years, e.g. 2019-2022 (origins at each 31 December), got '{originYears}'.");
        if (replicas is < 1 or > 100_000)
            return CommandFailures.BadInput(stderr, $"--replicas: expected 1 to 100000, got {replicas}.");
        var destination = outDirectory ?? Path.Combine("results", $"backtest-origins-{first}-{last}");
        try
        {
            OutputFolder.Check(destination, Command, force);
            var data = DataSource.Load(dataDirectory, out var description);
            stdout.WriteLine($"Data: {description}.");
            var options = new RollingBacktestOptions
            {
                FirstYear = first,
                LastYear = last,
                Replicas = replicas,
                Seed = seed,
                Authorities = authorities is { Count: > 0 } ? authorities : null,
                Refit = refit,
                Calibration = calibration ?? new CalibrationOptions(),
            };
            RollingBacktestResult result;
            using (var staged = OutputFolder.Begin(destination, Command, force))
            {
                // Each origin's fit is written where its backtest reads it (and stays beside it).
                result = RollingBacktest.Run(data, description, options, (origin, fit) =>
                {
                    var folder = Directory.CreateDirectory(staged.PathOf(OriginFolder(origin))).FullName;
                    CalibrationOutput.Write(fit, folder);
                    return Path.Combine(folder, CalibrationOutput.FittedFile);
                }, stdout, cancellationToken);
                Write(result, staged.Staging);
                cancellationToken.ThrowIfCancellationRequested();
                staged.Commit();
            }
            stdout.WriteLine();
            stdout.Write(Report(result));
            stdout.WriteLine($"Results: {Path.GetFullPath(destination)}");
            return 0;
        }
        catch (Exception ex) when (CommandFailures.IsExpected(ex))
        {
            return CommandFailures.Report(ex, stderr, "the rolling backtest");
        }
    }

    public static void Write(RollingBacktestResult result, string directory)
    {
        foreach (var origin in result.Origins)
        {
            var folder = Directory.CreateDirectory(Path.Combine(directory, OriginFolder(origin.Origin))).FullName;
            // The fit was read from the staging folder: the files name it as it ends up, beside them.
            var backtest = origin.ParameterFile is null ? origin.Backtest
                : origin.Backtest with { Options = origin.Backtest.Options with { ParameterFile = CalibrationOutput.FittedFile } };
            BacktestCommandLine.Write(backtest, folder);
        }
        var rows = result.Origins.SelectMany(o => o.Backtest.Rows.Select(r => (Check: o.Origin.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Row: r)))
            .Concat(result.Pooled.Select(r => (Check: "pooled", Row: r)));
        CsvWriter.Write(Path.Combine(directory, TableCsv), ["origin", "target", "metric", "n", Methods.Model, Methods.Persistence],
            rows.Select(x => (IReadOnlyList<string>)[x.Check, x.Row.Target, x.Row.Metric, Int(x.Row.N), Num(x.Row.Model), Num(x.Row.Persistence)]));
        File.WriteAllText(Path.Combine(directory, ReportFile), Report(result), new UTF8Encoding(false));
    }

    /// <summary>
    /// Markdown: the pooled table (CRPS with the model's ratio to persistence, 80% coverage, error of
    /// the median), then CRPS and coverage per origin; bold marks the better CRPS.
    /// </summary>
    public static string Report(RollingBacktestResult result)
    {
        var sb = new StringBuilder();
        var o = result.Options;
        var scored = string.Join(", ", result.Origins.Select(x => $"{x.Origin:yyyy}{(x.DemandScored ? "" : " (workforce only)")}"));
        sb.Append(CultureInfo.InvariantCulture, $"Rolling-origin backtest of the workforce and demand figures ({result.DataDescription}), origins 31 December {scored}; ");
        sb.Append(o.Refit ? "parameters refitted on the data known at each origin" : "default parameters (not refitted: not a fair test)");
        sb.Append(CultureInfo.InvariantCulture, $"; {o.Replicas} replicas per authority, seed {o.Seed}.\n\n");

        sb.Append("Pooled over the origins:\n\n");
        sb.Append("| figure | n | CRPS: model | persistence | model / persistence | 80% coverage: model | persistence | median error: model | persistence |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var f in Backtester.Figures)
        {
            var crps = Find(result.Pooled, f.Name, "crps");
            var cover = Find(result.Pooled, f.Name, "coverage_80");
            var mae = Find(result.Pooled, f.Name, "mae_median");
            if (crps is null || cover is null || mae is null)
                continue;
            var ratio = crps.Model / crps.Persistence;
            sb.Append(CultureInfo.InvariantCulture, $"| `{f.Name}` | {crps.N} | {Bold(crps.Model, crps.Model <= crps.Persistence)} | {Bold(crps.Persistence, crps.Persistence < crps.Model)} | {ratio:0.000} | {cover.Model:0.000} | {cover.Persistence:0.000} | {S(mae.Model)} | {S(mae.Persistence)} |\n");
        }
        foreach (var summary in result.Pooled.Where(r => r.Metric == "crps_relative_to_persistence"))
            sb.Append(CultureInfo.InvariantCulture, $"| {summary.Target} (mean ratio) | {summary.N} | | | {summary.Model:0.000} | | | | |\n");

        sb.Append("\nCRPS, model / persistence, and the model's 80% coverage, by origin:\n\n");
        sb.Append("| figure |").Append(string.Concat(result.Origins.Select(x => $" {x.Origin:yyyy}: ratio | coverage |"))).Append('\n');
        sb.Append("|---|").Append(string.Concat(result.Origins.Select(_ => "---:|---:|"))).Append('\n');
        foreach (var f in Backtester.Figures)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| `{f.Name}` |");
            foreach (var x in result.Origins)
            {
                var crps = Find(x.Backtest.Rows, f.Name, "crps");
                var cover = Find(x.Backtest.Rows, f.Name, "coverage_80");
                sb.Append(crps is null || cover is null ? " - | - |" : string.Create(CultureInfo.InvariantCulture, $" {crps.Model / crps.Persistence:0.000} | {cover.Model:0.000} |"));
            }
            sb.Append('\n');
        }
        sb.Append("| n (figures scored) |").Append(string.Concat(result.Origins.Select(x => $" {x.Backtest.Items.Count} | |"))).Append('\n');
        if (o.Refit)
        {
            sb.Append("\nParameters fitted at each origin (`origin-*/fitted.yaml`):\n\n");
            var names = result.Origins.Where(x => x.Calibration is not null).SelectMany(x => x.Calibration!.Parameters.Select(p => p.Name)).Distinct().ToList();
            sb.Append("| parameter | default |").Append(string.Concat(result.Origins.Select(x => $" {x.Origin:yyyy} |"))).Append('\n');
            sb.Append("|---|---:|").Append(string.Concat(result.Origins.Select(_ => "---:|"))).Append('\n');
            foreach (var name in names)
            {
                var any = result.Origins.SelectMany(x => x.Calibration!.Parameters).First(p => p.Name == name);
                sb.Append(CultureInfo.InvariantCulture, $"| `{name}` | {S(any.Default)} |");
                foreach (var x in result.Origins)
                {
                    var p = x.Calibration!.Parameters.FirstOrDefault(q => q.Name == name);
                    sb.Append(p is null ? " - |" : $" {S(p.Value)}{(p.AtEdge ? " (edge)" : p.AtPhysicalBound ? " (bound)" : "")} |");
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    private static BacktestRow? Find(IReadOnlyList<BacktestRow> rows, string target, string metric) =>
        rows.FirstOrDefault(r => r.Target == target && r.Metric == metric && r.Model is not null && r.Persistence is not null);

    private static string Bold(double? v, bool bold) => bold ? $"**{S(v)}**" : S(v);

    private static string S(double? v) => v is { } x ? BacktestCommandLine.Sig4(x) : "-";

    private static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Num(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("G6", CultureInfo.InvariantCulture) : "";
}
