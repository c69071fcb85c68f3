using System.Globalization;
using System.Text.Json.Nodes;
using CareSim.Data.Baseline;
using CareSim.Estimation.Grades;
using CareSim.Model.Parameters;
using MathNet.Numerics.LinearAlgebra;

namespace CareSim.Estimation.Tests.Grades;

/// <summary>
/// The committed grade-model fit (data/calibration/grades) is what the current code and the
/// committed data produce, and the model's defaults are that fit: regenerate with
/// `sim calibrate --data data --stage grades --out data/calibration/grades` (docs/calibration.md#grade-model).
/// </summary>
public class CommittedFitTests
{
    private static readonly string Root = FindRoot();
    private static readonly string FitDirectory = Path.Combine(Root, "data", "calibration", "grades");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulation.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Simulation.sln) not found");
    }

    private static JsonObject Fingerprint() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(FitDirectory, GradeFitOutput.FingerprintFile)))!.AsObject();

    [Fact]
    public void The_fingerprint_matches_the_model_version_and_the_data()
    {
        var fingerprint = Fingerprint();
        Assert.Equal(GradeFitOutput.ModelVersion, (string?)fingerprint["model_version"]);
        foreach (var (name, hash) in GradeFitOutput.DataHashes(Path.Combine(Root, "data")))
            Assert.True(hash == (string?)fingerprint["data_files"]![name], $"data/baseline/{name} changed since the committed grade fit: regenerate it (docs/calibration.md#grade-model)");
    }

    [Fact]
    public void Refitting_from_the_committed_estimates_gives_them_back()
    {
        var fingerprint = Fingerprint();
        var knownAt = DateOnly.ParseExact((string)fingerprint["known_at"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var committed = GradeEstimator.Parameters.Select(p => (double)fingerprint["estimates"]![p.Name]!).ToArray();
        var data = BaselineDataset.Load(Path.Combine(Root, "data"));
        var start = Vector<double>.Build.DenseOfEnumerable(GradeEstimator.Parameters.Select((p, j) => p.ToFit(committed[j])));
        var fit = GradeEstimator.Fit(GradeRecords.KnownAt(data, knownAt), knownAt, start: start);
        Assert.InRange(fit.LogLikelihood, (double)fingerprint["log_likelihood"]! - 0.05, (double)fingerprint["log_likelihood"]! + 0.05);
        for (var j = 0; j < committed.Length; j++)
        {
            var tolerance = 0.02 * Math.Abs(committed[j]) + 0.002;
            Assert.True(Math.Abs(fit.Estimates[j].Value - committed[j]) <= tolerance,
                $"{fit.Estimates[j].Name}: refitted {fit.Estimates[j].Value:G5}, committed {committed[j]:G5}");
        }
    }

    [Fact]
    public void The_model_defaults_are_the_committed_fit_and_its_intervals_the_uncertain_ranges()
    {
        var lines = File.ReadAllLines(Path.Combine(FitDirectory, GradeFitOutput.EstimatesFile)).Skip(1);
        foreach (var line in lines)
        {
            var cells = line.Split(',');
            var definition = P.All.Single(d => d.Name == cells[0]);
            double V(int i) => double.Parse(cells[i], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(definition.Default - V(1)) <= 1e-3 * Math.Abs(V(1)) + 1e-6, $"{definition.Name}: default {definition.Default}, fitted {V(1)}");
            if (double.IsFinite(V(2)))
            {
                Assert.True(Math.Abs(definition.UncertainLow!.Value - V(2)) <= 1e-3 * Math.Abs(V(2)) + 1e-6, $"{definition.Name}: low {definition.UncertainLow}, fitted {V(2)}");
                Assert.True(Math.Abs(definition.UncertainHigh!.Value - V(3)) <= 1e-3 * Math.Abs(V(3)) + 1e-6, $"{definition.Name}: high {definition.UncertainHigh}, fitted {V(3)}");
            }
        }
    }

    [Theory]
    [InlineData("2018", "--rolling: expected FIRST-LAST years")]
    [InlineData("2022-2018", "--rolling: expected FIRST-LAST years")]
    [InlineData("2021-2030", "leaves nothing to score")]
    public void A_bad_rolling_range_is_refused_with_exit_2_and_nothing_written(string rolling, string expected)
    {
        var output = Path.Combine(Path.GetTempPath(), "caresim-rolling-" + Guid.NewGuid().ToString("N"));
        var stderr = new StringWriter();
        var code = GradeBacktestCommandLine.Run(Path.Combine(Root, "data"), rolling, 5, null, output, force: false, new StringWriter(), stderr);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr.ToString());
        Assert.False(Directory.Exists(output));
    }
}
