using System.Globalization;
using System.Text.Json.Nodes;
using CareSim.Data.Baseline;
using CareSim.Estimation.Calibration;
using CareSim.Data.Csv;
using CareSim.Estimation.Tests.Backtest;
using CareSim.TestSupport;
using CareSim.Model.Parameters;
using CareSim.Scenarios;

namespace CareSim.Estimation.Tests.Calibration;

public sealed class CalibrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Tiny settings: a few replicas, two evaluations per parameter.</summary>
    private static CalibrationOptions Quick(string? until = null) => new()
    {
        Replicas = 3,
        ReportReplicas = 4,
        EvaluationsPerParameter = 2,
        Until = until is null ? null : DateOnly.Parse(until, CultureInfo.InvariantCulture),
    };

    private (int Code, string Out, string Err) Run(string data, string? until, string outDir, CalibrationOptions? options = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CalibrateCommandLine.Run(data, until, outDir, options ?? Quick(), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData(0.001, false, false, true, false)] // at a lower end that is not physical: flagged
    [InlineData(0.001, true, false, false, true)]  // at a standard deviation's 0: "none", not flagged
    [InlineData(0.995, false, true, false, true)]
    [InlineData(0.995, false, false, true, false)]
    [InlineData(0.5, true, true, false, false)]
    public void A_fit_at_a_physical_bound_is_not_flagged_as_pushing_beyond_the_range(double value, bool lowPhysical, bool highPhysical, bool atEdge, bool atBound)
    {
        var p = new FittedParameter("x", "workforce", 0.5, 0, 1, value, lowPhysical, highPhysical);
        Assert.Equal(atEdge, p.AtEdge);
        Assert.Equal(atBound, p.AtPhysicalBound);
    }

    [Fact]
    public void Calibration_writes_a_parameter_file_scenarios_accept_and_a_report_of_every_target()
    {
        var data = SmallEngland.Write(_dir);
        var outDir = _dir.Combine("calibration");
        var (code, stdout, stderr) = Run(data, "2021-12-31", outDir);
        Assert.True(code == 0, stderr + stdout);
        foreach (var file in new[] { CalibrationOutput.FittedFile, CalibrationOutput.ReportFile, CalibrationOutput.TargetsFile, CalibrationOutput.ManifestFile, CalibrationOutput.TraceFile })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);

        // A scenario can reference the fitted file; every fitted value is within its uncertain range.
        var scenario = ScenarioFromDataYaml(data) + "parameter_files: [calibration/fitted.yaml]\n";
        var load = ScenarioLoader.LoadText(scenario, "test", _dir.Path);
        Assert.True(load.IsValid, load.FormatErrors());
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, CalibrationOutput.ManifestFile)))!;
        Assert.Equal("2021-12-31", manifest["until"]!.GetValue<string>());
        foreach (var (name, node) in manifest["parameters"]!.AsObject())
        {
            Assert.True(ModelParameters.TryFind(name, out var definition), name);
            var fitted = node!["fitted"]!.GetValue<double>();
            Assert.InRange(fitted, definition.UncertainLow!.Value - 1e-9, definition.UncertainHigh!.Value + 1e-9);
            // A fit at a range's end is flagged as "at the edge" only where that end is not the physical bound.
            var atLowEnd = fitted - definition.UncertainLow.Value < 0.03 * (definition.UncertainHigh.Value - definition.UncertainLow.Value);
            if (atLowEnd && definition.UncertainLow.Value <= definition.Min)
                Assert.True(node["at_physical_bound"]!.GetValue<bool>() && !node["at_edge"]!.GetValue<bool>(), name);
            if (atLowEnd && definition.UncertainLow.Value > definition.Min)
                Assert.True(node["at_edge"]!.GetValue<bool>(), name);
            // fitted.yaml keeps 4 significant digits.
            Assert.True(Math.Abs(fitted - load.Plan!.Parameters[definition]) <= 5e-4 * Math.Abs(fitted), $"{name}: {fitted} in the manifest, {load.Plan.Parameters[definition]} from the file");
        }

        // The report and targets.csv hold every target, observed against simulated before and after.
        var targets = CsvTable.Read(Path.Combine(outDir, CalibrationOutput.TargetsFile));
        var names = targets.Rows.Select(r => targets.Cell(r, "target")).ToList();
        Assert.Contains("turnover_rate.p50.1y", names);
        Assert.Contains("agency_rate.corr.1y", names);
        Assert.Contains("dcs_changes.per_year", names);
        Assert.Contains("grade.inadequate_share.1y", names);
        Assert.Contains("referrals.log_change_sd.1y", names);
        var report = File.ReadAllText(Path.Combine(outDir, CalibrationOutput.ReportFile));
        Assert.All(names, n => Assert.Contains($"`{n}`", report, StringComparison.Ordinal));
        Assert.All(targets.Rows, r => Assert.True(double.IsFinite(double.Parse(targets.Cell(r, "observed"), CultureInfo.InvariantCulture))));
        Assert.Contains("Fitted parameters", report, StringComparison.Ordinal);
    }

    private static string ScenarioFromDataYaml(string data) =>
        CareSim.Data.Scenarios.ScenarioFromData.Build(BaselineDataset.Load(data), CareSim.Data.Scenarios.AuthoritySelection.Authority("Authority 0"),
            new DateOnly(2021, 12, 31), new CareSim.Data.Scenarios.ScenarioBuildOptions { Replicas = 2, HorizonMonths = 3 });

    [Fact]
    public void The_same_calibration_gives_the_same_fitted_values()
    {
        var data = SmallEngland.Write(_dir, perRegion: 3);
        var options = Quick("2021-12-31") with { Stages = [Stages.Workforce, Stages.Leadership] };
        Assert.Equal(0, Run(data, null, _dir.Combine("a"), options).Code);
        Assert.Equal(0, Run(data, null, _dir.Combine("b"), options).Code);
        Assert.Equal(File.ReadAllText(_dir.Combine("a", CalibrationOutput.FittedFile)), File.ReadAllText(_dir.Combine("b", CalibrationOutput.FittedFile)));
        Assert.Equal(File.ReadAllText(_dir.Combine("a", CalibrationOutput.TargetsFile)), File.ReadAllText(_dir.Combine("b", CalibrationOutput.TargetsFile)));
    }

    [Fact]
    public void Data_after_until_are_never_read()
    {
        using var other = new TempDirectory();
        var a = SmallEngland.Write(_dir, perRegion: 3);
        var b = SmallEngland.Write(other, perRegion: 3, change: (_, year, _, v) => year >= 2022 ? v * 1.5 : v);
        var options = Quick() with { Stages = [Stages.Workforce, Stages.Demand] };
        Assert.Equal(0, Run(a, "2021-12-31", _dir.Combine("a"), options).Code);
        Assert.Equal(0, Run(b, "2021-12-31", _dir.Combine("b"), options).Code);
        Assert.Equal(File.ReadAllText(_dir.Combine("a", CalibrationOutput.FittedFile)), File.ReadAllText(_dir.Combine("b", CalibrationOutput.FittedFile)));
        // With all the data they differ.
        Assert.Equal(0, Run(a, null, _dir.Combine("c"), options).Code);
        Assert.Equal(0, Run(b, null, _dir.Combine("d"), options).Code);
        Assert.NotEqual(File.ReadAllText(_dir.Combine("c", CalibrationOutput.TargetsFile)), File.ReadAllText(_dir.Combine("d", CalibrationOutput.TargetsFile)));
    }

    [Fact]
    public void The_design_projects_from_each_census_and_demand_year_within_the_window()
    {
        var data = DataWindowFor(SmallEngland.Write(_dir, perRegion: 3), "2021-12-31");
        var design = Calibrator.BuildDesign(data, new DateOnly(2021, 12, 31), Quick(), null, []);
        Assert.Equal(["2017-12-31", "2018-12-31", "2019-12-31", "2020-12-31"], design.WorkforceOrigins.Select(o => o.Request.Origin.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.Equal(["2018-03-31", "2019-03-31", "2020-03-31"], design.DemandOrigins.Select(o => o.Request.Origin.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.All(design.WorkforceOrigins, o => Assert.Equal(10, o.Start.Month));
        Assert.All(design.DemandOrigins, o => Assert.Equal(4, o.Start.Month));
        // No projection runs past the window.
        Assert.All(design.WorkforceOrigins.Concat(design.DemandOrigins), o => Assert.True(o.Start.AddMonths(o.Plan.HorizonMonths - 1) <= new CareSim.Model.Time.SimMonth(2021, 12)));
        // Observed 1-year persistence of turnover, computed by hand.
        var pairs = design.WorkforceOrigins.SelectMany(o => o.Codes.Select(c => (X0: data.Value(c, Measures.TurnoverRate, o.Start.Year)!.Value, X1: data.Value(c, Measures.TurnoverRate, o.Start.Year + 1)!.Value))).ToList();
        var corr = design.Targets.Single(t => t.Name == "turnover_rate.corr.1y");
        Assert.Equal(pairs.Count, corr.N);
        Assert.Equal(CalibrationDesign.Correlation(pairs), corr.Observed, 12);
        Assert.True(corr.Scale > 0);
    }

    private static BaselineDataset DataWindowFor(string folder, string until) =>
        CareSim.Estimation.Backtest.DataWindow.Truncate(BaselineDataset.Load(folder), DateOnly.Parse(until, CultureInfo.InvariantCulture));

    [Fact]
    public void Statistics_helpers_match_their_definitions()
    {
        Assert.Equal(1.0, CalibrationDesign.Correlation([(1, 2), (2, 4), (3, 6)]), 12);
        Assert.Equal(-1.0, CalibrationDesign.Correlation([(1, 2), (2, 1), (3, 0)]), 12);
        Assert.Equal(Math.Sqrt(2.5), CalibrationDesign.Sd([1, 2, 3, 4, 5]), 12);
        Assert.Equal(3.0, CalibrationDesign.Quantile([5, 1, 3, 2, 4], 0.5), 12);
        var sd = CalibrationDesign.BootstrapSd(Enumerable.Range(0, 50).Select(i => ($"a{i}", (double)i)).ToList(), l => l.Average());
        Assert.InRange(sd, 1.5, 2.7); // sd of a mean of 50 values with sd 14.6 is 2.06
    }

    [Fact]
    public void A_missing_data_folder_is_bad_input_and_nothing_is_written()
    {
        var (code, _, stderr) = Run(_dir.Combine("nowhere"), null, _dir.Combine("out"));
        Assert.Equal(2, code);
        Assert.Contains("Data folder not found", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }

    [Fact]
    public void A_wrong_header_is_bad_input()
    {
        var data = SmallEngland.Write(_dir, perRegion: 2);
        var path = Path.Combine(data, "authority_years.csv");
        File.WriteAllText(path, "region_code," + File.ReadAllText(path)[5..]);
        var (code, _, stderr) = Run(data, null, _dir.Combine("out"));
        Assert.Equal(2, code);
        Assert.Contains("bad header", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }

    [Fact]
    public void An_unknown_authority_is_bad_input()
    {
        var data = SmallEngland.Write(_dir, perRegion: 2);
        var (code, _, stderr) = Run(data, null, _dir.Combine("out"), Quick() with { Authorities = ["Nowhere Council"] });
        Assert.Equal(2, code);
        Assert.Contains("Unknown authority 'Nowhere Council'", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }

    [Theory]
    [InlineData("2017-12-31", "Nothing to calibrate on")]
    [InlineData("2021/12/31", "expected a date YYYY-MM-DD")]
    public void A_window_without_two_years_of_data_is_bad_input(string until, string message)
    {
        var data = SmallEngland.Write(_dir, perRegion: 2);
        var (code, _, stderr) = Run(data, until, _dir.Combine("out"));
        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }

    [Fact]
    public void An_unknown_stage_is_bad_input()
    {
        var data = SmallEngland.Write(_dir, perRegion: 2);
        var (code, _, stderr) = Run(data, null, _dir.Combine("out"), Quick() with { Stages = ["workfroce"] });
        Assert.Equal(2, code);
        Assert.Contains("Unknown calibration stage 'workfroce'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_stage_fits_uncertain_parameters_of_the_model()
    {
        // A parameter the model drops (or makes certain) is skipped with a note; each stage must keep some.
        var present = Calibrator.FittedParameters.Where(p => ModelParameters.TryFind(p.Name, out var d) && d.IsUncertain).ToList();
        Assert.All(Calibrator.FittedParameters, p => Assert.Contains(p.Stage, Stages.All));
        Assert.All(Stages.All, s => Assert.Contains(present, p => p.Stage == s));
        Assert.True(present.Count >= Calibrator.FittedParameters.Count - 3);
    }
}
