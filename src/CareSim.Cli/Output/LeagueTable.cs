using System.Globalization;
using CareSim.Engine.Running;
using CareSim.Engine.Summaries;
using CareSim.Model.Plan;
using Spectre.Console;

namespace CareSim.Cli.Output;

/// <summary>
/// The headline of a run of several authorities: one row per authority, sorted by the probability
/// of being inspected good or better by the end, and a row of the means over all of them.
/// </summary>
public static class LeagueTable
{
    /// <summary>One authority's line; <see cref="MedianMonthsToGood"/> is null when beyond the horizon.</summary>
    public sealed record Row(string Authority, string Name, double PRequiresImprovement, double PRequiresImprovementSe, double PGood, double PGoodSe,
        double? MedianMonthsToGood, string NextGrade, double NextGradeShare);

    public static readonly string[] Columns =
        ["authority", "name", "p_ri_by_end", "p_ri_by_end_se", "p_good_by_end", "p_good_by_end_se", "median_months_to_good", "next_inspection_grade", "next_inspection_grade_share"];

    /// <summary>The authority code of the row of means over all authorities.</summary>
    public const string AllAuthorities = "all";

    public static IReadOnlyList<Row> Rows(SimulationPlan plan, RunResult result)
    {
        var rows = new List<Row>();
        foreach (var authority in plan.Authorities)
        {
            var outcomes = result.Outcomes.Where(o => o.Authority == authority.Code).ToDictionary(o => o.Outcome);
            var ri = outcomes.GetValueOrDefault("months_to_requires_improvement");
            var good = outcomes.GetValueOrDefault("months_to_good");
            var (grade, share) = result.NextInspectionGrades.Where(g => g.Authority == authority.Code && g.Grade != "none_within_horizon")
                .Select(g => (g.Grade, g.Share)).DefaultIfEmpty(("none", 0.0)).MaxBy(g => g.Item2);
            rows.Add(new Row(authority.Code, authority.Name, Share(ri), Se(ri), Share(good), Se(good), good?.Quantiles[2], grade, share));
        }
        return rows.OrderByDescending(r => r.PGood).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The means over all authorities (the standard error of a mean of independent shares); the next grade most likely on average.</summary>
    public static Row Totals(SimulationPlan plan, RunResult result, IReadOnlyList<Row> rows)
    {
        var n = rows.Count;
        var next = result.NextInspectionGrades.Where(g => g.Grade != "none_within_horizon").GroupBy(g => g.Grade)
            .Select(g => (Grade: g.Key, Share: g.Sum(x => x.Share) / n)).DefaultIfEmpty((Grade: "none", Share: 0.0)).MaxBy(g => g.Share);
        return new Row(AllAuthorities, $"Mean of {n}",
            rows.Average(r => r.PRequiresImprovement), Math.Sqrt(rows.Sum(r => r.PRequiresImprovementSe * r.PRequiresImprovementSe)) / n,
            rows.Average(r => r.PGood), Math.Sqrt(rows.Sum(r => r.PGoodSe * r.PGoodSe)) / n,
            null, next.Grade, next.Share);
    }

    public static void Write(SimulationPlan plan, RunResult result, ResultFormat format, int? top, TextWriter output)
    {
        var all = Rows(plan, result);
        var totals = Totals(plan, result, all);
        var shown = top is { } t ? all.Take(t).ToList() : all;
        if (format != ResultFormat.Table)
        {
            ResultFormats.Write(format, Columns, shown.Append(totals).Select(r => new object?[]
            {
                r.Authority, r.Name, r.PRequiresImprovement, r.PRequiresImprovementSe, r.PGood, r.PGoodSe, r.MedianMonthsToGood, r.NextGrade, r.NextGradeShare,
            }), output);
            return;
        }
        var end = plan.MonthAt(plan.HorizonMonths - 1);
        var from = plan.MonthAt(plan.OutcomesFromMonth);
        var table = new Table().Title(Markup.Escape(
            $"{(shown.Count < all.Count ? $"Top {shown.Count} of {all.Count}" : $"{all.Count}")} authorities by P(good or better by {end}), {plan.Replicas:N0} replicas; ± is the Monte Carlo standard error in points"));
        table.AddColumn("Authority");
        table.AddColumn(new TableColumn("P(RI+)").RightAligned());
        table.AddColumn(new TableColumn("P(good+)").RightAligned());
        table.AddColumn(new TableColumn("Months to good").RightAligned());
        table.AddColumn("Next grade");
        foreach (var row in shown) AddRow(table, row);
        table.AddEmptyRow();
        AddRow(table, totals);
        table.Caption(Markup.Escape(
            $"P(RI+), P(good+): inspected requires improvement (good) or better by {end}; months to good: median from {from}; "
            + $"next grade: the most likely at the next full inspection. Expected number good or better by {end}: "
            + $"{(totals.PGood * all.Count).ToString("0.0", CultureInfo.InvariantCulture)} of {all.Count}."));
        Terminal.Console(output).Write(table);
    }

    private static void AddRow(Table table, Row row) => table.AddRow(
        new Text(row.Name),
        new Text(HeadlineTable.Percent(row.PRequiresImprovement, row.PRequiresImprovementSe)),
        new Text(HeadlineTable.Percent(row.PGood, row.PGoodSe)),
        new Text(row.Authority == AllAuthorities ? "" : row.MedianMonthsToGood is { } m ? m.ToString("0", CultureInfo.InvariantCulture) : "beyond end"),
        new Text($"{Grade(row.NextGrade)} {Terminal.Percent(row.NextGradeShare)}"));

    private static string Grade(string key) => key == "requires_improvement" ? "RI" : key.Replace('_', ' ');

    private static double Share(OutcomeSummary? outcome) => outcome?.ShareWithinHorizon ?? double.NaN;

    private static double Se(OutcomeSummary? outcome) => outcome is null ? double.NaN : HeadlineTable.StandardError(outcome.ShareWithinHorizon, outcome.Replicas);
}
