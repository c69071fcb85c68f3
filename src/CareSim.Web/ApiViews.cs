using CareSim.Store;

namespace CareSim.Web;

// What the API returns (docs/api.md). JSON names are snake_case. Measured values are nullable
// numbers: null means there is no value (a quantile beyond the horizon, or a value that is not a
// number, such as a rate over nothing); NaN and infinities never leave the server.

/// <summary>A run as the API shows it.</summary>
public sealed record RunView(
    string Id, string Kind, string? Scenario, string? ScenarioSha256, string Status, double Progress, string? Error,
    DateTimeOffset? Created, DateTimeOffset? Started, DateTimeOffset? Completed, int? Replicas, ulong? Seed, string? Start,
    int? HorizonMonths, string? Engine, IReadOnlyList<string> Authorities, IReadOnlyList<string> Metrics, string? Parent, string? Strategy, string? Label,
    string? HistoryUntil, string? OutcomesFrom, IReadOnlyDictionary<string, string> AuthorityNames, IReadOnlyDictionary<string, string> AuthorityRegions)
{
    public static RunView From(RunRecord r) => new(RunIds.Format(r.Id), r.Kind, r.Scenario, r.ScenarioSha256, r.Status,
        double.IsFinite(r.Progress) ? Math.Clamp(r.Progress, 0, 1) : 0, r.Error,
        r.Created, r.Started, r.Completed, r.Replicas, r.Seed, r.Start, r.HorizonMonths, r.Engine, r.Authorities, r.Metrics,
        r.ParentId is { } p ? RunIds.Format(p) : null, r.Strategy, r.Label, r.HistoryUntil, r.OutcomesFrom, r.AuthorityNames, r.AuthorityRegions);
}

/// <summary>A page of runs: <see cref="Total"/> is how many match the filters.</summary>
public sealed record RunList(IReadOnlyList<RunView> Runs, int Total, int Offset, int Limit);

/// <summary>One month of a series: mean and quantiles over replicas (null: no value).</summary>
public sealed record SeriesPointView(string Month, double? Mean, double? P05, double? P10, double? P25, double? P50, double? P75, double? P90, double? P95)
{
    public static SeriesPointView From(SeriesPoint p) =>
        new(p.Month, Finite.Or(p.Mean), Finite.Or(p.P05), Finite.Or(p.P10), Finite.Or(p.P25), Finite.Or(p.P50), Finite.Or(p.P75), Finite.Or(p.P90), Finite.Or(p.P95));
}

public sealed record SeriesView(string RunId, string? Strategy, string Authority, string Metric, string Unit, string Source, IReadOnlyList<SeriesPointView> Points);

/// <summary>Months to an outcome: the share of replicas that reached it within the horizon, and quantiles (null beyond the horizon).</summary>
public sealed record OutcomeView(string Authority, string Outcome, int Replicas, int HorizonMonths, double ShareWithinHorizon,
    double? P10, double? P25, double? P50, double? P75, double? P90)
{
    public static OutcomeView From(OutcomeRecord o) => new(o.Authority, o.Outcome, o.Replicas, o.HorizonMonths, o.ShareWithinHorizon,
        Finite.Or(o.P10), Finite.Or(o.P25), Finite.Or(o.P50), Finite.Or(o.P75), Finite.Or(o.P90));
}

public sealed record OutcomesView(string RunId, string Source, IReadOnlyList<OutcomeView> Outcomes);

public sealed record CdfPointView(string Authority, string Outcome, int Months, double ShareReached)
{
    public static CdfPointView From(CdfPoint c) => new(c.Authority, c.Outcome, c.Months, c.ShareReached);
}

public sealed record OutcomeCdfView(string RunId, string Source, IReadOnlyList<CdfPointView> Points);

