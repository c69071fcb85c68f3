using System.Globalization;
using CareSim.Engine.Output;
using CareSim.Estimation.Backtest;

namespace CareSim.Estimation.Calibration;

/// <summary>`sim calibrate`: argument checks, the fit, the files.</summary>
public static class CalibrateCommandLine
{
    private const string Command = "sim calibrate";

    /// <summary>
    /// Calibrates and writes <c>fitted.yaml</c>, <c>calibration_report.md</c>, <c>targets.csv</c>,
    /// <c>calibration.json</c>, <c>trace.csv</c> and <c>fingerprint.json</c> (<see cref="CalibrationFingerprint"/>) to <paramref name="outDirectory"/> (through an
    /// <see cref="OutputFolder"/>: a folder holding files sim did not write needs <paramref name="force"/>).
    /// Returns 0 on success, 2 on bad input (nothing written), 1 when the files cannot be written, 130 when cancelled.
    /// </summary>
    public static int Run(string dataDirectory, string? until, string outDirectory, CalibrationOptions options,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (until is not null)
        {
            if (!DateOnly.TryParseExact(until, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return Bad(stderr, $"--until: expected a date YYYY-MM-DD, got '{until}'.");
            options = options with { Until = date };
        }
        if (options.Replicas is < 1 or > 10_000)
            return Bad(stderr, $"--replicas: expected 1 to 10000, got {options.Replicas}.");
        if (options.ReportReplicas is < 1 or > 10_000)
            return Bad(stderr, $"--report-replicas: expected 1 to 10000, got {options.ReportReplicas}.");
        if (options.Bootstrap is < 0 or > 10_000)
            return Bad(stderr, $"--bootstrap: expected 0 to 10000, got {options.Bootstrap}.");
        if (options.EvaluationsPerParameter is < 1 or > 10_000)
            return Bad(stderr, $"--evaluations-per-parameter: expected 1 to 10000, got {options.EvaluationsPerParameter}.");
        try
        {
            OutputFolder.Check(outDirectory, Command, force);
            var data = DataSource.Load(dataDirectory, out var description);
            stderr.WriteLine($"Data: {description}.");
            var latest = Backtester.LatestDate(data);
            if (options.Until is { } u && latest is { } l && u > l)
                stderr.WriteLine($"note: --until {u:yyyy-MM-dd} is after the latest date in the data ({l:yyyy-MM-dd}); all the data are used.");
            if (options.Stages is [Grades.GradeCalibration.Stage])
                return Grades.GradeCalibration.Run(data, dataDirectory, description, options.Until ?? latest ?? DateOnly.MaxValue, outDirectory, stdout, stderr, cancellationToken, force, options.Bootstrap, options.Seed);
            var result = Calibrator.Run(data, description, options, stderr, cancellationToken);
            using (var staged = OutputFolder.Begin(outDirectory, Command, force))
            {
                CalibrationOutput.Write(result, staged.Staging);
                File.WriteAllText(Path.Combine(staged.Staging, CalibrationFingerprint.FileName),
                    CalibrationFingerprint.Compute(result, data, dataDirectory).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
                cancellationToken.ThrowIfCancellationRequested();
                staged.Commit();
            }
            // Results on stdout, in 80 columns; notes (progress, where the files went) on stderr.
            foreach (var p in result.Parameters)
                stdout.WriteLine($"  {p.Name,-42} {CalibrationOutput.Sig4(p.Default),8} -> {CalibrationOutput.Sig4(p.Value),-8}{(p.AtEdge ? " at edge" : "")}");
            if (result.Parameters.Any(p => p.AtEdge))
                stdout.WriteLine("  (at edge: the estimate is at the edge of the parameter's uncertain range)");
            stdout.WriteLine($"Grade log-loss over {result.Inspections} inspections: {result.GradeLogLoss.Before:0.000} at the defaults, {result.GradeLogLoss.After:0.000} fitted.");
            stderr.WriteLine($"Wrote {Path.Combine(Path.GetFullPath(outDirectory), CalibrationOutput.FittedFile)} and {CalibrationOutput.ReportFile} ({result.Elapsed.TotalSeconds:0} s).");
            return 0;
        }
        catch (Exception ex) when (CommandFailures.IsExpected(ex))
        {
            return CommandFailures.Report(ex, stderr, "the calibration");
        }
    }

    private static int Bad(TextWriter stderr, string message) => CommandFailures.BadInput(stderr, message);
}
