using CareSim.Data.Baseline;
using CareSim.Engine.Output;

namespace CareSim.Estimation.Grades;

/// <summary>`sim calibrate --stage grades`: the grade model's maximum-likelihood fit and its files (data/calibration/grades).</summary>
public static class GradeCalibration
{
    public const string Stage = "grades";

    /// <summary>The command its output folder's marker names (its own, so plain `sim calibrate` never deletes these files, nor they its).</summary>
    public const string Command = "sim calibrate --stage grades";

    /// <summary>
    /// Fits and writes the files to <paramref name="outDirectory"/> through an <see cref="OutputFolder"/>
    /// (a folder holding files sim did not write needs <paramref name="force"/>).
    /// </summary>
    public static int Run(BaselineDataset data, string dataDirectory, string description, DateOnly knownAt, string outDirectory, TextWriter stdout,
        CancellationToken cancellationToken, bool force = false)
    {
        OutputFolder.Check(outDirectory, Command, force);
        var fit = GradeEstimator.Fit(GradeRecords.KnownAt(data, knownAt), knownAt, log: stdout, cancellationToken: cancellationToken);
        using (var staged = OutputFolder.Begin(outDirectory, Command, force))
        {
            GradeFitOutput.Write(staged.Staging, fit, dataDirectory, description);
            cancellationToken.ThrowIfCancellationRequested();
            staged.Commit();
        }
        stdout.Write(GradeFitOutput.Report(fit, description));
        stdout.WriteLine($"Wrote {Path.GetFullPath(outDirectory)}.");
        return 0;
    }
}
