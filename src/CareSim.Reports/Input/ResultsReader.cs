using System.Globalization;
using System.Text.Json;
using CareSim.Engine.Results;
using CareSim.Model.Time;

namespace CareSim.Reports.Input;

/// <summary>
/// Reads and checks a results directory written by <c>sim run</c> (docs/results.md), plus the
/// optional sensitivity.csv, sobol.csv and comparison.csv. Nothing is written. Every problem throws a
/// <see cref="ReportInputException"/> naming the file and what was expected.
/// </summary>
public static class ResultsReader
{
    public const string SensitivityCsv = "sensitivity.csv";
    public const string SobolCsv = "sobol.csv";
    public const string ComparisonCsv = "comparison.csv";

    private const string WrittenByRun = "the file 'sim run' writes (docs/results.md)";

    private static readonly string[] SummaryColumns = ["authority", "month", "metric", "mean", "p05", "p10", "p25", "p50", "p75", "p90", "p95"];
    private static readonly string[] OutcomeColumns = ["authority", "outcome", "replicas", "horizon_months", "share_within_horizon", "p10", "p25", "p50", "p75", "p90"];
    private static readonly string[] CdfColumns = ["authority", "outcome", "months", "share_reached"];
    private static readonly string[] TotalsColumns = ["authority", "mean_total_cost_gbp_m"];
    public static IReadOnlyList<string> SensitivityColumns { get; } = ["parameter", "outcome", "mu_star", "mu", "sigma", "low", "high", "unit"];
    public static IReadOnlyList<string> SobolColumns { get; } =
        ["parameter", "outcome", "first_order", "first_low", "first_high", "total_order", "total_low", "total_high", "low", "high", "unit"];
    public static IReadOnlyList<string> ComparisonColumns { get; } =
        ["strategy", "authority", "measure", "unit", "baseline", "value", "difference", "ci_low", "ci_high", "p_beats_baseline", "rank"];

