using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CareSim.Engine.Results;

namespace CareSim.Store;

/// <summary>
/// Reads a results directory (<c>sim run</c>) or a comparison directory (<c>sim compare</c>:
/// <c>"kind": "comparison"</c> in manifest.json, comparison.csv and one results directory per
/// strategy under <c>strategies/&lt;name&gt;/</c>). Files are streamed, never held whole.
/// Names that come from outside (strategy and report file names) are checked against the
/// directory's own listing before any path is built from them.
/// </summary>
public sealed partial class ResultsDirectory
{
    public const string ComparisonCsv = "comparison.csv";
    public const string StrategiesFolder = "strategies";
    public const string ReportFolder = "report";

    private static readonly string[] ReportExtensions = [".png", ".svg", ".md"];

    private ResultsDirectory(string path, ManifestInfo manifest, string manifestJson)
    {
        FullPath = path;
        Manifest = manifest;
        ManifestJson = manifestJson;
    }

    public string FullPath { get; }

    public ManifestInfo Manifest { get; }

    /// <summary>manifest.json as written.</summary>
    public string ManifestJson { get; }

    public string Kind => Manifest.Kind;

    /// <summary>Opens a committed results directory; null when it has no manifest.json (not a results directory, or not committed).</summary>
    public static ResultsDirectory? TryOpen(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var manifestPath = System.IO.Path.Combine(full, ResultsWriter.ManifestJson);
        if (!File.Exists(manifestPath)) return null;
        var json = File.ReadAllText(manifestPath);
        return new ResultsDirectory(full, ManifestInfo.Parse(json, manifestPath), json);
    }

    /// <summary>Opens a committed results directory or throws.</summary>
    public static ResultsDirectory Open(string path) =>
        TryOpen(path) ?? throw new DirectoryNotFoundException($"'{path}' is not a results directory (no {ResultsWriter.ManifestJson})");

    /// <summary>The run as a <see cref="RunRecord"/> (status completed: a directory exists only once committed).</summary>
    public RunRecord Describe(Guid id) => new()
    {
        Id = id,
        Kind = Manifest.Kind,
        Scenario = Manifest.Scenario,
        ScenarioSha256 = Manifest.ScenarioSha256,
        Status = RunStatus.Completed,
        Progress = 1,
        Created = Manifest.CreatedUtc,
        Completed = Manifest.CreatedUtc,
        Replicas = Manifest.Replicas,
        Seed = Manifest.Seed,
        Start = Manifest.Start,
        HorizonMonths = Manifest.HorizonMonths,
        Engine = Manifest.Engine,
        Authorities = Manifest.Authorities,
        Metrics = Manifest.Metrics,
        Label = Manifest.Label,
        HistoryUntil = Manifest.HistoryUntil,
        OutcomesFrom = Manifest.OutcomesFrom,
        AuthorityNames = Manifest.AuthorityNames,
        AuthorityRegions = Manifest.AuthorityRegions,
    };

    private string File_(string name) => System.IO.Path.Combine(FullPath, name);

    /// <summary>Every line of summary.csv, in file order (authority, month, metric, point).</summary>
    public IEnumerable<(string Authority, string Metric, SeriesPoint Point)> ReadSummary()
    {
        using var csv = ResultsCsv.Open(File_(ResultsWriter.SummaryCsv));
        int authority = csv.Column("authority"), month = csv.Column("month"), metric = csv.Column("metric"), mean = csv.Column("mean");
        var q = new[] { "p05", "p10", "p25", "p50", "p75", "p90", "p95" }.Select(csv.Column).ToArray();
        while (csv.Next() is { } r)
            yield return (r[authority], r[metric], new SeriesPoint(r[month], csv.Double(r, mean),
                csv.NullableDouble(r, q[0]), csv.NullableDouble(r, q[1]), csv.NullableDouble(r, q[2]), csv.NullableDouble(r, q[3]),
                csv.NullableDouble(r, q[4]), csv.NullableDouble(r, q[5]), csv.NullableDouble(r, q[6])));
    }

    /// <summary>One authority's series of one metric, month by month.</summary>
    public IReadOnlyList<SeriesPoint> ReadSeries(string authority, string metric) =>
        ReadSummary().Where(l => l.Authority == authority && l.Metric == metric).Select(l => l.Point).ToList();

    public IEnumerable<OutcomeRecord> ReadOutcomes()
    {
        using var csv = ResultsCsv.Open(File_(ResultsWriter.OutcomesCsv));
        int authority = csv.Column("authority"), outcome = csv.Column("outcome"), replicas = csv.Column("replicas"),
            horizon = csv.Column("horizon_months"), share = csv.Column("share_within_horizon"),
            p10 = csv.Column("p10"), p25 = csv.Column("p25"), p50 = csv.Column("p50"), p75 = csv.Column("p75"), p90 = csv.Column("p90");
        while (csv.Next() is { } r)
            yield return new OutcomeRecord(r[authority], r[outcome], csv.Int(r, replicas), csv.Int(r, horizon), csv.Double(r, share),
                csv.NullableDouble(r, p10), csv.NullableDouble(r, p25), csv.NullableDouble(r, p50), csv.NullableDouble(r, p75), csv.NullableDouble(r, p90));
    }

