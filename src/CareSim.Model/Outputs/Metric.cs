namespace CareSim.Model.Outputs;

/// <summary>
/// The per-replica, per-month outputs of the model. The order is the column order of
/// <see cref="MetricFrame"/>; names are documented in docs/results.md.
/// </summary>
public enum Metric
{
    SwFte,
    AgencyFte,
    AgencyRate,
    VacancyRate,
    TurnoverRate,
    Caseload,
    Establishment,
    AbsenceRate,
    StaffMovesIn,
    StaffMovesOut,
    ReferralsPer10k,
    RereferralRate,
    AssessmentsPer10k,
    CinPer10k,
    CppPer10k,
    ClaPer10k,
    PracticeQuality,
    Culture,
    Morale,
    LeadershipStability,
    Support,
    GradePInadequate,
    GradePRequiresImprovement,
    GradePGood,
    GradePOutstanding,
    JudgedPInadequate,
    JudgedPRequiresImprovement,
    JudgedPGood,
    JudgedPOutstanding,
    DcsChanges,
    UnderDirection,
    Commissioner,
    Removed,
    MonitoringVisit,
    MonitoringAdequate,
    Cost,
}

public sealed record MetricInfo(Metric Metric, string Name, string Unit, string Description);

public static class MetricCatalog
{
    public static IReadOnlyList<MetricInfo> All { get; } =
    [
        new(Metric.SwFte, "sw_fte", "FTE", "Permanent children and family social workers in post (DfE 'FTE in post')."),
        new(Metric.AgencyFte, "agency_fte", "FTE", "Agency social workers."),
        new(Metric.AgencyRate, "agency_rate", "share", "Agency FTE / (agency + permanent FTE) (DfE definition)."),
        new(Metric.VacancyRate, "vacancy_rate", "share", "Vacancies / (vacancies + permanent FTE) (DfE definition)."),
        new(Metric.TurnoverRate, "turnover_rate", "share per year", "Permanent leavers in the last 12 months / permanent FTE (DfE definition)."),
        new(Metric.Caseload, "caseload", "cases per FTE", "Cases / case-holding FTE (DfE definition)."),
        new(Metric.Establishment, "establishment", "FTE", "Funded permanent posts (FTE in post + vacancies)."),
        new(Metric.AbsenceRate, "absence_rate", "share", "Share of working time lost to absence."),
        new(Metric.StaffMovesIn, "staff_moves_in", "FTE per month", "Social workers who joined from another authority of the same labour market this month."),
        new(Metric.StaffMovesOut, "staff_moves_out", "FTE per month", "Social workers who left last month for another authority of the same labour market, counted in the month they arrive there (so moves out and in balance month by month across a market)."),
        new(Metric.ReferralsPer10k, "referrals_per_10k", "per 10,000 children per year", "Referrals in the last 12 months per 10,000 children."),
        new(Metric.RereferralRate, "rereferral_rate", "share", "Re-referrals within 12 months of a previous referral / referrals, over the last 12 months."),
        new(Metric.AssessmentsPer10k, "assessments_per_10k", "per 10,000 children per year", "Referrals assessed (not closed with no further action) in the last 12 months per 10,000 children."),
        new(Metric.CinPer10k, "cin_per_10k", "per 10,000 children", "Children in need (including those on plans and looked after) per 10,000 children."),
        new(Metric.CppPer10k, "cpp_per_10k", "per 10,000 children", "Children on child protection plans per 10,000 children."),
        new(Metric.ClaPer10k, "cla_per_10k", "per 10,000 children", "Children looked after per 10,000 children."),
        new(Metric.PracticeQuality, "practice_quality", "0-1", "Latent practice quality (the model's scale; Ofsted cut points at 0.35, 0.55, 0.8 by default)."),
        new(Metric.Culture, "culture", "0-1", "Culture of non-compliance (0 none, 1 pervasive)."),
        new(Metric.Morale, "morale", "0-1", "Workforce morale."),
        new(Metric.LeadershipStability, "leadership_stability", "0-1", "Weighted effectiveness of the director, chief executive and lead member."),
        new(Metric.Support, "support", "0-1", "External improvement support in effect (adviser, commissioner, partner, trust)."),
        new(Metric.GradePInadequate, "grade_p_inadequate", "probability", "Latest published overall grade is inadequate (mean over replicas = probability)."),
        new(Metric.GradePRequiresImprovement, "grade_p_requires_improvement", "probability", "Latest published overall grade is requires improvement."),
        new(Metric.GradePGood, "grade_p_good", "probability", "Latest published overall grade is good."),
        new(Metric.GradePOutstanding, "grade_p_outstanding", "probability", "Latest published overall grade is outstanding."),
        new(Metric.JudgedPInadequate, "judged_p_inadequate", "probability", "Probability that a full inspection this month would grade inadequate."),
        new(Metric.JudgedPRequiresImprovement, "judged_p_requires_improvement", "probability", "Probability that a full inspection this month would grade requires improvement."),
        new(Metric.JudgedPGood, "judged_p_good", "probability", "Probability that a full inspection this month would grade good."),
        new(Metric.JudgedPOutstanding, "judged_p_outstanding", "probability", "Probability that a full inspection this month would grade outstanding."),
        new(Metric.DcsChanges, "dcs_changes", "count", "Changes of director of children's services since the start (cumulative)."),
        new(Metric.UnderDirection, "under_direction", "0/1", "A statutory direction is in force."),
        new(Metric.Commissioner, "commissioner", "0/1", "A commissioner is in post."),
        new(Metric.Removed, "removed", "0/1", "Services run by a children's services trust."),
        new(Metric.MonitoringVisit, "monitoring_visit", "0/1", "An Ofsted monitoring visit took place this month."),
        new(Metric.MonitoringAdequate, "monitoring_adequate", "0/1", "A monitoring visit this month reported adequate progress."),
        new(Metric.Cost, "cost", "GBP m per month", "Workforce cost plus intervention costs this month."),
    ];

    private static readonly Dictionary<string, MetricInfo> _byName = All.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static int Count => All.Count;

    public static MetricInfo Info(Metric metric) => All[(int)metric];

    public static string Name(this Metric metric) => All[(int)metric].Name;

    public static bool TryFind(string name, out MetricInfo info) => _byName.TryGetValue(name, out info!);
}

/// <summary>One month of metrics for one block of replicas: <c>Values[metric][replica - first]</c>.</summary>
public sealed class MetricFrame
{
    public MetricFrame(int count)
    {
        Count = count;
        Values = new double[MetricCatalog.Count][];
        for (var m = 0; m < Values.Length; m++) Values[m] = new double[count];
    }

    /// <summary>Wraps existing arrays (one per metric, in <see cref="Metric"/> order) without copying.</summary>
    public MetricFrame(double[][] values)
    {
        if (values.Length != MetricCatalog.Count) throw new ArgumentException($"expected {MetricCatalog.Count} metrics, got {values.Length}", nameof(values));
        Values = values;
        Count = values[0].Length;
    }

    public int Count { get; }

    public double[][] Values { get; }

    public double[] this[Metric metric] => Values[(int)metric];
}
