using CareSim.Data.Baseline;
using CareSim.Estimation.Backtest;

namespace CareSim.Estimation.Grades;

/// <summary>`sim calibrate --stage grades`: the grade model's maximum-likelihood fit and its files (data/calibration/grades).</summary>
public static class GradeCalibration
{
    public const string Stage = "grades";

    public static int Run(BaselineDataset data, string dataDirectory, string description, DateOnly knownAt, string outDirectory, TextWriter stdout,
        CancellationToken cancellationToken)
    {
        var fit = GradeEstimator.Fit(GradeRecords.KnownAt(data, knownAt), knownAt, log: stdout, cancellationToken: cancellationToken);
        using (var staged = new StagedOutput(outDirectory))
        {
            GradeFitOutput.Write(staged.Path, fit, dataDirectory, description);
            cancellationToken.ThrowIfCancellationRequested();
            staged.Commit();
        }
        stdout.Write(GradeFitOutput.Report(fit, description));
        stdout.WriteLine($"Wrote {Path.GetFullPath(outDirectory)}.");
        return 0;
    }
}
