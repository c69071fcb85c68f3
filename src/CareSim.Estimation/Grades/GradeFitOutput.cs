using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CareSim.Model.Parameters;

namespace CareSim.Estimation.Grades;

/// <summary>
/// The files of a grade-model fit (data/calibration/grades): the estimates with their intervals,
/// a parameter file scenarios can reference, a report, and a fingerprint of the data, the model
/// and the settings that produced them, which a test checks against the current code and data.
/// </summary>
public static class GradeFitOutput
{
    public const string EstimatesFile = "grade_fit.csv";
    public const string ParametersFile = "grades.yaml";
    public const string ReportFile = "grade_fit.md";
    public const string FingerprintFile = "fingerprint.json";

    /// <summary>
    /// Bump when the grade model's equations, its filter or the fit change in a way that changes
    /// the estimates: the committed fit then no longer matches and its test fails until it is redone.
    /// </summary>
    public const string ModelVersion = "grades-1";

    /// <summary>The data files the fit reads, by their names in a baseline dataset folder.</summary>
    public static IReadOnlyList<string> DataFiles { get; } = ["inspections.csv", "authority_years.csv"];

    public static void Write(string directory, GradeFitResult fit, string dataDirectory, string dataDescription)
    {
        var utf8 = new UTF8Encoding(false);
        var csv = new StringBuilder("parameter,estimate,low_95,high_95,standard_error,scale,identified\n");
        foreach (var e in fit.Estimates)
            csv.Append(CultureInfo.InvariantCulture, $"{e.Name},{G(e.Value)},{G(e.Low)},{G(e.High)},{G(e.StandardError)},{e.Scale},{(e.Identified ? "true" : "false")}\n");
        File.WriteAllText(Path.Combine(directory, EstimatesFile), csv.ToString(), utf8);
        File.WriteAllText(Path.Combine(directory, ParametersFile), ParameterYaml(fit), utf8);
        File.WriteAllText(Path.Combine(directory, ReportFile), Report(fit, dataDescription), utf8);
        File.WriteAllText(Path.Combine(directory, FingerprintFile), Fingerprint(fit, dataDirectory).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", utf8);
    }

    public static string ParameterYaml(GradeFitResult fit)
    {
        var sb = new StringBuilder();
        sb.Append("# Written by `sim calibrate --stage grades`: the grade model fitted by maximum likelihood to every full\n");
        sb.Append(CultureInfo.InvariantCulture, $"# inspection known at {fit.KnownAt:yyyy-MM-dd} ({fit.Inspections} inspections of {fit.Authorities} authorities); see {ReportFile}.\n");
        sb.Append("description: \"Grade model fitted to the inspection record (docs/calibration.md#grade-model).\"\nparameters:\n");
        foreach (var e in fit.Estimates)
            sb.Append(CultureInfo.InvariantCulture, $"  {e.Name}: {G(e.Value)}   # 95% interval {G(e.Low)} to {G(e.High)}{(e.Identified ? "" : "; not identified by the data")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  {P.QualityDriftUntil.Name}: {G(GradeEstimator.DriftUntil(fit.KnownAt))}   # assumed: the drift stops at the data\n");
        return sb.ToString();
    }

    public static string Report(GradeFitResult fit, string dataDescription)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Grade model fitted to {dataDescription}, known at {fit.KnownAt:yyyy-MM-dd}: {fit.Inspections} full inspections of {fit.Authorities} authorities; ");
        sb.Append(CultureInfo.InvariantCulture, $"log-likelihood {fit.LogLikelihood:0.00} ({fit.Evaluations} evaluations, {fit.Elapsed.TotalSeconds:0} s).\n\n");
        sb.Append("| parameter | estimate | 95% interval | se (fit scale) | identified |\n|---|---:|---|---:|---|\n");
        foreach (var e in fit.Estimates)
            sb.Append(CultureInfo.InvariantCulture, $"| `{e.Name}` | {e.Value:0.0000} | {e.Low:0.0000} to {e.High:0.0000} | {e.StandardError:0.000} ({e.Scale}) | {(e.Identified ? "yes" : "**no**")} |\n");
        return sb.ToString();
    }

    /// <summary>The fingerprint: the model version, the fit's settings, and the SHA-256 of each data file.</summary>
    public static JsonObject Fingerprint(GradeFitResult fit, string dataDirectory)
    {
        var files = new JsonObject();
        foreach (var (name, hash) in DataHashes(dataDirectory)) files[name] = hash;
        var estimates = new JsonObject();
        foreach (var e in fit.Estimates) estimates[e.Name] = e.Value;
        return new JsonObject
        {
            ["model_version"] = ModelVersion,
            ["known_at"] = fit.KnownAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["data_files"] = files,
            ["log_likelihood"] = fit.LogLikelihood,
            ["estimates"] = estimates,
        };
    }

    /// <summary>SHA-256 of each data file the fit reads (an absent file hashes as "absent").</summary>
    public static IEnumerable<(string Name, string Hash)> DataHashes(string dataDirectory)
    {
        var baseline = Directory.Exists(Path.Combine(dataDirectory, "baseline")) ? Path.Combine(dataDirectory, "baseline") : dataDirectory;
        foreach (var name in DataFiles)
        {
            var path = Path.Combine(baseline, name);
            yield return (name, File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant() : "absent");
        }
    }

    private static string G(double v) => double.IsFinite(v) ? v.ToString("G5", CultureInfo.InvariantCulture) : "NaN";
}
