using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CareSim.Data.Baseline;
using CareSim.Estimation.Backtest;
using CareSim.Model.Outputs;
using CareSim.Model.Parameters;
using CareSim.Model.Time;

namespace CareSim.Estimation.Calibration;

/// <summary>
/// What a committed calibration (data/calibration) was produced from, so that a test can tell when
/// the current code and data would produce something else (docs/calibration.md#reproducing-the-committed-fit):
/// the SHA-256 of the baseline files read; the settings; every fitted parameter's default, range
/// and stage; the fitted values; and a <b>model probe</b>, the SHA-256 of a small projection at
/// the fitted values (three authorities, four replicas, two years from the data's end), which
/// changes whenever a change to the model changes the workforce or demand figures the fit compares.
/// </summary>
public static class CalibrationFingerprint
{
    public const string FileName = "fingerprint.json";

    /// <summary>The baseline files the calibration reads.</summary>
    public static IReadOnlyList<string> DataFiles { get; } = ["authorities.csv", "authority_years.csv", "england_years.csv", "inspections.csv"];

    private const int ProbeAuthorities = 3;
    private const int ProbeReplicas = 4;
    private const int ProbeMonths = 24;

    public static JsonObject Compute(CalibrationResult result, BaselineDataset data, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(result);
        var files = new JsonObject();
        foreach (var (name, hash) in DataHashes(dataDirectory))
            files[name] = hash;
        var parameters = new JsonObject();
        foreach (var p in result.Parameters)
        {
            parameters[p.Name] = new JsonObject
            {
                ["stage"] = p.Stage,
                ["default"] = p.Default,
                ["low"] = p.Low,
                ["high"] = p.High,
                ["fitted"] = p.Value,
            };
        }
        var o = result.Options;
        return new JsonObject
        {
            ["until"] = result.Until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["data_files"] = files,
            ["settings"] = new JsonObject
            {
                ["replicas"] = o.Replicas,
                ["report_replicas"] = o.ReportReplicas,
                ["seed"] = o.Seed,
                ["evaluations_per_parameter"] = o.EvaluationsPerParameter,
                ["stages"] = o.Stages is null ? "all" : string.Join(',', o.Stages),
                ["authorities"] = o.Authorities is null ? "all of England" : string.Join(';', o.Authorities),
            },
            ["parameters"] = parameters,
            ["model_probe"] = Probe(data, result.Until, result.Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal)),
        };
    }

    /// <summary>SHA-256 of each baseline file (under <c>baseline/</c> when the folder has one; "absent" when missing, e.g. for the official files).</summary>
    public static IEnumerable<(string Name, string Hash)> DataHashes(string dataDirectory)
    {
        var baseline = Directory.Exists(Path.Combine(dataDirectory, "baseline")) ? Path.Combine(dataDirectory, "baseline") : dataDirectory;
        foreach (var name in DataFiles)
        {
            var path = Path.Combine(baseline, name);
            yield return (name, File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant() : "absent");
        }
    }

    /// <summary>
    /// The SHA-256 of every sampled workforce and demand figure (6 significant digits) of a small
    /// projection from the data known at <paramref name="until"/>, with the given parameters.
    /// </summary>
    public static string Probe(BaselineDataset data, DateOnly until, IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(data);
        var window = DataWindow.Truncate(data, until);
        var codes = window.Authorities.Select(a => a.Code)
            .Where(c => window.ValueAsOf(c, Measures.SwFte, until) is not null && window.ValueAsOf(c, Measures.Population, until) is not null)
            .Order(StringComparer.Ordinal).Take(ProbeAuthorities).ToList();
        if (codes.Count == 0)
            return "no authority to probe";
        var reference = Forecaster.LatestReferenceDate(window, until) ?? until;
        var prepared = Forecaster.Prepare(data, new ForecastRequest
        {
            Origin = until,
            LastMonth = SimMonth.FromDate(reference).AddMonths(ProbeMonths),
            Replicas = ProbeReplicas,
            Seed = 1,
            Authorities = codes,
        });
        var result = Forecaster.Run(prepared, parameters, maxConcurrency: 1);
        var text = new StringBuilder();
        for (var a = 0; a < result.Codes.Count; a++)
        {
            for (var m = 0; m < result.HorizonMonths; m++)
            {
                var month = result.Start.AddMonths(m);
                foreach (var metric in Forecaster.SampledMetrics)
                {
                    if (result.Samples(a, metric, month) is not { } samples)
                        continue;
                    text.Append(result.Codes[a]).Append(' ').Append(month.ToString()).Append(' ').Append(metric.ToString());
                    foreach (var v in samples)
                        text.Append(' ').Append(v.ToString("G6", CultureInfo.InvariantCulture));
                    text.Append('\n');
                }
            }
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }
}