    public static ResultsData Read(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (File.Exists(directory))
            throw new ReportInputException($"{directory}: is a file; expected a results directory written by 'sim run' (summary.csv, outcomes.csv, outcome_cdf.csv, totals.csv, manifest.json).");
        if (!System.IO.Directory.Exists(directory))
            throw new ReportInputException($"{directory}: results directory not found; expected a folder written by 'sim run' (summary.csv, outcomes.csv, outcome_cdf.csv, totals.csv, manifest.json).");

        var manifest = ReadManifest(Path.Combine(directory, ResultsWriter.ManifestJson));
        var known = manifest.Authorities.ToHashSet(StringComparer.Ordinal);
        var sensitivityPath = Path.Combine(directory, SensitivityCsv);
        var comparisonPath = Path.Combine(directory, ComparisonCsv);
        var sobolPath = Path.Combine(directory, SobolCsv);
        if (manifest.Kind == "comparison")
        {
            // A comparison directory of 'sim compare': comparison.csv and strategies/<name>/ results directories.
            if (!File.Exists(comparisonPath))
                throw new ReportInputException($"{comparisonPath}: file not found; manifest.json says this is a comparison directory, which holds comparison.csv (written by 'sim compare').");
            var strategyCdfs = new Dictionary<string, IReadOnlyDictionary<(string, string), OutcomeCdf>>(StringComparer.Ordinal);
            foreach (var strategy in manifest.Strategies)
            {
                var cdfPath = Path.Combine(directory, strategy.Results, ResultsWriter.OutcomeCdfCsv);
                if (File.Exists(cdfPath)) strategyCdfs[strategy.Name] = ReadCdf(cdfPath, known);
            }
            return new ResultsData
            {
                Directory = Path.GetFullPath(directory),
                Manifest = manifest,
                Metrics = [],
                Series = new Dictionary<(string, string), MetricSeries>(),
                Outcomes = [],
                Cdfs = new Dictionary<(string, string), OutcomeCdf>(),
                Totals = [],
                Sensitivity = File.Exists(sensitivityPath) ? ReadSensitivity(sensitivityPath) : null,
                Sobol = File.Exists(sobolPath) ? ReadSobol(sobolPath) : null,
                Comparison = ReadComparison(comparisonPath),
                StrategyCdfs = strategyCdfs,
                OutcomesFrom = manifest.OutcomesFrom ?? manifest.Start,
                OutcomesFromSource = manifest.OutcomesFrom is null ? "the start of the run" : "manifest.json outcomes_from",
            };
        }

        var (metrics, series) = ReadSummary(Path.Combine(directory, ResultsWriter.SummaryCsv), known);
        foreach (var authority in manifest.Authorities)
        {
            if (!metrics.Any(m => series.ContainsKey((authority, m))))
                throw new ReportInputException($"{Path.Combine(directory, ResultsWriter.SummaryCsv)}: no rows for authority {authority}, which manifest.json lists; expected every authority of the run.");
        }
        var outcomes = ReadOutcomes(Path.Combine(directory, ResultsWriter.OutcomesCsv), known);
        var cdfs = ReadCdf(Path.Combine(directory, ResultsWriter.OutcomeCdfCsv), known);
        foreach (var o in outcomes)
        {
            if (!cdfs.ContainsKey((o.Authority, o.Outcome)))
                throw new ReportInputException($"{Path.Combine(directory, ResultsWriter.OutcomeCdfCsv)}: no rows for {o.Authority} {o.Outcome}, which outcomes.csv has; expected the cumulative share for every outcome.");
        }
        var totals = ReadTotals(Path.Combine(directory, ResultsWriter.TotalsCsv), known);
        var nextPath = Path.Combine(directory, ResultsWriter.NextInspectionCsv);
        var next = File.Exists(nextPath) ? ReadNextInspection(nextPath, known) : [];

        var (outcomesFrom, source) = OutcomeClockStart(manifest, outcomes, Path.Combine(directory, ResultsWriter.OutcomesCsv));
        return new ResultsData
        {
            Directory = Path.GetFullPath(directory),
            Manifest = manifest,
            Metrics = metrics,
            Series = series,
            Outcomes = outcomes,
            Cdfs = cdfs,
            Totals = totals,
            NextInspection = next,
            Sensitivity = File.Exists(sensitivityPath) ? ReadSensitivity(sensitivityPath) : null,
            Sobol = File.Exists(sobolPath) ? ReadSobol(sobolPath) : null,
            Comparison = File.Exists(comparisonPath) ? ReadComparison(comparisonPath) : null,
            OutcomesFrom = outcomesFrom,
            OutcomesFromSource = source,
        };
    }

    /// <summary>
    /// The month outcome clocks count from: the manifest's <c>outcomes_from</c> when it has one;
    /// otherwise the run's horizon less the outcome horizon of outcomes.csv (outcome clocks run
    /// from <c>outcomes_from</c> to the end of the run); otherwise the start.
    /// </summary>
    private static (SimMonth Month, string Source) OutcomeClockStart(ManifestInfo manifest, IReadOnlyList<OutcomeRow> outcomes, string outcomesPath)
    {
        if (manifest.OutcomesFrom is { } given) return (given, "manifest.json outcomes_from");
        if (outcomes.Count == 0) return (manifest.Start, "the start of the run");
        var horizons = outcomes.Select(o => o.HorizonMonths).Distinct().ToList();
        if (horizons.Count > 1)
            throw new ReportInputException($"{outcomesPath}: horizon_months differs between rows ({string.Join(", ", horizons)}); expected one outcome horizon for the run.");
        var offset = manifest.HorizonMonths - horizons[0];
        if (offset < 0 || offset > manifest.HorizonMonths)
            throw new ReportInputException($"{outcomesPath}: horizon_months {horizons[0]} is more than the run's {manifest.HorizonMonths} months (manifest.json); expected at most the run's horizon.");
        return (manifest.Start.AddMonths(offset), $"the outcome horizon in outcomes.csv, {horizons[0]} months, ends with the run");
    }

    // ---- manifest.json ----

