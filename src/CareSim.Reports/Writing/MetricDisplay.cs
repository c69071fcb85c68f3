using CareSim.Model.Outputs;

namespace CareSim.Reports.Writing;

/// <summary>How a metric is shown: label, unit, the axis label and whether it is a share (shown in %).</summary>
public sealed record MetricDisplay(string Metric, string Label, string Unit, string AxisLabel, bool IsShare, string Format)
{
    private static readonly Dictionary<string, MetricDisplay> Known = new MetricDisplay[]
    {
        new("sw_fte", "Social workers in post", "FTE", "Social workers in post (FTE)", false, "0"),
        new("agency_fte", "Agency social workers", "FTE", "Agency social workers (FTE)", false, "0"),
        new("agency_rate", "Agency rate", "% of social workers, FTE", "Agency rate (% of social workers, FTE)", true, ""),
        new("vacancy_rate", "Vacancy rate", "% of posts, FTE", "Vacancy rate (% of posts, FTE)", true, ""),
        new("turnover_rate", "Turnover", "% of FTE leaving in 12 months", "Turnover (% of FTE leaving in 12 months)", true, ""),
        new("caseload", "Caseload", "cases per case-holding FTE", "Caseload (cases per case-holding FTE)", false, "0.0"),
        new("establishment", "Establishment (funded posts)", "FTE", "Funded posts (FTE)", false, "0"),
        new("absence_rate", "Absence rate", "% of working time", "Absence (% of working time)", true, ""),
        new("staff_moves_in", "Moves in from the same labour market", "FTE per month", "Moves in (FTE per month)", false, "0.0"),
        new("staff_moves_out", "Moves out to the same labour market", "FTE per month", "Moves out (FTE per month)", false, "0.0"),
        new("referrals_per_10k", "Referrals (last 12 months)", "per 10,000 children", "Referrals in 12 months per 10,000 children", false, "0"),
        new("rereferral_rate", "Re-referral rate", "% of referrals", "Re-referrals (% of referrals)", true, ""),
        new("assessments_per_10k", "Assessments (last 12 months)", "per 10,000 children", "Assessments in 12 months per 10,000 children", false, "0"),
        new("cin_per_10k", "Children in need", "per 10,000 children", "Children in need per 10,000 children", false, "0"),
        new("cpp_per_10k", "Children on child protection plans", "per 10,000 children", "Child protection plans per 10,000 children", false, "0.0"),
        new("cla_per_10k", "Children looked after", "per 10,000 children", "Children looked after per 10,000 children", false, "0"),
        new("practice_quality", "Practice quality", "model scale 0-1", "Practice quality (model scale 0-1)", false, "0.00"),
        new("culture", "Culture of non-compliance", "0 none to 1 pervasive", "Culture of non-compliance (0-1)", false, "0.00"),
        new("morale", "Morale", "0-1", "Morale (0-1)", false, "0.00"),
        new("leadership_stability", "Leadership stability", "0-1", "Leadership stability (0-1)", false, "0.00"),
        new("support", "External improvement support", "0-1", "Support (0-1)", false, "0.00"),
        new("dcs_changes", "Changes of director since the start", "count", "Changes of director (count)", false, "0.0"),
        new("under_direction", "Under statutory direction", "% of futures", "Under direction (% of futures)", true, ""),
        new("commissioner", "Commissioner in post", "% of futures", "Commissioner in post (% of futures)", true, ""),
        new("removed", "Services run by a trust", "% of futures", "Run by a trust (% of futures)", true, ""),
        new("monitoring_visit", "Monitoring visit this month", "% of futures", "Monitoring visit (% of futures)", true, ""),
        new("monitoring_adequate", "Monitoring visit finding adequate progress", "% of futures", "Adequate progress (% of futures)", true, ""),
        new("cost", "Cost this month", "GBP m", "Cost (GBP m per month)", false, "0.00"),
    }.ToDictionary(d => d.Metric, StringComparer.Ordinal);

    /// <summary>The workforce metrics of the headline table, in order.</summary>
    public static IReadOnlyList<string> Workforce { get; } =
        ["sw_fte", "agency_fte", "agency_rate", "vacancy_rate", "turnover_rate", "caseload", "establishment", "absence_rate"];

    /// <summary>The demand metrics of the headline table, in order.</summary>
    public static IReadOnlyList<string> Demand { get; } =
        ["referrals_per_10k", "rereferral_rate", "assessments_per_10k", "cin_per_10k", "cpp_per_10k", "cla_per_10k"];

    /// <summary>The metrics drawn as fan charts, in order.</summary>
    public static IReadOnlyList<string> FanCharts { get; } =
        ["sw_fte", "agency_rate", "vacancy_rate", "turnover_rate", "caseload", "referrals_per_10k", "cpp_per_10k", "cla_per_10k", "practice_quality"];

    public static bool IsGradeMetric(string metric) =>
        metric.StartsWith("grade_p_", StringComparison.Ordinal) || metric.StartsWith("judged_p_", StringComparison.Ordinal);

    /// <summary>How to show a metric; unknown metrics get their name and the catalogue's unit, if any.</summary>
    public static MetricDisplay For(string metric)
    {
        if (Known.TryGetValue(metric, out var d)) return d;
        if (IsGradeMetric(metric))
        {
            var grade = metric[(metric.IndexOf("_p_", StringComparison.Ordinal) + 3)..].Replace('_', ' ');
            var label = metric.StartsWith("grade_", StringComparison.Ordinal)
                ? $"Latest published grade {grade}"
                : $"An inspection this month would grade {grade}";
            return new MetricDisplay(metric, label, "probability", label + " (%)", true, "");
        }
        var unit = MetricCatalog.TryFind(metric, out var info) ? info.Unit : "";
        var isShare = unit is "share" or "probability" or "0/1";
        return new MetricDisplay(metric, Fmt.Words(metric), isShare ? "%" : unit, unit.Length > 0 ? $"{Fmt.Words(metric)} ({unit})" : Fmt.Words(metric), isShare, "");
    }

    /// <summary>A value of this metric as text: "19%" for shares, else its format (or a size-based precision).</summary>
    public string Show(double value) =>
        IsShare ? Fmt.Percent(value)
        : Format.Length > 0 ? Fmt.Fixed(value, Format == "0" ? "#,##0" : Format)
        : Fmt.Number(value);

    /// <summary>What follows a value in running text: " FTE" for FTE counts, nothing otherwise (the unit is given once beside the label).</summary>
    public string Suffix => Unit == "FTE" ? " FTE" : "";

    /// <summary>The value as plotted: shares in %, the rest as they are.</summary>
    public double Plot(double value) => IsShare ? value * 100 : value;
}
