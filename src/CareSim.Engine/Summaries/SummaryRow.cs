using CareSim.Model.Time;

namespace CareSim.Engine.Summaries;

/// <summary>One line of summary.csv: a metric's distribution over replicas for one authority and month.</summary>
public sealed record SummaryRow(string Authority, SimMonth Month, string Metric, double Mean, double[] Quantiles);

/// <summary>
/// The distribution over replicas of the months until an outcome (first inspection graded
/// requires improvement or better; good or better), counted from the plan's outcome origin.
/// Replicas that do not get there within the horizon are censored: a quantile that falls among
/// them is null ("beyond the horizon").
/// </summary>
public sealed record OutcomeSummary(
    string Authority,
    string Outcome,
    int Replicas,
    int HorizonMonths,
    double ShareWithinHorizon,
    double?[] Quantiles,
    IReadOnlyList<double> CumulativeShareByMonth);

/// <summary>Per-authority totals over the run.</summary>
public sealed record AuthorityTotals(string Authority, double MeanTotalCost, double[] TotalCostQuantiles, double[] FinalGradeShares);
