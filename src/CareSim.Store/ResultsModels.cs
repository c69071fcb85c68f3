namespace CareSim.Store;

/// <summary>The state of a run: <c>queued</c>, <c>running</c>, <c>completed</c>, <c>failed</c> or <c>cancelled</c> (the store's and the API's words).</summary>
public static class RunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly string[] All = [Queued, Running, Completed, Failed, Cancelled];

    public static bool IsFinished(string status) => status is Completed or Failed or Cancelled;
}

/// <summary>What a results directory is: a run (<c>sim run</c>) or a comparison of strategies (<c>sim compare</c>).</summary>
public static class RunKind
{
    public const string Run = "run";
    public const string Comparison = "comparison";
}

/// <summary>A run as a store or a results directory describes it.</summary>
public sealed record RunRecord
{
    public required Guid Id { get; init; }
    public string Kind { get; init; } = RunKind.Run;
    public string? Scenario { get; init; }
    public string? ScenarioSha256 { get; init; }
    public required string Status { get; init; }
    public double Progress { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Completed { get; init; }
    public int? Replicas { get; init; }
    public ulong? Seed { get; init; }
    /// <summary>First simulated month, <c>YYYY-MM</c>.</summary>
    public string? Start { get; init; }
    public int? HorizonMonths { get; init; }
    public string? Engine { get; init; }
    public IReadOnlyList<string> Authorities { get; init; } = [];
    public IReadOnlyList<string> Metrics { get; init; } = [];
    /// <summary>For a strategy's run inside a comparison: the comparison's id and the strategy's name.</summary>
    public Guid? ParentId { get; init; }
    public string? Strategy { get; init; }
    /// <summary>A free text given at submission, to tell runs apart (e.g. "baseline, fitted grades").</summary>
    public string? Label { get; init; }
    /// <summary>The scenario's history_until (<c>YYYY-MM</c>): months before it replay known history, from it the run projects.</summary>
    public string? HistoryUntil { get; init; }
    /// <summary>The month the outcome clocks start from (<c>YYYY-MM</c>).</summary>
    public string? OutcomesFrom { get; init; }
    /// <summary>Authority names and regions by code (empty when not known).</summary>
    public IReadOnlyDictionary<string, string> AuthorityNames { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> AuthorityRegions { get; init; } = new Dictionary<string, string>();
}

/// <summary>One month of a summary series: mean and quantiles over replicas. <see cref="Month"/> is <c>YYYY-MM</c>.</summary>
public sealed record SeriesPoint(string Month, double Mean, double? P05, double? P10, double? P25, double? P50, double? P75, double? P90, double? P95);

/// <summary>A line of outcomes.csv. Quantiles are null when they fall beyond the horizon.</summary>
public sealed record OutcomeRecord(string Authority, string Outcome, int Replicas, int HorizonMonths, double ShareWithinHorizon,
    double? P10, double? P25, double? P50, double? P75, double? P90);

/// <summary>A line of outcome_cdf.csv: the share of replicas that reached the outcome within <see cref="Months"/> months.</summary>
public sealed record CdfPoint(string Authority, string Outcome, int Months, double ShareReached);

/// <summary>A line of totals.csv.</summary>
public sealed record TotalsRecord(string Authority, double MeanTotalCostGbpM, IReadOnlyDictionary<string, double?> TotalCostQuantiles,
    IReadOnlyDictionary<string, double?> FinalGradeShares);

/// <summary>A line of comparison.csv: a strategy against the baseline on one measure for one authority (<c>all</c> = across them).</summary>
public sealed record ComparisonRecord(string Strategy, string Authority, string Measure, string Unit, double? Baseline, double? Value,
    double? Difference, double? CiLow, double? CiHigh, double? PBeatsBaseline, int Rank);

/// <summary>A strategy of a comparison: its results are a normal run (in the store, <see cref="RunId"/>; on disk, <see cref="ResultsPath"/> relative to the comparison).</summary>
public sealed record StrategyRecord(string Name, string? Description, Guid? RunId, string? ResultsPath);