    private static ManifestInfo ReadManifest(string path)
    {
        const string expected = "the manifest 'sim run' writes (snake_case JSON with scenario, seed, replicas, start, horizon_months, authorities)";
        if (!File.Exists(path))
            throw new ReportInputException($"{path}: file not found; expected {expected}.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new ReportInputException($"{path}: not valid JSON ({e.Message}); expected {expected}.", e);
        }
        catch (IOException e)
        {
            throw new ReportInputException($"{path}: cannot be read ({e.Message}); expected {expected}.", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ReportInputException($"{path}: the top level is {root.ValueKind}, not an object; expected {expected}.");

            JsonElement Required(string name, JsonValueKind kind, string what)
            {
                if (!root.TryGetProperty(name, out var e))
                    throw new ReportInputException($"{path}: missing \"{name}\"; expected {what}.");
                if (e.ValueKind != kind)
                    throw new ReportInputException($"{path}: \"{name}\" is {Describe(e)}; expected {what}.");
                return e;
            }
            string? OptionalString(string name) =>
                root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

            var scenario = Required("scenario", JsonValueKind.String, "the scenario name (a string)").GetString()!;
            var seed = Required("seed", JsonValueKind.Number, "the random seed (a whole number)");
            if (!seed.TryGetUInt64(out var seedValue))
                throw new ReportInputException($"{path}: \"seed\" is {seed.GetRawText()}; expected a whole number of at least 0.");
            var replicas = Required("replicas", JsonValueKind.Number, "the number of replicas (a whole number)");
            if (!replicas.TryGetInt32(out var replicaCount) || replicaCount < 1)
                throw new ReportInputException($"{path}: \"replicas\" is {replicas.GetRawText()}; expected a whole number of at least 1.");
            var startText = Required("start", JsonValueKind.String, "the first month (\"YYYY-MM\")").GetString();
            if (!SimMonth.TryParse(startText, out var start))
                throw new ReportInputException($"{path}: \"start\" is \"{startText}\"; expected a month (\"YYYY-MM\").");
            var horizon = Required("horizon_months", JsonValueKind.Number, "the number of months simulated (a whole number)");
            if (!horizon.TryGetInt32(out var horizonMonths) || horizonMonths < 1)
                throw new ReportInputException($"{path}: \"horizon_months\" is {horizon.GetRawText()}; expected a whole number of at least 1.");
            var authorities = new List<string>();
            foreach (var a in Required("authorities", JsonValueKind.Array, "the authority codes of the run (an array of strings)").EnumerateArray())
            {
                if (a.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(a.GetString()))
                    throw new ReportInputException($"{path}: \"authorities\" contains {Describe(a)}; expected authority codes (strings).");
                authorities.Add(a.GetString()!);
            }
            if (authorities.Count == 0)
                throw new ReportInputException($"{path}: \"authorities\" is empty; expected at least one authority code.");

            SimMonth? outcomesFrom = null;
            if (OptionalString("outcomes_from") is { } of)
            {
                if (!SimMonth.TryParse(of, out var m))
                    throw new ReportInputException($"{path}: \"outcomes_from\" is \"{of}\"; expected a month (\"YYYY-MM\").");
                outcomesFrom = m;
            }

            return new ManifestInfo
            {
                Scenario = scenario,
                ScenarioFile = OptionalString("scenario_file"),
                ScenarioSha256 = OptionalString("scenario_sha256"),
                Seed = seedValue.ToString(CultureInfo.InvariantCulture),
                Replicas = replicaCount,
                Start = start,
                HorizonMonths = horizonMonths,
                Authorities = authorities,
                Tool = OptionalString("tool"),
                ToolVersion = OptionalString("tool_version"),
                Engine = OptionalString("engine"),
                CreatedUtc = OptionalString("created_utc"),
                Parameters = Numbers(root, "parameters"),
                AuthorityParameters = root.TryGetProperty("authority_parameters", out var ap) && ap.ValueKind == JsonValueKind.Object
                    ? ap.EnumerateObject().ToDictionary(p => p.Name, p => (IReadOnlyDictionary<string, double>)Numbers(p.Value), StringComparer.Ordinal)
                    : new Dictionary<string, IReadOnlyDictionary<string, double>>(),
                OutcomesFrom = outcomesFrom,
                Kind = OptionalString("kind") ?? "run",
                RankBy = OptionalString("rank_by"),
                Strategies = root.TryGetProperty("strategies", out var strategies) && strategies.ValueKind == JsonValueKind.Array
                    ? strategies.EnumerateArray()
                        .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                        .Select(e => new StrategyInfo(e.GetProperty("name").GetString()!,
                            e.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null,
                            e.TryGetProperty("results", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : $"strategies/{e.GetProperty("name").GetString()}"))
                        .ToList()
                    : [],
                AuthorityNames = Strings(root, "authority_names"),
                AuthorityRegions = Strings(root, "authority_regions"),
            };
        }
    }

    /// <summary>A JSON object of strings (code to name, to region) as a dictionary; empty when absent.</summary>
    private static Dictionary<string, string> Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object
            ? map.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    private static Dictionary<string, double> Numbers(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) ? Numbers(e) : new Dictionary<string, double>(StringComparer.Ordinal);

    private static Dictionary<string, double> Numbers(JsonElement element)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (element.ValueKind != JsonValueKind.Object) return result;
        foreach (var p in element.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Number) result[p.Name] = p.Value.GetDouble();
        }
        return result;
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {e.GetRawText()}",
        _ => "null",
    };

