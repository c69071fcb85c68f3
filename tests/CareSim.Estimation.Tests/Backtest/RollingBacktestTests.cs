using System.Globalization;
using CareSim.Data.Baseline;
using CareSim.Data.Csv;
using CareSim.Estimation.Backtest;
using CareSim.Estimation.Calibration;
using CareSim.TestSupport;

namespace CareSim.Estimation.Tests.Backtest;

public sealed class RollingBacktestTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The small England with population and looked-after figures only from 2021, as in the official files.</summary>
    private string DataFromLateDemand(TempDirectory dir, Func<int, int, string, double, double?>? change = null) =>
        SmallEngland.Write(dir, perRegion: 2, change: (k, year, measure, v) =>
            year < 2021 && DataWindow.DemandSeedingMeasures.Contains(measure) ? null
            : measure is Measures.ReferralsPer10k or Measures.CinPer10k or Measures.CppPer10k && year < 2021 ? null
            : change is null ? v : change(k, year, measure, v));

    private static CalibrationOptions Quick => new() { Replicas = 3, ReportReplicas = 3, EvaluationsPerParameter = 1 };

    private (int Code, string Out, string Err) Run(string data, string origins, string outDir, bool refit = true)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = RollingBacktestCommandLine.Run(data, origins, outDir, 6, 1, null, refit, false, stdout, stderr, calibration: Quick);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Each_origin_is_refitted_and_scored_and_the_items_are_pooled()
    {
        var data = DataFromLateDemand(_dir);
        var outDir = _dir.Combine("rolling");
        var (code, stdout, stderr) = Run(data, "2019-2021", outDir);
        Assert.True(code == 0, stderr + stdout);
        var table = CsvTable.Read(Path.Combine(outDir, RollingBacktestCommandLine.TableCsv));
        Assert.Equal(["origin", "target", "metric", "n", "model", "persistence"], table.Header);
        int N(string origin, string target) =>
            table.Rows.Where(r => table.Cell(r, "origin") == origin && table.Cell(r, "target") == target && table.Cell(r, "metric") == "crps")
                .Select(r => int.Parse(table.Cell(r, "n"), CultureInfo.InvariantCulture)).SingleOrDefault();
        foreach (var f in Backtester.Figures)
        {
            // Before the population estimates (2019, 2020) only the workforce figures are scored.
            Assert.Equal(f.IsWorkforce ? 4 * 4 : 0, N("2019-12-31", f.Name));
            Assert.Equal(f.IsWorkforce ? 4 * 3 : 0, N("2020-12-31", f.Name));
            Assert.Equal(4 * 2, N("2021-12-31", f.Name));
            Assert.Equal(N("2019-12-31", f.Name) + N("2020-12-31", f.Name) + N("2021-12-31", f.Name), N("pooled", f.Name));
        }
        Assert.DoesNotContain(table.Rows, r => table.Cell(r, "target") == Backtester.GradeTarget);
        foreach (var origin in new[] { "2019-12-31", "2020-12-31", "2021-12-31" })
        {
            var folder = Path.Combine(outDir, "origin-" + origin);
            Assert.True(File.Exists(Path.Combine(folder, CalibrationOutput.FittedFile)), origin);
            Assert.Contains($"\"until\": \"{origin}\"", File.ReadAllText(Path.Combine(folder, CalibrationOutput.ManifestFile)), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, BacktestCommandLine.PredictionsCsv)), origin);
            // The backtest names the fit beside it, with no fairness warning.
            var manifest = File.ReadAllText(Path.Combine(folder, BacktestCommandLine.TableJson));
            Assert.Contains($"\"parameter_file\": \"{CalibrationOutput.FittedFile}\"", manifest, StringComparison.Ordinal);
            Assert.Contains("\"fairness_warning\": null", manifest, StringComparison.Ordinal);
        }
        Assert.Contains("workforce only", File.ReadAllText(Path.Combine(outDir, RollingBacktestCommandLine.ReportFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void Data_after_an_origin_change_neither_its_fit_nor_its_forecasts()
    {
        using var other = new TempDirectory();
        var a = DataFromLateDemand(_dir);
        // Everything after 2019-12-31 differs (the 2021 population and looked-after figures stay: the documented approximation).
        var b = DataFromLateDemand(other, (_, year, measure, v) => year >= 2020 && !DataWindow.DemandSeedingMeasures.Contains(measure) ? v * 1.3 : v);
        Assert.Equal(0, Run(a, "2019-2019", _dir.Combine("a")).Code);
        Assert.Equal(0, Run(b, "2019-2019", _dir.Combine("b")).Code);
        var folder = "origin-2019-12-31";
        Assert.Equal(File.ReadAllText(_dir.Combine("a", folder, CalibrationOutput.FittedFile)), File.ReadAllText(_dir.Combine("b", folder, CalibrationOutput.FittedFile)));
        static IEnumerable<string> Forecasts(string path)
        {
            var t = CsvTable.Read(path);
            return t.Rows.Select(r => string.Join(",", new[] { "authority_code", "date", "target", "method", "p05", "p50", "p95" }.Select(c => t.Cell(r, c))));
        }
        Assert.Equal(Forecasts(_dir.Combine("a", folder, BacktestCommandLine.PredictionsCsv)), Forecasts(_dir.Combine("b", folder, BacktestCommandLine.PredictionsCsv)));
    }

    [Fact]
    public void The_window_before_the_population_series_holds_only_the_seeding_figures_of_the_first_later_year()
    {
        var data = BaselineDataset.Load(DataFromLateDemand(_dir));
        var until = new DateOnly(2019, 12, 31);
        Assert.True(DataWindow.NeedsDemandSeeding(data, until));
        Assert.False(DataWindow.NeedsDemandSeeding(data, new DateOnly(2021, 12, 31)));
        var window = DataWindow.WithDemandSeeding(data, until);
        foreach (var a in window.Authorities)
        {
            foreach (var y in window.Years(a.Code))
            {
                foreach (var key in y.Values.Keys)
                {
                    var late = Measures.Get(key).ReferenceDate(y.Year) > until;
                    Assert.True(!late || DataWindow.DemandSeedingMeasures.Contains(key), $"{a.Code} {y.Year} {key}");
                    if (late)
                        Assert.Equal(2021, y.Year);
                }
            }
            Assert.Equal(data.Value(a.Code, Measures.Population, 2021), window.Value(a.Code, Measures.Population, 2021));
        }
    }

    [Theory]
    [InlineData("2019", "--origins: expected FIRST-LAST years")]
    [InlineData("2021-2019", "--origins: expected FIRST-LAST years")]
    [InlineData("2019-2023", "leaves nothing to score")]
    public void A_bad_range_is_refused_with_exit_2_and_nothing_written(string origins, string expected)
    {
        var data = DataFromLateDemand(_dir);
        var (code, _, stderr) = Run(data, origins, _dir.Combine("out"), refit: false);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }
}
