using System.Globalization;
using CareSim.Engine.Running;
using CareSim.Model.Plan;
using Spectre.Console;

namespace CareSim.Cli.Output;

/// <summary>
/// The headline results printed after a run: for one authority a table of measures (mean and
/// 80% interval; probabilities with their Monte Carlo standard error), for several a league
/// table (<see cref="LeagueTable"/>).
/// </summary>
public static class HeadlineTable
{
    private static readonly (string Metric, string Label, string Format)[] Metrics =
    [
        ("sw_fte", "Social workers (FTE)", "0"),
        ("agency_rate", "Agency rate", "P0"),
        ("vacancy_rate", "Vacancy rate", "P0"),
        ("turnover_rate", "Turnover (12 months)", "P0"),
        ("caseload", "Caseload", "0.0"),
        ("referrals_per_10k", "Referrals per 10k (12 months)", "0"),
        ("cpp_per_10k", "Child protection plans per 10k", "0.0"),
        ("cla_per_10k", "Children looked after per 10k", "0"),
        ("practice_quality", "Practice quality (0-1)", "0.00"),
        ("dcs_changes", "Director changes (cumulative)", "0.0"),
    ];

    /// <summary>
    /// One headline measure: a mean with its 80% interval, or a probability with its Monte Carlo
    /// standard error. The table shows <see cref="Detail"/>, indented under the row before, when given.
    /// <see cref="Format"/> is a .NET number format, or for a median beyond the horizon (an infinite value) the words shown.
    /// </summary>
    public sealed record Row(string Authority, string Measure, string Label, double Value, double? P10, double? P90, double? StandardError, string Format, string? Detail = null);

    public static readonly string[] Columns = ["authority", "measure", "label", "value", "p10", "p90", "standard_error"];

    /// <summary>Prints the headline of a run: the measures of its one authority, or the league table of several.</summary>
    public static void Write(SimulationPlan plan, RunResult result, ResultFormat format, int? top, TextWriter output)
    {
        if (plan.Authorities.Count > 1)
        {
            LeagueTable.Write(plan, result, format, top, output);
            return;
        }
        var rows = plan.Authorities.SelectMany(a => Rows(plan, result, a)).ToList();
        if (format != ResultFormat.Table)
        {
            ResultFormats.Write(format, Columns, rows.Select(r => new object?[] { r.Authority, r.Measure, r.Label, r.Value, r.P10, r.P90, r.StandardError }), output);
            return;
        }
        var console = Terminal.Console(output);
        foreach (var authority in plan.Authorities)
        {
            var table = new Table().Title(Markup.Escape(
                $"{authority.Name} ({authority.Code}) at {plan.MonthAt(plan.HorizonMonths - 1)}: mean [p10 - p90] over {plan.Replicas:N0} replicas; ± is the Monte Carlo standard error in points"));
            table.AddColumn("Measure");
            table.AddColumn(new TableColumn("Value").RightAligned());
            foreach (var row in rows.Where(r => r.Authority == authority.Code))
                table.AddRow(new Text(row.Detail is null ? row.Label : "  " + row.Detail), new Text(Display(row)));
            console.Write(table);
        }
    }

    /// <summary>The headline measures of one authority, in the order they are printed.</summary>
    public static IEnumerable<Row> Rows(SimulationPlan plan, RunResult result, AuthorityPlan authority)
    {
        var code = authority.Code;
        var final = result.FinalMonth.Where(r => r.Authority == code).ToDictionary(r => r.Metric);
        foreach (var (metric, label, format) in Metrics)
        {
            if (final.TryGetValue(metric, out var row))
                yield return new Row(code, metric, label, row.Mean, row.Quantiles[1], row.Quantiles[5], null, format);
        }
        foreach (var grade in GradeNames.All)
        {
            if (final.TryGetValue("grade_p_" + grade.ToKey(), out var row))
                yield return Probability(code, "grade_p_" + grade.ToKey(), $"P(latest grade {grade.ToKey().Replace('_', ' ')})", row.Mean, plan.Replicas);
        }
        var end = plan.MonthAt(plan.HorizonMonths - 1);
        var outcomes = result.Outcomes.Where(o => o.Authority == code).ToDictionary(o => o.Outcome);
        if (outcomes.TryGetValue("months_to_next_inspection", out var next))
        {
            yield return Probability(code, "p_next_inspection_by_end", $"Next full inspection by {end}", next.ShareWithinHorizon, next.Replicas);
            foreach (var (_, grade, share) in result.NextInspectionGrades.Where(g => g.Authority == code && g.Grade != "none_within_horizon"))
                yield return Probability(code, "p_next_inspection_" + grade, $"Next full inspection graded {grade.Replace('_', ' ')}", share, next.Replicas) with { Detail = $"graded {grade.Replace('_', ' ')}" };
        }
        var from = plan.MonthAt(plan.OutcomesFromMonth);
        foreach (var (key, measure, what) in new[] { ("months_to_requires_improvement", "ri", "Requires improvement or better"), ("months_to_good", "good", "Good or better") })
        {
            if (!outcomes.TryGetValue(key, out var outcome)) continue;
            yield return Probability(code, $"p_{measure}_by_end", $"{what} by {end}", outcome.ShareWithinHorizon, outcome.Replicas);
            yield return new Row(code, $"median_months_to_{measure}", $"Median months from {from} to {what.ToLowerInvariant()}", outcome.Quantiles[2] ?? double.PositiveInfinity, null, null, null,
                outcome.Quantiles[2] is null ? $"beyond {Months(outcome.HorizonMonths.ToString(CultureInfo.InvariantCulture))}" : "0", $"median months from {from}");
        }
        var totals = result.Totals.FirstOrDefault(t => t.Authority == code);
        if (totals is not null)
            yield return new Row(code, "total_cost_gbp_m", "Total cost (GBP m)", totals.MeanTotalCost, totals.TotalCostQuantiles[1], totals.TotalCostQuantiles[5], null, "0.0");
    }

    /// <summary>The Monte Carlo standard error of a share <paramref name="p"/> of <paramref name="replicas"/> replicas: sqrt(p(1-p)/n).</summary>
    public static double StandardError(double p, int replicas) => replicas > 0 ? Math.Sqrt(p * (1 - p) / replicas) : double.NaN;

    /// <summary>"45% ± 1.6": a probability with its standard error in percentage points.</summary>
    public static string Percent(double p, double standardError) =>
        $"{Terminal.Percent(p)} ± {(100 * standardError).ToString("0.0", CultureInfo.InvariantCulture)}";

    private static Row Probability(string authority, string measure, string label, double p, int replicas) =>
        new(authority, measure, label, p, null, null, StandardError(p, replicas), "P0");

    private static string Display(Row row) => row switch
    {
        { StandardError: { } se } => Percent(row.Value, se),
        { Value: double.PositiveInfinity } => row.Format, // "beyond 48 months"
        { Measure: var m } when m.StartsWith("median_", StringComparison.Ordinal) => Months(F(row.Value, row.Format)),
        { P10: { } low, P90: { } high } => $"{F(row.Value, row.Format)} [{F(low, row.Format)} - {F(high, row.Format)}]",
        _ => F(row.Value, row.Format),
    };

    /// <summary>"1 month", "26 months".</summary>
    private static string Months(string count) => count == "1" ? "1 month" : count + " months";

    private static string F(double value, string format) => format == "P0" ? Terminal.Percent(value) : value.ToString(format, CultureInfo.InvariantCulture);
}