    // ---- CSV files ----

    private static void CheckAuthority(CsvInput csv, int row, string authority, HashSet<string> known)
    {
        if (!known.Contains(authority))
            throw csv.Bad(row, "authority", $"'{authority}' is not an authority of the run (manifest.json lists {string.Join(", ", known)})");
    }

    private static (List<string> Metrics, Dictionary<(string, string), MetricSeries> Series) ReadSummary(string path, HashSet<string> known)
    {
        var csv = CsvInput.Read(path, SummaryColumns, $"{WrittenByRun}: one row per authority, month and metric");
        var metrics = new List<string>();
        var points = new Dictionary<(string, string), List<SummaryPoint>>();
        for (var r = 0; r < csv.RowCount; r++)
        {
            var authority = csv.Text(r, "authority");
            CheckAuthority(csv, r, authority, known);
            var metric = csv.Text(r, "metric");
            var point = new SummaryPoint(csv.Month(r, "month"), csv.Number(r, "mean"),
                csv.Number(r, "p05"), csv.Number(r, "p10"), csv.Number(r, "p25"), csv.Number(r, "p50"),
                csv.Number(r, "p75"), csv.Number(r, "p90"), csv.Number(r, "p95"));
            if (!points.TryGetValue((authority, metric), out var list))
            {
                points[(authority, metric)] = list = [];
                if (!metrics.Contains(metric)) metrics.Add(metric);
            }
            if (list.Count > 0 && list[^1].Month >= point.Month)
            {
                if (list.Any(p => p.Month == point.Month))
                    throw csv.BadRow(r, $"a second row for {authority} {metric} {point.Month}; expected one row per authority, month and metric");
                list.Add(point);
                list.Sort((a, b) => a.Month.CompareTo(b.Month));
            }
            else
            {
                list.Add(point);
            }
        }
        var series = points.ToDictionary(p => p.Key, p => new MetricSeries(p.Key.Item1, p.Key.Item2, p.Value));
        return (metrics, series);
    }

    private static List<OutcomeRow> ReadOutcomes(string path, HashSet<string> known)
    {
        var csv = CsvInput.Read(path, OutcomeColumns, $"{WrittenByRun}: months to each outcome per authority");
        var rows = new List<OutcomeRow>();
        for (var r = 0; r < csv.RowCount; r++)
        {
            var authority = csv.Text(r, "authority");
            CheckAuthority(csv, r, authority, known);
            var share = csv.Number(r, "share_within_horizon");
            if (share is < 0 or > 1) throw csv.Bad(r, "share_within_horizon", $"{share} is not a share; expected a number from 0 to 1");
            var row = new OutcomeRow(authority, csv.Text(r, "outcome"), csv.Integer(r, "replicas"), csv.Integer(r, "horizon_months"), share,
                csv.OptionalNumber(r, "p10"), csv.OptionalNumber(r, "p25"), csv.OptionalNumber(r, "p50"), csv.OptionalNumber(r, "p75"), csv.OptionalNumber(r, "p90"));
            if (row.HorizonMonths < 0) throw csv.Bad(r, "horizon_months", $"{row.HorizonMonths} is negative; expected a number of months");
            if (rows.Any(o => o.Authority == row.Authority && o.Outcome == row.Outcome))
                throw csv.BadRow(r, $"a second row for {row.Authority} {row.Outcome}; expected one row per authority and outcome");
            rows.Add(row);
        }
        return rows;
    }

