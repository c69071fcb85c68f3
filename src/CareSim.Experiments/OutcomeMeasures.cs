using CareSim.Model.Time;

namespace CareSim.Experiments;

/// <summary>Whether more of a measure is better for children and services.</summary>
public enum Better
{
    Higher,
    Lower,
}

/// <summary>A per-replica outcome of a run, for one authority, that strategies are compared on.</summary>
public sealed record OutcomeMeasure(string Name, string Unit, Better Better, string Description);

/// <summary>
/// The outcome measures of comparisons, regret and sensitivity analyses. All are per replica and
/// per authority, computed over the outcome window (from the scenario's <c>outcomes_from</c> to
/// the end), so paired differences between strategies are well defined.
/// </summary>
public static class OutcomeMeasures
{
    public static readonly OutcomeMeasure PRequiresImprovement = new("p_ri_by_end", "probability", Better.Higher,
        "A full inspection graded requires improvement or better within the horizon.");
    public static readonly OutcomeMeasure PGood = new("p_good_by_end", "probability", Better.Higher,
        "A full inspection graded good or better within the horizon.");
    public static readonly OutcomeMeasure MonthsToRequiresImprovement = new("months_to_ri", "months (restricted mean)", Better.Lower,
        "Months to the first inspection graded requires improvement or better, counted as the horizon when not reached (a restricted mean).");
    public static readonly OutcomeMeasure MonthsToGood = new("months_to_good", "months (restricted mean)", Better.Lower,
        "Months to the first inspection graded good or better, counted as the horizon when not reached.");
    public static readonly OutcomeMeasure MedianMonthsToRequiresImprovement = new("median_months_to_ri", "months", Better.Lower,
        "Median months to requires improvement or better (the horizon plus one when fewer than half get there); difference and interval by paired bootstrap.");
    public static readonly OutcomeMeasure MedianMonthsToGood = new("median_months_to_good", "months", Better.Lower,
        "Median months to good or better (the horizon plus one when fewer than half get there); difference and interval by paired bootstrap.");
    public static readonly OutcomeMeasure Rereferrals = new("rereferral_rate", "share", Better.Lower,
        "Mean re-referral rate over the outcome window (children coming back).");
    public static readonly OutcomeMeasure LookedAfter = new("cla_per_10k", "per 10,000 children", Better.Lower,
        "Mean children looked after per 10,000 over the outcome window (fewer counted as better: drift in care is what inspections criticise).");
    public static readonly OutcomeMeasure Plans = new("cpp_per_10k", "per 10,000 children", Better.Lower,
        "Mean children on protection plans per 10,000 over the outcome window.");
    public static readonly OutcomeMeasure Quality = new("practice_quality", "0-1", Better.Higher,
        "Practice quality at the end of the run.");
    public static readonly OutcomeMeasure Turnover = new("turnover_rate", "share per year", Better.Lower,
        "Mean turnover over the outcome window.");
    public static readonly OutcomeMeasure AgencyRate = new("agency_rate", "share", Better.Lower,
        "Mean agency rate over the outcome window.");
    public static readonly OutcomeMeasure Caseload = new("caseload", "cases per FTE", Better.Lower,
        "Mean caseload over the outcome window.");
    public static readonly OutcomeMeasure Cost = new("cost", "GBP m", Better.Lower,
        "Total cost (workforce, intervention, programmes) over the outcome window.");

    /// <summary>The measures every comparison reports, in table order.</summary>
    public static IReadOnlyList<OutcomeMeasure> Standard { get; } =
    [
        PGood, PRequiresImprovement, MedianMonthsToGood, MedianMonthsToRequiresImprovement, MonthsToGood, MonthsToRequiresImprovement,
        Quality, Rereferrals, LookedAfter, Plans, Turnover, AgencyRate, Caseload, Cost,
    ];

    /// <summary>"p_good_by_2026-12": good or better by the end of that month.</summary>
    public static OutcomeMeasure GoodBy(SimMonth month) => new($"p_good_by_{month}", "probability", Better.Higher,
        $"A full inspection graded good or better by the end of {month}.");

    /// <summary>"p_ri_by_2026-12": requires improvement or better by the end of that month.</summary>
    public static OutcomeMeasure RequiresImprovementBy(SimMonth month) => new($"p_ri_by_{month}", "probability", Better.Higher,
        $"A full inspection graded requires improvement or better by the end of {month}.");

    public static bool TryFind(string name, IEnumerable<OutcomeMeasure> measures, out OutcomeMeasure measure)
    {
        measure = measures.FirstOrDefault(m => m.Name == name)!;
        return measure is not null;
    }
}
