using System.Globalization;
using CareSim.Engine.Running;
using CareSim.Engine.Summaries;
using CareSim.Model.Plan;
using Spectre.Console;

namespace CareSim.Cli.Output;

/// <summary>The short table of headline results printed after a run.</summary>
public static class HeadlineTable
{
    private static readonly (string Metric, string Label, string Format)[] Rows =
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

    public static void Write(SimulationPlan plan, RunResult result, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var last = plan.MonthAt(plan.HorizonMonths - 1);
        foreach (var authority in plan.Authorities)
        {
            var table = new Table().Title(Markup.Escape($"{authority.Name} ({authority.Code}) at {last}: mean [p10 - p90] over {plan.Replicas:N0} replicas"));
            table.AddColumn("Measure");
            table.AddColumn(new TableColumn("Value").RightAligned());
            var rows = result.FinalMonth.Where(r => r.Authority == authority.Code).ToDictionary(r => r.Metric);
            foreach (var (metric, label, format) in Rows)
            {
                if (!rows.TryGetValue(metric, out var row)) continue;
                AddRow(table, label, $"{F(row.Mean, format)} [{F(row.Quantiles[1], format)} - {F(row.Quantiles[5], format)}]");
            }
            foreach (var grade in GradeNames.All)
            {
                if (rows.TryGetValue("grade_p_" + grade.ToKey(), out var row))
                    AddRow(table, $"P(latest grade {grade.ToKey().Replace('_', ' ')})", F(row.Mean, "P0"));
            }
            var from = plan.MonthAt(plan.OutcomesFromMonth);
            var outcomes = result.Outcomes.Where(o => o.Authority == authority.Code).ToDictionary(o => o.Outcome);
            if (outcomes.TryGetValue("months_to_next_inspection", out var next))
            {
                AddRow(table, $"Next full inspection within {next.HorizonMonths} months of {from}", F(next.ShareWithinHorizon, "P0"));
                foreach (var (_, grade, share) in result.NextInspectionGrades.Where(g => g.Authority == authority.Code && g.Grade != "none_within_horizon"))
                    AddRow(table, $"  graded {grade.Replace('_', ' ')}", F(share, "P0"));
            }
            foreach (var (key, what) in new[] { ("months_to_requires_improvement", "requires improvement or better"), ("months_to_good", "good or better") })
            {
                if (!outcomes.TryGetValue(key, out var outcome)) continue;
                var median = outcome.Quantiles[2] is { } m ? $"{m:0} months" : $"beyond {outcome.HorizonMonths} months";
                AddRow(table, $"Inspected {what} within {outcome.HorizonMonths} months of {from}", F(outcome.ShareWithinHorizon, "P0"));
                AddRow(table, $"  median months from {from} to {what}", median);
            }
            var totals = result.Totals.FirstOrDefault(t => t.Authority == authority.Code);
            if (totals is not null)
                AddRow(table, "Total cost (GBP m)", $"{F(totals.MeanTotalCost, "0.0")} [{F(totals.TotalCostQuantiles[1], "0.0")} - {F(totals.TotalCostQuantiles[5], "0.0")}]");
            console.Write(table);
        }
    }

    private static void AddRow(Table table, string label, string value) => table.AddRow(new Text(label), new Text(value));

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