    private static List<(string, string, double)> ReadNextInspection(string path, HashSet<string> known)
    {
        var csv = CsvInput.Read(path, ["authority", "grade", "share"], $"{WrittenByRun}: the grade of the next full inspection per authority");
        var rows = new List<(string, string, double)>();
        for (var r = 0; r < csv.RowCount; r++)
        {
            var authority = csv.Text(r, "authority");
            CheckAuthority(csv, r, authority, known);
            var share = csv.Number(r, "share");
            if (share is < 0 or > 1) throw csv.Bad(r, "share", $"{share} is not a share; expected a number from 0 to 1");
            rows.Add((authority, csv.Text(r, "grade"), share));
        }
        return rows;
    }

    private static Dictionary<(string, string), OutcomeCdf> ReadCdf(string path, HashSet<string> known)
    {
        var csv = CsvInput.Read(path, CdfColumns, $"{WrittenByRun}: the share of replicas reaching each outcome within 0, 1, 2, ... months");
        var shares = new Dictionary<(string, string), List<double>>();
        for (var r = 0; r < csv.RowCount; r++)
        {
            var authority = csv.Text(r, "authority");
            CheckAuthority(csv, r, authority, known);
            var outcome = csv.Text(r, "outcome");
            var months = csv.Integer(r, "months");
            var share = csv.Number(r, "share_reached");
            if (share is < 0 or > 1) throw csv.Bad(r, "share_reached", $"{share} is not a share; expected a number from 0 to 1");
            if (!shares.TryGetValue((authority, outcome), out var list)) shares[(authority, outcome)] = list = [];
            if (months != list.Count)
                throw csv.Bad(r, "months", $"{months} follows {list.Count - 1} for {authority} {outcome}; expected months 0, 1, 2, ... in order");
            if (list.Count > 0 && share < list[^1] - 1e-12)
                throw csv.Bad(r, "share_reached", $"{share} is less than the previous month's {list[^1]}; expected a cumulative share (never decreasing)");
            list.Add(share);
        }
        return shares.ToDictionary(s => s.Key, s => new OutcomeCdf(s.Key.Item1, s.Key.Item2, s.Value));
    }

