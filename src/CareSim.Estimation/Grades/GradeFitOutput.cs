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
    public const string ReplicatesFile = "grade_bootstrap.csv";

    /// <summary>
    /// Bump when the grade model's equations, its filter or the fit change in a way that changes
    /// the estimates: the committed fit then no longer matches and its test fails until it is redone.
    /// </summary>
    public const string ModelVersion = "grades-4 (hidden Markov chain, 3 sub-levels per band; support in the inadequate band; ILACS recovery effect under monitoring after an inadequate grade)";

    /// <summary>The data files the fit reads: in the baseline dataset folder, and the intervention record beside it.</summary>
    public static IReadOnlyList<string> DataFiles { get; } = ["inspections.csv", "authority_years.csv", "../interventions.csv"];

    public static void Write(string directory, GradeFitResult fit, string dataDirectory, string dataDescription, ulong seed, IReadOnlyList<RecoveryGroup> recovery)
    {
        var utf8 = new UTF8Encoding(false);
        var csv = new StringBuilder("parameter,estimate,low_95,high_95,identified,note\n");
        foreach (var e in fit.Estimates)
            csv.Append(CultureInfo.InvariantCulture, $"{e.Name},{G(e.Value)},{G(e.Low)},{G(e.High)},{(e.Identified ? "true" : "false")},{e.Note}\n");
        File.WriteAllText(Path.Combine(directory, EstimatesFile), csv.ToString(), utf8);
        File.WriteAllText(Path.Combine(directory, ParametersFile), ParameterYaml(fit), utf8);
        File.WriteAllText(Path.Combine(directory, ReportFile), Report(fit, dataDescription, recovery), utf8);
        File.WriteAllText(Path.Combine(directory, RecoveryAfterInadequate.CsvFile), RecoveryAfterInadequate.Csv(recovery), utf8);
        if (fit.Replicates.Count > 0) File.WriteAllText(Path.Combine(directory, ReplicatesFile), ReplicatesCsv(fit), utf8);
        File.WriteAllText(Path.Combine(directory, FingerprintFile), Fingerprint(fit, dataDirectory, seed).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", utf8);
    }

    /// <summary>
    /// Every bootstrap replicate's refitted parameters, one row each (full precision): the joint
    /// distribution `compare --worlds` draws the grade model's parameters from, so that their
    /// correlations are kept (scripts/sync-grade-defaults.py copies it into the model's code).
    /// </summary>
    public static string ReplicatesCsv(GradeFitResult fit)
    {
        var sb = new StringBuilder("replicate," + string.Join(',', fit.Estimates.Select(e => e.Name)) + "\n");
        for (var b = 0; b < fit.Replicates.Count; b++)
            sb.Append(b.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(string.Join(',', fit.Replicates[b].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        return sb.ToString();
    }

    public static string ParameterYaml(GradeFitResult fit)
    {
        var sb = new StringBuilder();
        sb.Append("# Written by `sim calibrate --stage grades`: the grade model fitted by maximum likelihood to every full\n");
        sb.Append(CultureInfo.InvariantCulture, $"# inspection known at {fit.KnownAt:yyyy-MM-dd} ({fit.Inspections} inspections of {fit.Authorities} authorities); see {ReportFile}.\n");
        sb.Append("description: \"Grade model fitted to the inspection record (docs/calibration.md#grade-model).\"\nparameters:\n");
        foreach (var e in fit.Estimates)
            sb.Append(CultureInfo.InvariantCulture, $"  {e.Name}: {G(e.Value)}{Interval(e, "   # 95% interval ")}\n");
        return sb.ToString();
    }

    private static string Interval(GradeEstimate e, string prefix) =>
        double.IsFinite(e.Low) ? $"{prefix}{G(e.Low)} to {G(e.High)}{(e.Identified ? "" : "; not identified by the data")}{(e.Note.Length > 0 ? "; " + e.Note : "")}" : "";

    public static string Report(GradeFitResult fit, string dataDescription, IReadOnlyList<RecoveryGroup>? recovery = null)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Grade model fitted to {dataDescription}, known at {fit.KnownAt:yyyy-MM-dd}: {fit.Inspections} full inspections of {fit.Authorities} authorities; ");
        sb.Append(CultureInfo.InvariantCulture, $"log-likelihood {fit.LogLikelihood:0.00}; intervals from {fit.Bootstrap} bootstrap replicates over authorities ({fit.Evaluations} evaluations, {fit.Elapsed.TotalSeconds:0} s).\n\n");
        sb.Append("| parameter | estimate | 95% interval | identified |\n|---|---:|---|---|\n");
        foreach (var e in fit.Estimates)
        {
            var interval = double.IsFinite(e.Low) ? $"{e.Low:0.####} to {e.High:0.####}" : "-";
            var identified = e.Identified ? "yes" : "**no**";
            if (e.Note.Length > 0) identified += $" ({e.Note})";
            sb.Append(CultureInfo.InvariantCulture, $"| `{e.Name}` | {e.Value:0.####} | {interval} | {identified} |\n");
        }
        var stationary = Model.Grades.GradeChain.From(fit.Apply(ModelParameters.Defaults)).StationaryBands();
        sb.Append(CultureInfo.InvariantCulture, $"\nThe fitted chain's long-run shares at a drive of zero (England's workforce rates, no support, no own effect): inadequate {stationary[0]:0%}, requires improvement {stationary[1]:0%}, good {stationary[2]:0%}, outstanding {stationary[3]:0%} (good or better {stationary[2] + stationary[3]:0%}).\n");
        if (recovery is not null)
            sb.Append("\nWhat the record says about recovery after an inadequate grade (descriptive: the groups were not assigned at random):\n\n").Append(RecoveryAfterInadequate.Markdown(recovery));
        return sb.ToString();
    }

    /// <summary>The fingerprint: the model version, the fit's settings, the SHA-256 of each data file, the estimates and their log-likelihood.</summary>
    public static JsonObject Fingerprint(GradeFitResult fit, string dataDirectory, ulong seed)
    {
        var files = new JsonObject();
        foreach (var (name, hash) in DataHashes(dataDirectory)) files[name] = hash;
        var estimates = new JsonObject();
        foreach (var e in fit.Estimates) estimates[e.Name] = e.Value;
        return new JsonObject
        {
            ["model_version"] = ModelVersion,
            ["known_at"] = fit.KnownAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["bootstrap"] = fit.Bootstrap,
            ["seed"] = seed,
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
            var path = Path.GetFullPath(Path.Combine(baseline, name));
            yield return (name, File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant() : "absent");
        }
    }

    private static string G(double v) => double.IsFinite(v) ? v.ToString("G5", CultureInfo.InvariantCulture) : "NaN";
}