    public IEnumerable<CdfPoint> ReadOutcomeCdf()
    {
        using var csv = ResultsCsv.Open(File_(ResultsWriter.OutcomeCdfCsv));
        int authority = csv.Column("authority"), outcome = csv.Column("outcome"), months = csv.Column("months"), share = csv.Column("share_reached");
        while (csv.Next() is { } r)
            yield return new CdfPoint(r[authority], r[outcome], csv.Int(r, months), csv.Double(r, share));
    }

    public IEnumerable<TotalsRecord> ReadTotals()
    {
        using var csv = ResultsCsv.Open(File_(ResultsWriter.TotalsCsv));
        var authority = csv.Column("authority");
        var mean = csv.Column("mean_total_cost_gbp_m");
        var quantiles = csv.Header.Select((h, i) => (h, i)).Where(c => c.h.StartsWith("total_cost_", StringComparison.Ordinal)).ToList();
        var grades = csv.Header.Select((h, i) => (h, i)).Where(c => c.h.StartsWith("final_p_", StringComparison.Ordinal)).ToList();
        while (csv.Next() is { } r)
            yield return new TotalsRecord(r[authority], csv.Double(r, mean),
                quantiles.ToDictionary(c => c.h["total_cost_".Length..], c => csv.NullableDouble(r, c.i)),
                grades.ToDictionary(c => c.h["final_p_".Length..], c => csv.NullableDouble(r, c.i)));
    }

    /// <summary>The lines of comparison.csv (a comparison directory only).</summary>
    public IEnumerable<ComparisonRecord> ReadComparison()
    {
        RequireComparison();
        using var csv = ResultsCsv.Open(File_(ComparisonCsv));
        int strategy = csv.Column("strategy"), authority = csv.Column("authority"), measure = csv.Column("measure"), unit = csv.Column("unit"),
            baseline = csv.Column("baseline"), value = csv.Column("value"), difference = csv.Column("difference"), low = csv.Column("ci_low"),
            high = csv.Column("ci_high"), beats = csv.Column("p_beats_baseline"), rank = csv.Column("rank");
        while (csv.Next() is { } r)
            yield return new ComparisonRecord(r[strategy], r[authority], r[measure], r[unit], csv.NullableDouble(r, baseline), csv.NullableDouble(r, value),
                csv.NullableDouble(r, difference), csv.NullableDouble(r, low), csv.NullableDouble(r, high), csv.NullableDouble(r, beats), csv.Int(r, rank));
    }

    /// <summary>The strategies of a comparison whose results directory exists, in manifest order.</summary>
    public IReadOnlyList<StrategyRecord> Strategies()
    {
        RequireComparison();
        return Manifest.Strategies
            .Where(s => StrategyDirectory(s.Name) is not null)
            .Select(s => new StrategyRecord(s.Name, s.Description, null, $"{StrategiesFolder}/{s.Name}"))
            .ToList();
    }

    /// <summary>A strategy's results directory, or null when <paramref name="name"/> is not one of this comparison's strategies.</summary>
    public ResultsDirectory? Strategy(string name) => StrategyDirectory(name) is { } path ? TryOpen(path) : null;

    private string? StrategyDirectory(string name)
    {
        if (Kind != RunKind.Comparison || !IsSafeName(name) || Manifest.Strategies.All(s => s.Name != name)) return null;
        var root = System.IO.Path.Combine(FullPath, StrategiesFolder);
        if (!IsRealDirectory(root)) return null;
        // The name must be one of the folder's own entries (exact, ordinal, not a link): nothing else reaches a path.
        var match = new DirectoryInfo(root).EnumerateDirectories().Where(d => d.LinkTarget is null).Select(d => d.Name)
            .FirstOrDefault(n => string.Equals(n, name, StringComparison.Ordinal));
        return match is null ? null : System.IO.Path.Combine(root, match);
    }

    /// <summary>The chart and report files in the directory's <c>report/</c> folder (PNG, SVG, Markdown), sorted by name. Links are never followed.</summary>
    public IReadOnlyList<string> ReportFiles() => PlainFiles(System.IO.Path.Combine(FullPath, ReportFolder), ReportExtensions);

    /// <summary>The files of the results directory itself that can be downloaded (tables as CSV and Parquet, manifest, Markdown), sorted by name. Links are never followed.</summary>
    public IReadOnlyList<string> DataFiles() => PlainFiles(FullPath, DataExtensions);

    /// <summary>Full path of data file <paramref name="name"/>, or null unless it is one of <see cref="DataFiles"/>.</summary>
    public string? DataFile(string name)
    {
        var match = DataFiles().FirstOrDefault(n => string.Equals(n, name, StringComparison.Ordinal));
        return match is null ? null : System.IO.Path.Combine(FullPath, match);
    }