    private static List<TotalsRow> ReadTotals(string path, HashSet<string> known)
    {
        var csv = CsvInput.Read(path, TotalsColumns, $"{WrittenByRun}: total cost and final grades per authority");
        var rows = new List<TotalsRow>();
        string[] grades = ["inadequate", "requires_improvement", "good", "outstanding"];
        for (var r = 0; r < csv.RowCount; r++)
        {
            var authority = csv.Text(r, "authority");
            CheckAuthority(csv, r, authority, known);
            var finals = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var g in grades)
            {
                if (csv.Has("final_p_" + g) && csv.OptionalNumber(r, "final_p_" + g) is { } v) finals[g] = v;
            }
            rows.Add(new TotalsRow(authority, csv.Number(r, "mean_total_cost_gbp_m"),
                csv.OptionalNumber(r, "total_cost_p10"), csv.OptionalNumber(r, "total_cost_p90"), finals));
        }
        return rows;
    }

    /// <summary>Reads sensitivity.csv (written by <c>sim sensitivity</c>): Morris elementary effects.</summary>
    public static IReadOnlyList<SensitivityRow> ReadSensitivity(string path)
    {
        var csv = CsvInput.Read(path, SensitivityColumns, "Morris elementary effects from 'sim sensitivity' (one row per parameter and outcome)");
        var rows = new List<SensitivityRow>();
        for (var r = 0; r < csv.RowCount; r++)
        {
            var muStar = csv.Number(r, "mu_star");
            if (double.IsNaN(muStar) || muStar < 0) throw csv.Bad(r, "mu_star", $"{csv.Text(r, "mu_star")} is negative or not a number; expected the mean absolute elementary effect (0 or more)");
            rows.Add(new SensitivityRow(csv.Has("authority") ? NullIfEmpty(csv.Text(r, "authority", required: false)) : null,
                csv.Text(r, "parameter"), csv.Text(r, "outcome"), muStar,
                csv.OptionalNumber(r, "mu"), csv.OptionalNumber(r, "sigma"), csv.OptionalNumber(r, "low"), csv.OptionalNumber(r, "high"),
                csv.Text(r, "unit", required: false)));
        }
        return rows;
    }

    /// <summary>Reads sobol.csv (written by <c>sim sensitivity --method sobol</c>): first and total order indices with 95% intervals.</summary>
    public static IReadOnlyList<SobolRow> ReadSobol(string path)
    {
        var csv = CsvInput.Read(path, SobolColumns, "Sobol indices from 'sim sensitivity --method sobol' (one row per parameter and outcome)");
        var rows = new List<SobolRow>();
        for (var r = 0; r < csv.RowCount; r++)
        {
            var index = new Dictionary<string, double>();
            foreach (var column in SobolColumns.Skip(2).Take(6))
            {
                var v = csv.Number(r, column);
                if (!double.IsFinite(v)) throw csv.Bad(r, column, $"{csv.Text(r, column)} is not a number; expected a Sobol index or its interval bound");
                index[column] = v;
            }
            if (index["total_order"] < 0) throw csv.Bad(r, "total_order", $"{index["total_order"]} is negative; expected a total-order index (0 or more)");
            foreach (var (lo, hi) in new[] { ("first_low", "first_high"), ("total_low", "total_high") })
                if (index[lo] > index[hi]) throw csv.Bad(r, lo, $"{index[lo]} is above {hi} {index[hi]}; expected {lo} <= {hi}");
            rows.Add(new SobolRow(csv.Has("authority") ? NullIfEmpty(csv.Text(r, "authority", required: false)) : null, csv.Text(r, "parameter"), csv.Text(r, "outcome"),
                index["first_order"], index["first_low"], index["first_high"], index["total_order"], index["total_low"], index["total_high"],
                csv.OptionalNumber(r, "low"), csv.OptionalNumber(r, "high"), csv.Text(r, "unit", required: false)));
        }
        return rows;
    }

    /// <summary>Reads comparison.csv (strategies against the baseline).</summary>
    public static IReadOnlyList<ComparisonRow> ReadComparison(string path)
    {
        var csv = CsvInput.Read(path, ComparisonColumns, "strategies compared with the baseline (one row per strategy, authority and measure)");
        var rows = new List<ComparisonRow>();
        for (var r = 0; r < csv.RowCount; r++)
        {
            var rank = csv.OptionalNumber(r, "rank");
            if (rank is { } k && (k != Math.Floor(k) || k < 1)) throw csv.Bad(r, "rank", $"{k} is not a rank; expected a whole number of at least 1 (or empty)");
            var p = csv.OptionalNumber(r, "p_beats_baseline");
            if (p is < 0 or > 1) throw csv.Bad(r, "p_beats_baseline", $"{p} is not a probability; expected a number from 0 to 1 (or empty)");
            var row = new ComparisonRow(csv.Text(r, "strategy"), csv.Text(r, "authority"), csv.Text(r, "measure"), csv.Text(r, "unit", required: false),
                csv.OptionalNumber(r, "baseline"), csv.OptionalNumber(r, "value"), csv.Number(r, "difference"),
                csv.OptionalNumber(r, "ci_low"), csv.OptionalNumber(r, "ci_high"), p, rank is { } rk ? (int)rk : null);
            if (row.CiLow is { } lo && row.CiHigh is { } hi && lo > hi)
                throw csv.Bad(r, "ci_low", $"{lo} is above ci_high {hi}; expected ci_low <= ci_high");
            rows.Add(row);
        }
        return rows;
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
