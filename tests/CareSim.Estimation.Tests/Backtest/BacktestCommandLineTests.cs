using System.Globalization;
using System.Text.Json.Nodes;
using CareSim.Estimation.Backtest;
using CareSim.Data.Csv;
using CareSim.TestSupport;

namespace CareSim.Estimation.Tests.Backtest;

public sealed class BacktestCommandLineTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private (int Code, string Out, string Err) Run(string data, string origin, string? outDir = null, string? parameters = null,
        IReadOnlyList<string>? authorities = null, bool force = false, int replicas = 8)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = BacktestCommandLine.Run(data, origin, outDir ?? _dir.Combine("out"), parameters, replicas, 1, authorities, force, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Equal to the 6 significant digits the files keep.</summary>
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    private static double Cell(CsvTable table, string target, string metric, string column)
    {
        var row = table.Rows.Single(r => table.Cell(r, "target") == target && table.Cell(r, "metric") == metric);
        return double.Parse(table.Cell(row, column), CultureInfo.InvariantCulture);
    }

    [Fact]
    public void A_backtest_scores_every_later_figure_and_inspection_for_the_model_and_both_baselines()
    {
        var data = SmallEngland.Write(_dir);
        var (code, stdout, stderr) = Run(data, "2021-12-31");
        Assert.True(code == 0, stderr);
        Assert.Contains("persistence", stdout, StringComparison.Ordinal);
        // The table alone on stdout, in 80 columns; the notes on stderr.
        Assert.StartsWith("target ", stdout, StringComparison.Ordinal);
        Assert.All(stdout.Split('\n'), line => Assert.True(line.Length <= 80, line));
        Assert.Contains("Results: ", stderr, StringComparison.Ordinal);
        var outDir = _dir.Combine("out");
        var table = CsvTable.Read(Path.Combine(outDir, BacktestCommandLine.TableCsv));
        Assert.Equal(["target", "metric", "n", "model", "persistence", "transition_matrix"], table.Header);
        foreach (var f in Backtester.Figures)
        {
            // 8 authorities x 2 years after the origin.
            Assert.Equal(16, Cell(table, f.Name, "crps", "n"));
            Assert.InRange(Cell(table, f.Name, "coverage_80", "model"), 0, 1);
        }
        Assert.Equal(8, Cell(table, Backtester.GradeTarget, "log_loss", "n"));
        Assert.True(Cell(table, Backtester.GradeTarget, "brier", "transition_matrix") > 0);

        // predictions.csv: enough to recompute every score.
        var predictions = CsvTable.Read(Path.Combine(outDir, BacktestCommandLine.PredictionsCsv));
        Assert.Equal(["authority_code", "date", "target", "actual", "method", "p_inadequate", "p_requires_improvement", "p_good", "p_outstanding",
            "p05", "p10", "p25", "p50", "p75", "p90", "p95", "crps", "inside_80", "log_loss", "brier"], predictions.Header);
        foreach (var method in new[] { "model", "persistence" })
        {
            var rows = predictions.Rows.Where(r => predictions.Cell(r, "target") == "caseload" && predictions.Cell(r, "method") == method).ToList();
            Assert.Equal(16, rows.Count);
            Close(Cell(table, "caseload", "crps", method), rows.Average(r => double.Parse(predictions.Cell(r, "crps"), CultureInfo.InvariantCulture)));
            var inside = rows.Average(r =>
            {
                var actual = double.Parse(predictions.Cell(r, "actual"), CultureInfo.InvariantCulture);
                return actual >= double.Parse(predictions.Cell(r, "p10"), CultureInfo.InvariantCulture) && actual <= double.Parse(predictions.Cell(r, "p90"), CultureInfo.InvariantCulture) ? 1.0 : 0.0;
            });
            Assert.Equal(Cell(table, "caseload", "coverage_80", method), inside, 4);
        }
        foreach (var method in new[] { "model", "persistence", "transition_matrix" })
        {
            var grades = predictions.Rows.Where(r => predictions.Cell(r, "target") == Backtester.GradeTarget && predictions.Cell(r, "method") == method).ToList();
            Assert.Equal(8, grades.Count);
            var logLoss = grades.Average(r =>
            {
                var p = double.Parse(predictions.Cell(r, "p_" + predictions.Cell(r, "actual")), CultureInfo.InvariantCulture);
                return -Math.Log(Math.Max(Scores.LogLossFloor, p));
            });
            Close(Cell(table, Backtester.GradeTarget, "log_loss", method), logLoss);
            Assert.All(grades, r => Assert.Equal(1.0, new[] { "p_inadequate", "p_requires_improvement", "p_good", "p_outstanding" }.Sum(c => double.Parse(predictions.Cell(r, c), CultureInfo.InvariantCulture)), 4));
        }
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, BacktestCommandLine.TableJson)))!;
        Assert.Equal("2021-12-31", json["origin"]!.GetValue<string>());
        Assert.Equal("2021-10", json["projection_start"]!.GetValue<string>());
        Assert.Equal("2021-04", json["projection_start_demand"]!.GetValue<string>());
        Assert.Equal("2022-01", json["decision_month"]!.GetValue<string>());
        Assert.Equal(table.Rows.Count, json["rows"]!.AsArray().Count);
        Assert.True(File.Exists(Path.Combine(outDir, BacktestCommandLine.NotesFile)));
        var byYear = CsvTable.Read(Path.Combine(outDir, BacktestCommandLine.ByYearCsv));
        Assert.Equal(["2022", "2023"], byYear.Rows.Select(r => byYear.Cell(r, "year")).Distinct());
        var groups = CsvTable.Read(Path.Combine(outDir, BacktestCommandLine.GradesCsv));
        Assert.Equal(8, groups.Rows.Where(r => groups.Cell(r, "source") == "observed").Sum(r => int.Parse(groups.Cell(r, "n"), CultureInfo.InvariantCulture)));
        Assert.DoesNotContain(Directory.GetDirectories(_dir.Path), d => Path.GetFileName(d).StartsWith(".out.staging", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_backtest_gives_the_same_files()
    {
        var data = SmallEngland.Write(_dir, perRegion: 2);
        Assert.Equal(0, Run(data, "2021-12-31", _dir.Combine("a")).Code);
        Assert.Equal(0, Run(data, "2021-12-31", _dir.Combine("b")).Code);
        foreach (var file in new[] { BacktestCommandLine.TableCsv, BacktestCommandLine.PredictionsCsv })
            Assert.Equal(File.ReadAllText(_dir.Combine("a", file)), File.ReadAllText(_dir.Combine("b", file)));
    }

    [Fact]
    public void Data_after_the_origin_do_not_change_the_forecasts()
    {
        // Two datasets equal up to 2021 and different after: the forecasts (quantiles, probabilities) must be equal.
        using var other = new TempDirectory();
        var a = SmallEngland.Write(_dir, perRegion: 2);
        var b = SmallEngland.Write(other, perRegion: 2, change: (_, year, _, v) => year >= 2022 ? v * 1.3 : v);
        Assert.Equal(0, Run(a, "2021-12-31", _dir.Combine("a")).Code);
        Assert.Equal(0, Run(b, "2021-12-31", _dir.Combine("b")).Code);
        static IEnumerable<string> Forecasts(string path)
        {
            var t = CsvTable.Read(path);
            return t.Rows.Select(r => string.Join(",", new[] { "authority_code", "date", "target", "method", "p_good", "p05", "p50", "p95" }.Select(c => t.Cell(r, c))));
        }
        Assert.Equal(Forecasts(_dir.Combine("a", BacktestCommandLine.PredictionsCsv)), Forecasts(_dir.Combine("b", BacktestCommandLine.PredictionsCsv)));
    }

    [Fact]
    public void Data_with_more_years_are_scored_to_their_end()
    {
        var data = SmallEngland.Write(_dir, perRegion: 2, lastYear: 2026);
        var (code, _, stderr) = Run(data, "2023-12-31");
        Assert.True(code == 0, stderr);
        var predictions = CsvTable.Read(_dir.Combine("out", BacktestCommandLine.PredictionsCsv));
        var dates = predictions.Rows.Select(r => predictions.Cell(r, "date")).Distinct().ToList();
        Assert.Contains("2026-09-30", dates);
        Assert.Contains("2024-03-31", dates);
        Assert.DoesNotContain(dates, d => string.CompareOrdinal(d, "2023-12-31") <= 0);
    }

    [Fact]
    public void The_official_statistics_folder_is_imported_in_memory()
    {
        OfficialFixture.WriteAll(_dir);
        var (code, stdout, stderr) = Run(_dir.Combine("official"), "2021-12-31");
        Assert.True(code == 0, stderr);
        Assert.Contains("imported in memory", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(_dir.Combine("out", BacktestCommandLine.PredictionsCsv)));
    }

    [Fact]
    public void Only_the_authorities_asked_for_are_scored()
    {
        var data = SmallEngland.Write(_dir, perRegion: 2);
        var (code, _, stderr) = Run(data, "2021-12-31", authorities: ["Authority 1", SmallEngland.Code(1, 0)]);
        Assert.True(code == 0, stderr);
        var predictions = CsvTable.Read(_dir.Combine("out", BacktestCommandLine.PredictionsCsv));
        Assert.Equal([SmallEngland.Code(0, 1), SmallEngland.Code(1, 0)], predictions.Rows.Select(r => predictions.Cell(r, "authority_code")).Distinct().Order());
    }

    [Fact]
    public void A_missing_data_folder_is_bad_input_and_nothing_is_written()
    {
        var (code, _, stderr) = Run(_dir.Combine("nowhere"), "2021-12-31");
        Assert.Equal(2, code);
        Assert.Contains("Data folder not found", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }

    [Fact]
    public void A_baseline_file_with_a_wrong_header_is_bad_input()
    {
        var data = SmallEngland.Write(_dir, perRegion: 2);
        var path = Path.Combine(data, "inspections.csv");
        File.WriteAllText(path, File.ReadAllText(path).Replace("inspection_start", "start_of_inspection", StringComparison.Ordinal));
        var (code, _, stderr) = Run(data, "2021-12-31");
        Assert.Equal(2, code);
        Assert.Contains("bad header", stderr, StringComparison.Ordinal);
        Assert.Contains("inspection_start", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }

    [Fact]
    public void An_official_file_with_a_wrong_header_is_bad_input()
    {
        OfficialFixture.WriteAll(_dir);
        var path = _dir.Combine("official", "dfe", "table_2.csv");
        File.WriteAllText(path, File.ReadAllText(path).Replace("rereferral_percent", "rereferral_pct", StringComparison.Ordinal).Replace("rereferral_count,", "", StringComparison.Ordinal));
        var (code, _, stderr) = Run(_dir.Combine("official"), "2021-12-31");
        Assert.Equal(2, code);
        Assert.Contains("table_2.csv", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }

    [Fact]
    public void An_unknown_authority_is_bad_input_with_suggestions()
    {
        var data = SmallEngland.Write(_dir, perRegion: 2);
        var (code, _, stderr) = Run(data, "2021-12-31", authorities: ["Authority 7x"]);
        Assert.Equal(2, code);
        Assert.Contains("Unknown authority 'Authority 7x'", stderr, StringComparison.Ordinal);
        Assert.Contains("Closest matches", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }

    [Theory]
    [InlineData("2023-12-31", "Nothing to score")]
    [InlineData("2016-01-31", "No workforce or demand figure is known at the origin")]
    [InlineData("31/12/2021", "expected a date YYYY-MM-DD")]
    public void Origins_without_data_after_or_before_them_are_bad_input(string origin, string message)
    {
        var data = SmallEngland.Write(_dir, perRegion: 2, laterInspections: false);
        var (code, _, stderr) = Run(data, origin);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }

    [Fact]
    public void A_previous_backtest_is_replaced_but_a_folder_with_other_files_needs_force_and_keeps_them()
    {
        var data = SmallEngland.Write(_dir, perRegion: 2);
        Assert.Equal(0, Run(data, "2021-12-31").Code);
        Assert.Equal(0, Run(data, "2021-12-31").Code);
        var mine = _dir.Write("out/mine.txt", "mine");
        var (code, _, stderr) = Run(data, "2021-12-31");
        Assert.Equal(2, code);
        Assert.Contains("--force", stderr, StringComparison.Ordinal);
        Assert.Equal(0, Run(data, "2021-12-31", force: true).Code);
        Assert.Equal("mine", File.ReadAllText(mine));
    }

    [Fact]
    public void A_parameter_file_is_applied_and_a_missing_or_invalid_one_is_bad_input()
    {
        var data = SmallEngland.Write(_dir, perRegion: 2);
        Assert.Equal(2, Run(data, "2021-12-31", parameters: _dir.Combine("none.yaml")).Code);
        var bad = _dir.Write("bad.yaml", "parameters:\n  workforce.leaver_noise_sd: 7\n");
        var (code, _, stderr) = Run(data, "2021-12-31", parameters: bad);
        Assert.Equal(2, code);
        Assert.Contains("leaver_noise_sd", stderr, StringComparison.Ordinal);
        var good = _dir.Write("good.yaml", "parameters:\n  workforce.leaver_noise_sd: 0.9\n");
        Assert.Equal(0, Run(data, "2021-12-31", _dir.Combine("with"), parameters: good).Code);
        Assert.Equal(0, Run(data, "2021-12-31", _dir.Combine("without")).Code);
        Assert.NotEqual(File.ReadAllText(_dir.Combine("with", BacktestCommandLine.PredictionsCsv)), File.ReadAllText(_dir.Combine("without", BacktestCommandLine.PredictionsCsv)));
    }

    [Fact]
    public void A_parameter_file_fitted_on_later_data_is_flagged_as_unfair()
    {
        var fitted = _dir.Write("cal/fitted.yaml", "parameters:\n  workforce.leaver_noise_sd: 0.4\n");
        _dir.Write("cal/calibration.json", "{ \"until\": \"2023-09-30\" }");
        Assert.Contains("not a fair test", BacktestCommandLine.FairnessWarning(fitted, new DateOnly(2021, 12, 31)), StringComparison.Ordinal);
        Assert.Null(BacktestCommandLine.FairnessWarning(fitted, new DateOnly(2023, 12, 31)));
    }
}