    private static readonly string[] DataExtensions = [".csv", ".parquet", ".json", ".md"];

    /// <summary>Regular files (not links) of a folder that is not itself a link, with safe names and one of the extensions.</summary>
    private static IReadOnlyList<string> PlainFiles(string folder, string[] extensions)
    {
        if (!IsRealDirectory(folder)) return [];
        return new DirectoryInfo(folder).EnumerateFiles()
            .Where(f => f.LinkTarget is null && IsSafeName(f.Name) && extensions.Contains(f.Extension.ToLowerInvariant()))
            .Select(f => f.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsRealDirectory(string path) => Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null;

    /// <summary>Full path of report file <paramref name="name"/>, or null unless it is one of <see cref="ReportFiles"/>.</summary>
    public string? ReportFile(string name)
    {
        var match = ReportFiles().FirstOrDefault(n => string.Equals(n, name, StringComparison.Ordinal));
        return match is null ? null : System.IO.Path.Combine(FullPath, ReportFolder, match);
    }

    /// <summary>A plain file or folder name: letters, digits, '_', '-', '.', not starting with '.', at most 128 characters.</summary>
    public static bool IsSafeName(string? name) => name is not null && SafeName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();

    private void RequireComparison()
    {
        if (Kind != RunKind.Comparison) throw new InvalidOperationException($"{FullPath} is a {Kind}, not a comparison");
    }
}

/// <summary>The fields of manifest.json that the store and the API use (runs and comparisons).</summary>
public sealed record ManifestInfo
{
    public string Kind { get; init; } = RunKind.Run;
    public string? Scenario { get; init; }
    public string? ScenarioSha256 { get; init; }
    public ulong? Seed { get; init; }
    public int? Replicas { get; init; }
    public string? Start { get; init; }
    public int? HorizonMonths { get; init; }
    public string? Engine { get; init; }
    public string? ToolVersion { get; init; }
    public DateTimeOffset? CreatedUtc { get; init; }
    public IReadOnlyList<string> Authorities { get; init; } = [];
    public IReadOnlyList<string> Metrics { get; init; } = [];
    /// <summary>The run id recorded in the manifest's <c>extra.run_id</c> (sim run --run-id, the API), if any.</summary>
    public Guid? RunId { get; init; }
    public string? HistoryUntil { get; init; }
    public string? OutcomesFrom { get; init; }
    public IReadOnlyDictionary<string, string> AuthorityNames { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> AuthorityRegions { get; init; } = new Dictionary<string, string>();
    /// <summary>The label given at submission (<c>extra.label</c>), if any.</summary>
    public string? Label { get; init; }
    /// <summary><c>api</c> when <c>sim serve</c> wrote the directory for a submitted run (<c>extra.submitted_through</c>).</summary>
    public string? SubmittedThrough { get; init; }
    public IReadOnlyList<(string Name, string? Description)> Strategies { get; init; } = [];

    public static ManifestInfo Parse(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: not a JSON object");
            var kind = String(root, "kind") ?? RunKind.Run;
            if (kind is not (RunKind.Run or RunKind.Comparison)) throw new InvalidDataException($"{source}: unknown kind '{kind}'");
            Guid? runId = null;
            var hasExtra = root.TryGetProperty("extra", out var extra) && extra.ValueKind == JsonValueKind.Object;
            if (hasExtra && String(extra, "run_id") is { } text && Guid.TryParse(text, out var parsed)) runId = parsed;
            return new ManifestInfo
            {
                Kind = kind,
                Scenario = String(root, "scenario"),
                ScenarioSha256 = String(root, "scenario_sha256"),
                Seed = root.TryGetProperty("seed", out var seed) && seed.ValueKind == JsonValueKind.Number && seed.TryGetUInt64(out var s) ? s : null,
                Replicas = Int(root, "replicas"),
                Start = String(root, "start"),
                HorizonMonths = Int(root, "horizon_months"),
                Engine = String(root, "engine"),
                ToolVersion = String(root, "tool_version"),
                CreatedUtc = String(root, "created_utc") is { } created && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) ? c : null,
                Authorities = Strings(root, "authorities"),
                Metrics = Strings(root, "metrics"),
                RunId = runId,
                Label = hasExtra ? String(extra, "label") : null,
                HistoryUntil = String(root, "history_until") ?? String(root, "decision_month"),
                OutcomesFrom = String(root, "outcomes_from"),
                AuthorityNames = StringMap(root, "authority_names"),
                AuthorityRegions = StringMap(root, "authority_regions"),
                SubmittedThrough = hasExtra ? String(extra, "submitted_through") : null,
                Strategies = root.TryGetProperty("strategies", out var strategies) && strategies.ValueKind == JsonValueKind.Array
                    ? strategies.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object && String(e, "name") is not null)
                        .Select(e => (String(e, "name")!, String(e, "description"))).ToList()
                    : [],
            };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON: {e.Message}", e);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : null;

    /// <summary>A JSON object of strings (code to name) as a dictionary; empty when absent.</summary>
    public static Dictionary<string, string> StringMap(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
}
