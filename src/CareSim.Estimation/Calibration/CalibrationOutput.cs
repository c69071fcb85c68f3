using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CareSim.Data.Csv;

namespace CareSim.Estimation.Calibration;

/// <summary>Writes a calibration's files: the parameter file scenarios reference, the report, the targets, the manifest and the trace.</summary>
public static class CalibrationOutput
{
    public const string FittedFile = "fitted.yaml";
    public const string ReportFile = "calibration_report.md";
    public const string TargetsFile = "targets.csv";
    public const string ManifestFile = "calibration.json";
    public const string TraceFile = "trace.csv";

    public static void Write(CalibrationResult result, string directory)
    {
        var utf8 = new UTF8Encoding(false);
        File.WriteAllText(Path.Combine(directory, FittedFile), FittedYaml(result), utf8);
        File.WriteAllText(Path.Combine(directory, ReportFile), Report(result), utf8);
        CsvWriter.Write(Path.Combine(directory, TargetsFile),
            ["target", "group", "fitted_in_stage", "n", "observed", "scale", "simulated_defaults", "z_defaults", "simulated_fitted", "z_fitted", "description"],
            result.Targets.Select(t => (IReadOnlyList<string>)
            [
                t.Target.Name, t.Target.Group, t.Target.Stage ?? "", Int(t.Target.N), Num(t.Target.Observed), Num(t.Target.Scale),
                Num(t.Before), Num(t.ZBefore), Num(t.After), Num(t.ZAfter), t.Target.Description,
            ]));
        var names = result.Parameters.Select(p => p.Name).ToList();
        CsvWriter.Write(Path.Combine(directory, TraceFile), ["stage", "evaluation", .. names, "objective"],
            result.Trace.Select(e => (IReadOnlyList<string>)
                [e.Stage, Int(e.Evaluation), .. names.Select(n => e.Values.TryGetValue(n, out var v) ? Num(v) : ""), Num(e.Objective)]));
        File.WriteAllText(Path.Combine(directory, ManifestFile), Manifest(result).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", utf8);
    }

    /// <summary>The parameter file (scenario format: <c>description</c> and a <c>parameters:</c> map).</summary>
    public static string FittedYaml(CalibrationResult result)
    {
        var sb = new StringBuilder();
        sb.Append("# Written by `sim calibrate`: the model's uncertain parameters fitted to the official statistics\n");
        sb.Append(CultureInfo.InvariantCulture, $"# known at {Date(result.Until)} (see {ReportFile} for observed against simulated, before and after).\n");
        sb.Append("# Reference it from a scenario: parameter_files: [<path to this file>] (relative to the scenario).\n");
        sb.Append("description: \"").Append(Description(result)).Append("\"\n");
        sb.Append("parameters:\n");
        var width = result.Parameters.Max(p => p.Name.Length + Sig4(p.Value).Length) + 4;
        foreach (var p in result.Parameters)
        {
            var line = $"  {p.Name}: {Sig4(p.Value)}";
            sb.Append(line).Append(' ', Math.Max(1, width - line.Length))
                .Append(CultureInfo.InvariantCulture, $"# default {Sig4(p.Default)}, uncertain range {Sig4(p.Low)}-{Sig4(p.High)}; {p.Stage} stage{(p.AtEdge ? "; at the edge of the range" : p.AtPhysicalBound ? "; at the physical bound" : "")}\n");
        }
        return sb.ToString();
    }

    private static string Description(CalibrationResult result) =>
        $"Fitted by sim calibrate to data known at {Date(result.Until)}: {result.WorkforceOrigins.Count} workforce origins "
        + $"({Years(result.WorkforceOrigins)}), {result.DemandOrigins.Count} demand origins ({Years(result.DemandOrigins)}), "
        + $"{result.Options.Replicas} replicas per authority while fitting.";

    private static string Years(IReadOnlyList<DateOnly> dates) =>
        dates.Count == 0 ? "none" : dates.Count == 1 ? Date(dates[0]) : $"{Date(dates[0])} to {Date(dates[^1])}";

    public static string Report(CalibrationResult result)
    {
        var sb = new StringBuilder();
        sb.Append("# Calibration report\n\n");
        sb.Append("Written by `sim calibrate` (method: docs/calibration.md). ");
        sb.Append(CultureInfo.InvariantCulture, $"Data: {result.DataDescription}, known at **{Date(result.Until)}** (nothing later is read).\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"- Workforce-aligned origins (31 December; projections start in October): {string.Join(", ", result.WorkforceOrigins.Select(Date))}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- Demand-aligned origins (31 March; projections start in April): {string.Join(", ", result.DemandOrigins.Select(Date))}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- Fitting: {result.Options.Replicas} replicas per authority and origin, seed {result.Options.Seed} (common random numbers), "
            + $"Nelder-Mead with {result.Options.EvaluationsPerParameter} evaluations per parameter (+10) per stage.\n");
        sb.Append(CultureInfo.InvariantCulture, $"- Before/after columns: {result.Options.ReportReplicas} replicas, seed {result.Options.Seed + 1000} (not the fitting's random numbers).\n");
        sb.Append(CultureInfo.InvariantCulture, $"- Run time: {result.Elapsed.TotalSeconds:0} s.\n\n");

        sb.Append("## Fitted parameters\n\n");
        sb.Append("| parameter | stage | default | uncertain range | fitted | change |\n|---|---|---|---|---|---|\n");
        foreach (var p in result.Parameters)
        {
            var change = p.Default == 0 ? "" : $"{(p.Value / p.Default - 1) * 100:+0;-0}%";
            sb.Append(CultureInfo.InvariantCulture, $"| `{p.Name}` | {p.Stage} | {Sig4(p.Default)} | {Sig4(p.Low)} - {Sig4(p.High)} | {Sig4(p.Value)}{(p.AtEdge ? " (at the edge)" : p.AtPhysicalBound ? " (physical bound)" : "")} | {change} |\n");
        }

        sb.Append("\n## Objective by stage\n\n");
        sb.Append("Sum of squared z-scores of the stage's fitted targets (the Ofsted stage adds the grade deviance, -2 Σ ln p). ");
        sb.Append("\"while fitting\" is on the fitting's random numbers; the last two columns on the report's.\n\n");
        sb.Append("| stage | evaluations | while fitting: start | while fitting: best | defaults | fitted |\n|---|---|---|---|---|---|\n");
        foreach (var s in result.StageReports)
            sb.Append(CultureInfo.InvariantCulture, $"| {s.Stage} | {s.Evaluations} | {F1(s.FitObjectiveStart)} | {F1(s.FitObjectiveBest)} | {F1(s.ObjectiveBefore)} | {F1(s.ObjectiveAfter)} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"\nGrade likelihood over {result.Inspections} inspections after the workforce origins (judged grade probabilities at each inspection's start month): ");
        sb.Append(CultureInfo.InvariantCulture, $"mean log-loss {result.GradeLogLoss.Before:0.000} at the defaults, {result.GradeLogLoss.After:0.000} fitted (ln 4 = 1.386 is a uniform guess).\n");

        sb.Append("\n## Targets: observed against simulated\n\n");
        sb.Append("z = (simulated - observed) / scale, the scale being the observed statistic's bootstrap standard deviation over authorities. ");
        sb.Append("Targets with no stage are reported, not fitted.\n");
        foreach (var group in result.Targets.GroupBy(t => t.Target.Group))
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n### {group.Key}\n\n");
            sb.Append("| target | fitted in | n | observed | scale | defaults | z | fitted | z |\n|---|---|---|---|---|---|---|---|---|\n");
            foreach (var t in group)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| `{t.Target.Name}` | {t.Target.Stage ?? "-"} | {t.Target.N} | {Sig4(t.Target.Observed)} | {Sig4(t.Target.Scale)} | ");
                sb.Append(CultureInfo.InvariantCulture, $"{Sig4(t.Before)} | {t.ZBefore:0.0} | {Sig4(t.After)} | {t.ZAfter:0.0} |\n");
            }
        }
        sb.Append("\nWhat each target is:\n\n");
        foreach (var t in result.Targets)
            sb.Append(CultureInfo.InvariantCulture, $"- `{t.Target.Name}`: {t.Target.Description}.\n");
        if (result.Notes.Count > 0)
        {
            sb.Append("\n## Notes\n\n");
            foreach (var n in result.Notes)
                sb.Append("- ").Append(n).Append('\n');
        }
        return sb.ToString();
    }

    private static JsonObject Manifest(CalibrationResult result) => new()
    {
        ["tool"] = "sim calibrate",
        ["until"] = Date(result.Until),
        ["data"] = result.DataDescription,
        ["workforce_origins"] = new JsonArray(result.WorkforceOrigins.Select(d => (JsonNode)JsonValue.Create(Date(d))!).ToArray()),
        ["demand_origins"] = new JsonArray(result.DemandOrigins.Select(d => (JsonNode)JsonValue.Create(Date(d))!).ToArray()),
        ["replicas"] = result.Options.Replicas,
        ["report_replicas"] = result.Options.ReportReplicas,
        ["seed"] = result.Options.Seed,
        ["evaluations_per_parameter"] = result.Options.EvaluationsPerParameter,
        ["authorities"] = result.Options.Authorities is null ? "all of England" : string.Join(";", result.Options.Authorities),
        ["elapsed_seconds"] = Math.Round(result.Elapsed.TotalSeconds, 1),
        ["parameters"] = new JsonObject(result.Parameters.Select(p => new KeyValuePair<string, JsonNode?>(p.Name, new JsonObject
        {
            ["stage"] = p.Stage,
            ["default"] = p.Default,
            ["low"] = p.Low,
            ["high"] = p.High,
            ["fitted"] = p.Value,
            ["at_edge"] = p.AtEdge,
            ["at_physical_bound"] = p.AtPhysicalBound,
        }))),
        ["stages"] = new JsonArray(result.StageReports.Select(s => (JsonNode)new JsonObject
        {
            ["stage"] = s.Stage,
            ["evaluations"] = s.Evaluations,
            ["objective_fit_start"] = Finite(s.FitObjectiveStart),
            ["objective_fit_best"] = Finite(s.FitObjectiveBest),
            ["objective_defaults"] = Finite(s.ObjectiveBefore),
            ["objective_fitted"] = Finite(s.ObjectiveAfter),
        }).ToArray()),
        ["grade_log_loss"] = new JsonObject { ["inspections"] = result.Inspections, ["defaults"] = Finite(result.GradeLogLoss.Before), ["fitted"] = Finite(result.GradeLogLoss.After) },
        ["notes"] = new JsonArray(result.Notes.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
    };

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Num(double v) => double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "";

    private static string F1(double v) => double.IsFinite(v) ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    /// <summary>Four significant digits, no exponent.</summary>
    internal static string Sig4(double v)
    {
        if (v == 0 || !double.IsFinite(v))
            return v.ToString(CultureInfo.InvariantCulture);
        var decimals = Math.Clamp(3 - (int)Math.Floor(Math.Log10(Math.Abs(v))), 0, 12);
        return Math.Round(v, decimals, MidpointRounding.AwayFromZero).ToString("0.############", CultureInfo.InvariantCulture);
    }
}
