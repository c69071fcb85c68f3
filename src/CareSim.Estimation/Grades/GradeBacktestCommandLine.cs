using System.Globalization;
using System.Text;
using CareSim.Engine.Output;
using CareSim.Estimation.Backtest;
using CareSim.Model.Plan;

namespace CareSim.Estimation.Grades;

/// <summary>`sim backtest --rolling FIRST-LAST`: the grade model's rolling-origin and leave-authorities-out backtests, and their files.</summary>
public static class GradeBacktestCommandLine
{
    public const string TableFile = "grade_backtest.csv";
    public const string ReportFile = "grade_backtest.md";
    public const string PredictionsFile = "grade_predictions.csv";
    public const string FitsFile = "grade_fits.csv";

    /// <summary>The command its output folder's marker names (its own, so `sim backtest --origin` into the same folder never deletes these files, nor they its).</summary>
    public const string Command = "sim backtest --rolling";

    /// <summary>
    /// Runs both checks and writes <see cref="TableFile"/>, <see cref="ReportFile"/>,
    /// <see cref="PredictionsFile"/> and <see cref="FitsFile"/>. Returns 0, 2 on bad input
    /// (nothing written; also a folder it may not write, see <see cref="OutputFolder"/>: one holding
    /// files sim did not write needs <paramref name="force"/>), 1 when the files cannot be written, 130 when cancelled.
    /// </summary>
    public static int Run(string dataDirectory, string rolling, int folds, string? leaveOutOrigin, string? outDirectory, bool force,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var parts = rolling.Split('-', 2);
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var first) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var last)
            || first > last || first < 2000 || last > 2100)
            return CommandFailures.BadInput(stderr, $"--rolling: expected FIRST-LAST years, e.g. 2018-2022 (origins at each 31 December), got '{rolling}'.");
        if (folds is < 2 or > 20)
            return CommandFailures.BadInput(stderr, $"--folds: expected 2 to 20, got {folds}.");
        var looOrigin = new DateOnly((first + last) / 2, 12, 31);
        if (leaveOutOrigin is not null && !DateOnly.TryParseExact(leaveOutOrigin, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out looOrigin))
            return CommandFailures.BadInput(stderr, $"--leave-out-origin: expected a date YYYY-MM-DD, got '{leaveOutOrigin}'.");
        var destination = outDirectory ?? Path.Combine("results", $"grade-backtest-{first}-{last}");
        try
        {
            OutputFolder.Check(destination, Command, force);
            var data = DataSource.Load(dataDirectory, out var description);
            stderr.WriteLine($"Data: {description}.");
            var latest = Backtester.LatestDate(data);
            if (latest is { } l && new DateOnly(last, 12, 31) >= l)
                throw new CareSimDataException($"--rolling: the last origin {last}-12-31 leaves nothing to score (the data end {l:yyyy-MM-dd}); choose an earlier last year.");
            var interventions = GradeRecords.InterventionsBeside(dataDirectory, data);
            stderr.WriteLine(interventions is null
                ? "note: no intervention record (interventions.csv) beside the data: trusts are not known to the fits."
                : $"Trusts from {interventions.Path}, as known at each origin.");
            var rollingResults = GradeBacktest.RollingOrigins(data, first, last, stderr, cancellationToken, interventions);
            var leaveOut = GradeBacktest.LeaveAuthoritiesOut(data, looOrigin, folds, stderr, cancellationToken, interventions);
            using (var staged = OutputFolder.Begin(destination, Command, force))
            {
                Write(staged.Staging, rollingResults, leaveOut, description);
                cancellationToken.ThrowIfCancellationRequested();
                staged.Commit();
            }
            stdout.Write(Report(rollingResults, leaveOut, description));
            stderr.WriteLine($"Wrote {Path.GetFullPath(destination)}.");
            return 0;
        }
        catch (Exception ex) when (CommandFailures.IsExpected(ex))
        {
            return CommandFailures.Report(ex, stderr, "the grade backtest");
        }
    }

    public static void Write(string directory, IReadOnlyList<GradeOriginResult> rolling, IReadOnlyList<GradeOriginResult> leaveOut, string description)
    {
        var table = new StringBuilder("check,n,model_log_loss,persistence_log_loss,matrix_log_loss,model_brier,persistence_brier,matrix_brier\n");
        foreach (var row in Rows(rolling, leaveOut))
            table.Append(string.Join(',', row.Check, row.N.ToString(CultureInfo.InvariantCulture), F(row.ModelLogLoss), F(row.PersistenceLogLoss), F(row.MatrixLogLoss),
                F(row.ModelBrier), F(row.PersistenceBrier), F(row.MatrixBrier))).Append('\n');
        File.WriteAllText(Path.Combine(directory, TableFile), table.ToString());

        var predictions = new StringBuilder("check,origin,authority_code,inspection_start,actual,last_grade,method,p_inadequate,p_requires_improvement,p_good,p_outstanding,log_loss,brier\n");
        foreach (var result in rolling.Concat(leaveOut))
        {
            var check = result.Fold is null ? "rolling" : "leave_out_" + result.Fold.Replace(' ', '_');
            foreach (var item in result.Items)
            {
                foreach (var (method, p) in new[] { (Methods.Model, item.Model), (Methods.Persistence, item.Persistence), (Methods.TransitionMatrix, item.TransitionMatrix) })
                {
                    predictions.Append(string.Join(',', check, result.Origin.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), item.Code,
                        item.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), item.Actual.ToKey(), item.LastGrade?.ToKey() ?? "",
                        method, F(p[0]), F(p[1]), F(p[2]), F(p[3]), F(Scores.LogLoss(p, (int)item.Actual)), F(Scores.Brier(p, (int)item.Actual)))).Append('\n');
                }
            }
        }
        File.WriteAllText(Path.Combine(directory, PredictionsFile), predictions.ToString());

        var fits = new StringBuilder("check,origin,parameter,estimate,log_likelihood,inspections,authorities\n");
        foreach (var result in rolling.Concat(leaveOut))
        {
            var check = result.Fold is null ? "rolling" : "leave_out_" + result.Fold.Replace(' ', '_');
            foreach (var e in result.Fit.Estimates)
                fits.Append(string.Join(',', check, result.Origin.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), e.Name, F(e.Value),
                    F(result.Fit.LogLikelihood), result.Fit.Inspections.ToString(CultureInfo.InvariantCulture),
                    result.Fit.Authorities.ToString(CultureInfo.InvariantCulture))).Append('\n');
        }
        File.WriteAllText(Path.Combine(directory, FitsFile), fits.ToString());
        File.WriteAllText(Path.Combine(directory, ReportFile), Report(rolling, leaveOut, description));
    }

    /// <summary>A row per origin and pooled, then a row per fold and pooled.</summary>
    public static List<GradeScoreRow> Rows(IReadOnlyList<GradeOriginResult> rolling, IReadOnlyList<GradeOriginResult> leaveOut)
    {
        var rows = rolling.Select(r => GradeScoreRow.Of($"origin {r.Origin:yyyy-MM-dd}", r.Items)).ToList();
        rows.Add(GradeScoreRow.Of("rolling pooled", rolling.SelectMany(r => r.Items).ToList()));
        if (leaveOut.Count > 0)
        {
            rows.AddRange(leaveOut.Select(r => GradeScoreRow.Of($"{r.Fold} (origin {r.Origin:yyyy-MM-dd})", r.Items)));
            rows.Add(GradeScoreRow.Of("leave-out pooled", leaveOut.SelectMany(r => r.Items).ToList()));
        }
        return rows;
    }

    public static string Report(IReadOnlyList<GradeOriginResult> rolling, IReadOnlyList<GradeOriginResult> leaveOut, string description)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Grade backtests of the grade model (a hidden Markov chain over sub-levels of the bands) ({description}): log-loss and Brier score of every full inspection started after each origin.\n\n");
        sb.Append("| check | n | log-loss: model | persistence | transition matrix | model - matrix | Brier: model | persistence | transition matrix |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in Rows(rolling, leaveOut))
            sb.Append(CultureInfo.InvariantCulture, $"| {r.Check} | {r.N} | {r.ModelLogLoss:0.000} | {r.PersistenceLogLoss:0.000} | {r.MatrixLogLoss:0.000} | {r.ModelLogLoss - r.MatrixLogLoss:+0.000;-0.000} | {r.ModelBrier:0.000} | {r.PersistenceBrier:0.000} | {r.MatrixBrier:0.000} |\n");
        sb.Append('\n');
        return sb.ToString();
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "";
}