/// <summary>Per authority: the total cost over the run (GBP m; mean and quantiles over replicas) and the share of replicas ending with each latest grade.</summary>
public sealed record TotalsRow(string Authority, double? MeanTotalCostGbpM,
    double? TotalCostP05, double? TotalCostP10, double? TotalCostP25, double? TotalCostP50, double? TotalCostP75, double? TotalCostP90, double? TotalCostP95,
    double? FinalPInadequate, double? FinalPRequiresImprovement, double? FinalPGood, double? FinalPOutstanding)
{
    public static TotalsRow From(TotalsRecord t)
    {
        double? Q(string name) => Finite.Or(t.TotalCostQuantiles.GetValueOrDefault(name));
        double? G(string name) => Finite.Or(t.FinalGradeShares.GetValueOrDefault(name));
        return new(t.Authority, Finite.Or(t.MeanTotalCostGbpM), Q("p05"), Q("p10"), Q("p25"), Q("p50"), Q("p75"), Q("p90"), Q("p95"),
            G("inadequate"), G("requires_improvement"), G("good"), G("outstanding"));
    }
}

public sealed record TotalsView(string RunId, string Source, IReadOnlyList<TotalsRow> Totals);

/// <summary>A strategy against the baseline on one measure for one authority (<c>all</c>: across them).</summary>
public sealed record ComparisonRow(string Strategy, string Authority, string Measure, string Unit, double? Baseline, double? Value,
    double? Difference, double? CiLow, double? CiHigh, double? PBeatsBaseline, int Rank)
{
    public static ComparisonRow From(ComparisonRecord c) => new(c.Strategy, c.Authority, c.Measure, c.Unit, Finite.Or(c.Baseline), Finite.Or(c.Value),
        Finite.Or(c.Difference), Finite.Or(c.CiLow), Finite.Or(c.CiHigh), Finite.Or(c.PBeatsBaseline), c.Rank);
}

public sealed record ComparisonView(string RunId, string Source, IReadOnlyList<ComparisonRow> Rows);

public sealed record StrategyView(string Name, string? Description, string? RunId);

public sealed record StrategiesView(string RunId, string Source, IReadOnlyList<StrategyView> Strategies);

public sealed record ReportFileView(string Name, string Url);

public sealed record ReportView(string RunId, IReadOnlyList<ReportFileView> Files);

/// <summary>A file to download: its name, media type, size in bytes and where.</summary>
public sealed record DownloadView(string Name, string MediaType, long Bytes, string Url);

/// <summary>An authority's hex on the dashboard's map (and the report's): column and row of a grid of pointy-top hexes, odd rows shifted right by half a hex.</summary>
public sealed record HexCellView(string Code, string Name, string Region, int Column, int Row);

public sealed record HexMapView(string RunId, IReadOnlyList<HexCellView> Cells);

public sealed record FilesView(string RunId, IReadOnlyList<DownloadView> Files);

/// <summary>A metric: its name, unit and meaning, and how to show it (a short label, an axis label, whether it is a share shown in %).</summary>
public sealed record MetricView(string Name, string Unit, string Description, string Label, string AxisLabel, bool IsShare);

/// <summary>An official figure: the date it refers to (<c>YYYY-MM-DD</c>), its month (<c>YYYY-MM</c>) and value, on the metric's scale.</summary>
public sealed record ObservedPointView(string Date, string Month, int Year, double Value);

/// <summary>An authority's official figures of a metric (DfE), from the server's baseline dataset; <see cref="Source"/> null and no points when the server has none.</summary>
public sealed record ObservedView(string Authority, string Metric, string? Source, string? ReferenceDay, IReadOnlyList<ObservedPointView> Points);

/// <summary>
/// Every error response (application/problem+json, RFC 9457). Declared in the OpenAPI document;
/// the responses themselves are written by ASP.NET Core's problem details (which may add
/// <c>traceId</c>).
/// </summary>
public sealed class ApiProblem
{
    public string? Type { get; init; }
    public string? Title { get; init; }
    public int? Status { get; init; }
    /// <summary>All the problems in one line.</summary>
    public string? Detail { get; init; }
    public string? Instance { get; init; }
    /// <summary>For bad requests: each problem, with its place in the scenario or the request.</summary>
    public IReadOnlyList<RequestError>? Errors { get; init; }
}

/// <summary>Numbers as the API writes them: finite, or null.</summary>
public static class Finite
{
    public static double? Or(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
