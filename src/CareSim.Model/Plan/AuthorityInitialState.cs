namespace CareSim.Model.Plan;

/// <summary>
/// An authority's state at the scenario start, in the units of the official statistics
/// (rates per 10,000 children, FTE, shares). Missing optional values fall back to national
/// defaults (parameters named default_*).
/// </summary>
public sealed record AuthorityInitialState
{
    // Demand (DfE children in need, referrals, child protection, looked after; at 31 March).
    public required double Population { get; init; }
    public double PopulationGrowthPerYear { get; init; }
    public required double ReferralsPer10k { get; init; }
    public double RereferralShare { get; init; } = 0.22;
    /// <summary>Share of referrals that start a child-in-need episode (1 - no further action - not in need).</summary>
    public double CinStartShare { get; init; } = 0.63;
    /// <summary>Share of referrals with no further action; the rest are assessed (England 2023: 7.1%).</summary>
    public double NoFurtherActionShare { get; init; } = 0.071;
    public required double CinPer10k { get; init; }
    public required double CppPer10k { get; init; }
    public required double ClaPer10k { get; init; }
    /// <summary>Child protection plans started in the year, per 10,000 children.</summary>
    public double? CppStartsPer10k { get; init; }
    /// <summary>Children starting to be looked after in the year, per 10,000.</summary>
    public double? ClaStartsPer10k { get; init; }
    /// <summary>Children ceasing to be looked after in the year, per 10,000.</summary>
    public double? ClaCeasedPer10k { get; init; }

    // Workforce (DfE children's social work workforce; at 30 September).
    public required double SocialWorkerFte { get; init; }
    public required double AgencyFte { get; init; }
    public required double VacancyFte { get; init; }
    public double? TurnoverRate { get; init; }
    public required double Caseload { get; init; }
    public double? CaseHolderShare { get; init; }
    public double? AbsenceRate { get; init; }
    public double? NoviceShare { get; init; }
    public double? AcademyIntakePerYear { get; init; }

    // Finance.
    public double? BudgetGbpM { get; init; }

    // Practice (optional; derived from the grade history when absent).
    /// <summary>Mean practice quality at the start (0-1 scale of the model); overrides the grade-based prior.</summary>
    public double? Quality { get; init; }
    /// <summary>Culture of non-compliance at the start (0-1).</summary>
    public double? Culture { get; init; }
}
