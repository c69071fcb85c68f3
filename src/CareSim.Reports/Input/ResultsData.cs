using CareSim.Model.Time;

namespace CareSim.Reports.Input;

/// <summary>One month of a metric in summary.csv: the mean and quantiles over replicas.</summary>
public sealed record SummaryPoint(SimMonth Month, double Mean, double P05, double P10, double P25, double P50, double P75, double P90, double P95);

/// <summary>A metric of one authority over the months of the run, oldest first.</summary>
public sealed record MetricSeries(string Authority, string Metric, IReadOnlyList<SummaryPoint> Points)
{
    public SummaryPoint First => Points[0];
    public SummaryPoint Last => Points[^1];

    /// <summary>The point of a month, or null when the run has none.</summary>
    public SummaryPoint? At(SimMonth month)
    {
        var index = month.MonthsSince(Points[0].Month);
        if (index >= 0 && index < Points.Count && Points[index].Month == month) return Points[index];
        return Points.FirstOrDefault(p => p.Month == month);
    }
}

/// <summary>What manifest.json says about the run (the fields a report uses).</summary>
public sealed record ManifestInfo
{
    public required string Scenario { get; init; }
    public string? ScenarioFile { get; init; }
    public string? ScenarioSha256 { get; init; }
    public required string Seed { get; init; }
    public required int Replicas { get; init; }
    public required SimMonth Start { get; init; }
    public required int HorizonMonths { get; init; }
    public required IReadOnlyList<string> Authorities { get; init; }
    public string? Tool { get; init; }
    public string? ToolVersion { get; init; }
    public string? Engine { get; init; }
    public string? CreatedUtc { get; init; }
    public IReadOnlyDictionary<string, double> Parameters { get; init; } = new Dictionary<string, double>();
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> AuthorityParameters { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>();
    /// <summary>The month outcome clocks start from, when the manifest records it.</summary>
    public SimMonth? OutcomesFrom { get; init; }
    /// <summary>"run" (a results directory of 'sim run') or "comparison" (a comparison directory of 'sim compare').</summary>
    public string Kind { get; init; } = "run";
    /// <summary>The measure strategies are ranked on (comparison directories).</summary>
    public string? RankBy { get; init; }
    /// <summary>The strategies of a comparison directory, in the manifest's order.</summary>
    public IReadOnlyList<StrategyInfo> Strategies { get; init; } = [];
    /// <summary>Authority names by code, when the manifest records them.</summary>
    public IReadOnlyDictionary<string, string> AuthorityNames { get; init; } = new Dictionary<string, string>();
    /// <summary>Authority regions by code, when the manifest records them.</summary>
    public IReadOnlyDictionary<string, string> AuthorityRegions { get; init; } = new Dictionary<string, string>();

    /// <summary>The last simulated month.</summary>
    public SimMonth End => Start.AddMonths(HorizonMonths - 1);

    /// <summary>A parameter's value for an authority (its override, else the scenario's), or null.</summary>
    public double? Parameter(string authority, string name) =>
        AuthorityParameters.TryGetValue(authority, out var own) && own.TryGetValue(name, out var v) ? v
        : Parameters.TryGetValue(name, out var w) ? w
        : null;
}

/// <summary>A strategy of a comparison: its name, description and results directory (relative to the comparison directory).</summary>
public sealed record StrategyInfo(string Name, string? Description, string Results);

/// <summary>A row of outcomes.csv: months to an outcome for one authority.</summary>
public sealed record OutcomeRow(
    string Authority,
    string Outcome,
    int Replicas,
    int HorizonMonths,
    double ShareWithinHorizon,
    double? P10,
    double? P25,
    double? P50,
    double? P75,
    double? P90);

/// <summary>outcome_cdf.csv for one authority and outcome: <c>ShareByMonth[m]</c> is the share of replicas that got there within m months.</summary>
public sealed record OutcomeCdf(string Authority, string Outcome, IReadOnlyList<double> ShareByMonth)
{
    /// <summary>The share reached within <paramref name="months"/> months (the last value beyond the table).</summary>
    public double Within(int months) => months < 0 ? 0 : ShareByMonth[Math.Min(months, ShareByMonth.Count - 1)];
}

/// <summary>A row of totals.csv.</summary>
public sealed record TotalsRow(string Authority, double MeanTotalCost, double? TotalCostP10, double? TotalCostP90, IReadOnlyDictionary<string, double> FinalGradeShares);

/// <summary>A row of sensitivity.csv or sobol.csv: one parameter's effect on one outcome (of one authority, or all when null).</summary>
public interface IParameterEffect
{
    string? Authority { get; }
    string Parameter { get; }
    string Outcome { get; }
}

/// <summary>A row of sensitivity.csv (Morris elementary effects of one parameter on one outcome).</summary>
public sealed record SensitivityRow(string? Authority, string Parameter, string Outcome, double MuStar, double? Mu, double? Sigma, double? Low, double? High, string Unit) : IParameterEffect;

/// <summary>A row of sobol.csv (first and total order Sobol indices of one parameter on one outcome, with 95% bootstrap intervals).</summary>
public sealed record SobolRow(string? Authority, string Parameter, string Outcome, double First, double FirstLow, double FirstHigh,
    double Total, double TotalLow, double TotalHigh, double? Low, double? High, string Unit) : IParameterEffect;

/// <summary>A row of comparison.csv (one strategy against the baseline on one measure).</summary>
public sealed record ComparisonRow(
    string Strategy,
    string Authority,
    string Measure,
    string Unit,
    double? Baseline,
    double? Value,
    double Difference,
    double? CiLow,
    double? CiHigh,
    double? PBeatsBaseline,
    int? Rank);

/// <summary>Everything a report reads from a results directory.</summary>
public sealed class ResultsData
{
    public required string Directory { get; init; }
    public required ManifestInfo Manifest { get; init; }
    /// <summary>Metrics in the order they first appear in summary.csv.</summary>
    public required IReadOnlyList<string> Metrics { get; init; }
    public required IReadOnlyDictionary<(string Authority, string Metric), MetricSeries> Series { get; init; }
    public required IReadOnlyList<OutcomeRow> Outcomes { get; init; }
    public required IReadOnlyDictionary<(string Authority, string Outcome), OutcomeCdf> Cdfs { get; init; }
    public required IReadOnlyList<TotalsRow> Totals { get; init; }
    /// <summary>next_inspection.csv (when present): the share of replicas whose next full inspection gives each grade (or none).</summary>
    public IReadOnlyList<(string Authority, string Grade, double Share)> NextInspection { get; init; } = [];
    public IReadOnlyList<SensitivityRow>? Sensitivity { get; init; }
    public IReadOnlyList<SobolRow>? Sobol { get; init; }
    public IReadOnlyList<ComparisonRow>? Comparison { get; init; }
    /// <summary>Per strategy of a comparison directory (those whose results directory has outcome_cdf.csv): the cumulative shares.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<(string Authority, string Outcome), OutcomeCdf>> StrategyCdfs { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<(string Authority, string Outcome), OutcomeCdf>>();

    public bool IsComparison => Manifest.Kind == "comparison";

    /// <summary>The month the outcome clocks (months to requires improvement, to good) count from.</summary>
    public required SimMonth OutcomesFrom { get; init; }
    /// <summary>Where <see cref="OutcomesFrom"/> came from, for the report.</summary>
    public required string OutcomesFromSource { get; init; }

    public MetricSeries? Find(string authority, string metric) => Series.GetValueOrDefault((authority, metric));

    public IEnumerable<string> MetricsOf(string authority) => Metrics.Where(m => Series.ContainsKey((authority, m)));
}
