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
        TextWriter stderr, CancellationToken cancellationToken, bool force = false, int bootstrap = 100, ulong seed = 1)
    {
        OutputFolder.Check(outDirectory, Command, force);
        var interventions = GradeRecords.InterventionsBeside(dataDirectory, data);
        stderr.WriteLine(interventions is null
            ? "note: no intervention record (interventions.csv) beside the data: trusts are not known to the fit."
            : $"Trusts from {interventions.Path}.");
        var records = GradeRecords.KnownAt(data, knownAt, null, GradeRecords.Trusts(interventions, knownAt));
        var fit = GradeEstimator.Fit(records, knownAt, bootstrap, seed, log: stderr, cancellationToken: cancellationToken);
        var recovery = RecoveryAfterInadequate.Groups(records);
        using (var staged = OutputFolder.Begin(outDirectory, Command, force))
        {
            GradeFitOutput.Write(staged.Staging, fit, dataDirectory, description, seed, recovery);
            cancellationToken.ThrowIfCancellationRequested();
            staged.Commit();
        }
        stdout.Write(GradeFitOutput.Report(fit, description, recovery));
        stderr.WriteLine($"Wrote {Path.GetFullPath(outDirectory)}.");
        return 0;
    }
}
