using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Outputs;

namespace CareSim.Model.Authority;

/// <summary>What the runner gives an authority block for a month: last month's market clearing and commissioner decisions.</summary>
public sealed record AuthorityMonthInput(int Month, MarketAllocation? Market, CommissionerDirective? Commissioner);

/// <summary>
/// What an authority block produces for a month: its metrics, its submission to the labour
/// market and its report to its commissioner. The arrays belong to the block and are valid
/// until its next month.
/// </summary>
public sealed record AuthorityMonthOutput(int Month, MetricFrame Metrics, MarketSubmission Market, CommissionerReport Commissioner);

/// <summary>Per-replica outcomes of an authority at the end of a run.</summary>
public sealed class AuthorityOutcomes
{
    /// <summary>Rebuilds from its arrays without copying (for serialisers).</summary>
    public AuthorityOutcomes(int[] monthsToRequiresImprovement, int[] monthsToGood, double[] totalCost, int[] finalGrade, int[] nextInspectionGrade, int[] monthsToNextInspection)
    {
        MonthsToRequiresImprovement = monthsToRequiresImprovement;
        MonthsToGood = monthsToGood;
        TotalCost = totalCost;
        FinalGrade = finalGrade;
        NextInspectionGrade = nextInspectionGrade;
        MonthsToNextInspection = monthsToNextInspection;
    }

    public AuthorityOutcomes(int count)
    {
        MonthsToRequiresImprovement = new int[count];
        MonthsToGood = new int[count];
        TotalCost = new double[count];
        FinalGrade = new int[count];
        NextInspectionGrade = new int[count];
        MonthsToNextInspection = new int[count];
    }

    /// <summary>Months from the outcome origin to the first full inspection graded requires improvement or better; -1 if none in the horizon.</summary>
    public int[] MonthsToRequiresImprovement { get; }
    /// <summary>Months from the outcome origin to the first full inspection graded good or better; -1 if none in the horizon.</summary>
    public int[] MonthsToGood { get; }
    /// <summary>Total cost over the run, GBP m.</summary>
    public double[] TotalCost { get; }
    /// <summary>Latest published grade at the end (<see cref="Plan.Grade"/>).</summary>
    public int[] FinalGrade { get; }
    /// <summary>Overall grade of the first full inspection from the outcome origin (<see cref="Plan.Grade"/>); -1 if none in the horizon.</summary>
    public int[] NextInspectionGrade { get; }
    /// <summary>Months from the outcome origin to that inspection; -1 if none in the horizon.</summary>
    public int[] MonthsToNextInspection { get; }
}
