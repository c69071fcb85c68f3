using System.Globalization;
using System.Text.Json.Nodes;
using CareSim.Data.Baseline;
using CareSim.Estimation.Grades;
using CareSim.Model.Parameters;

namespace CareSim.Estimation.Tests.Grades;

/// <summary>
/// The committed grade-model fit (data/calibration/grades) is what the current code and the
/// committed data produce, and the model's defaults are that fit: regenerate with
/// `sim calibrate --data data --stage grades --out data/calibration/grades` (docs/calibration.md#grade-model).
/// </summary>
public class CommittedFitTests
{
    private static readonly string Root = CareSim.TestSupport.RepositoryRoot.Path;
    private static readonly string FitDirectory = Path.Combine(Root, "data", "calibration", "grades");

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
    public void The_committed_estimates_have_the_committed_log_likelihood_and_are_its_maximum()
    {
        var fingerprint = Fingerprint();
        var knownAt = DateOnly.ParseExact((string)fingerprint["known_at"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var committed = GradeEstimator.Parameters.Select(p => (double)fingerprint["estimates"]![p.Name]!).ToArray();
        var dataDirectory = Path.Combine(Root, "data");
        var data = BaselineDataset.Load(dataDirectory);
        var records = GradeRecords.KnownAt(data, knownAt, null, GradeRecords.Trusts(GradeRecords.InterventionsBeside(dataDirectory, data), knownAt));
        var until = GradeRecords.Month(knownAt);
        var x = GradeEstimator.Parameters.Select((p, j) => p.ToFit(committed[j])).ToArray();
        var used = records.Where(r => r.Record.Inspections.Count > 0).ToList();
        // The current code gives the committed log-likelihood at the committed estimates ...
        var logLikelihood = GradeEstimator.LogLikelihood(GradeEstimator.Filter(x, ModelParameters.Defaults), used, until);
        Assert.InRange(logLikelihood, (double)fingerprint["log_likelihood"]! - 0.01, (double)fingerprint["log_likelihood"]! + 0.01);
        // ... and refitting from them moves them no further than the fit's own tolerance.
        var fit = GradeEstimator.Fit(records, knownAt, start: x);
        Assert.True(fit.LogLikelihood <= logLikelihood + 0.5, $"refitting raised the log-likelihood from {logLikelihood:0.00} to {fit.LogLikelihood:0.00}: the committed fit is not the maximum");
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
            if (double.IsFinite(V(2)) && definition.IsUncertain)
            {
                Assert.True(Math.Abs(definition.UncertainLow!.Value - V(2)) <= 1e-3 * Math.Abs(V(2)) + 1e-6, $"{definition.Name}: low {definition.UncertainLow}, fitted {V(2)}");
                Assert.True(Math.Abs(definition.UncertainHigh!.Value - V(3)) <= 1e-3 * Math.Abs(V(3)) + 1e-6, $"{definition.Name}: high {definition.UncertainHigh}, fitted {V(3)}");
            }
        }
    }

    [Fact]
    public void The_models_bootstrap_replicates_are_the_committed_fits_and_span_its_intervals()
    {
        var rows = File.ReadAllLines(Path.Combine(FitDirectory, GradeFitOutput.ReplicatesFile));
        var names = rows[0].Split(',').Skip(1).ToList();
        Assert.Equal(GradeEstimator.Parameters.Select(p => p.Name), names);
        Assert.Equal(names, GradeFitReplicates.Names);
        var committed = rows.Skip(1).Select(r => r.Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal((int)Fingerprint()["bootstrap"]!, committed.Count);
        Assert.Equal(committed.Count, GradeFitReplicates.Values.Count);
        for (var b = 0; b < committed.Count; b++) Assert.Equal(committed[b], GradeFitReplicates.Values[b]);
        // The uncertain range of each parameter is the 95% interval of these same replicates.
        for (var j = 0; j < names.Count; j++)
        {
            var definition = P.All.Single(d => d.Name == names[j]);
            var sorted = committed.Select(r => r[j]).Order().ToArray();
            double low = definition.UncertainLow!.Value, high = definition.UncertainHigh!.Value;
            var inside = sorted.Count(v => v >= low - 1e-3 * Math.Abs(low) - 1e-6 && v <= high + 1e-3 * Math.Abs(high) + 1e-6);
            Assert.InRange(inside, (int)(0.93 * sorted.Length), sorted.Length);
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
