using System.Globalization;

namespace CareSim.Reports.Tests;

/// <summary>The report of the hand-made fixture: numbers in report.md match the fixture's files; every chart is a PNG of the requested size.</summary>
public class ReportContentTests
{
    private static readonly Charts.ChartSize Small = new(640, 360);

    private static (Fixture Fixture, ReportResult Result, string Markdown) Build(Action<Fixture>? setup = null, string? observed = null)
    {
        var fixture = Fixture.Create();
        setup?.Invoke(fixture);
        var result = ReportBuilder.Build(new ReportOptions(fixture.Directory) { ChartSize = Small, ObservedDirectory = observed });
        return (fixture, result, File.ReadAllText(result.ReportPath));
    }

    [Fact]
    public void Report_goes_to_RESULTS_DIR_report_by_default_with_every_chart_a_png_of_the_requested_size()
    {
        var (fixture, result, _) = Build();
        Assert.Equal(Path.Combine(fixture.Directory, "report"), result.OutputDirectory);
        Assert.Equal(Path.Combine(fixture.Directory, "report", "report.md"), result.ReportPath);
        var expected = Fixture.FanMetrics.Select(m => $"{Fixture.Code}-{m}.png")
            .Concat([$"{Fixture.Code}-improvement.png", $"{Fixture.Code}-grades.png", $"{Fixture.Code}-judged.png"])
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, result.Charts.Order(StringComparer.Ordinal).ToList());
        foreach (var chart in result.Charts)
        {
            var (width, height) = Png.Read(Path.Combine(result.OutputDirectory, chart));
            Assert.Equal((640, 360), (width, height));
        }
        // Nothing else in the folder, and no staging folder left in the results directory.
        Assert.Equal(expected.Append("report.md").Append(".caresim-output").Order(StringComparer.Ordinal),
            Directory.GetFiles(result.OutputDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetDirectories(fixture.Directory, ".report.caresim-*"));
    }

    [Fact]
    public void Every_chart_is_embedded_with_a_relative_link_and_a_caption()
    {
        var (_, result, md) = Build();
        foreach (var chart in result.Charts)
        {
            var link = $"]({chart})";
            var at = md.IndexOf(link, StringComparison.Ordinal);
            Assert.True(at > 0, $"{chart} is not linked");
            // The caption follows in italics.
            var after = md[(at + link.Length)..].TrimStart('\n');
            Assert.StartsWith("*", after, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void What_was_run_comes_from_the_manifest()
    {
        var (_, _, md) = Build();
        Assert.StartsWith("# Testshire fixture: simulation report", md, StringComparison.Ordinal);
        Assert.Contains("| Replicas (simulated futures) | 200 |", md, StringComparison.Ordinal);
        Assert.Contains("| Seed | 42 |", md, StringComparison.Ordinal);
        Assert.Contains("| Simulated months | January 2023 to December 2024 (24 months) |", md, StringComparison.Ordinal);
        Assert.Contains("| Tool version | sim 9.9.9-test |", md, StringComparison.Ordinal);
        Assert.Contains("| Run created | 2026-01-02 03:04 UTC |", md, StringComparison.Ordinal);
        // outcomes.csv's horizon (18 months) ends with the 24-month run: the clocks start in July 2023.
        Assert.Contains("| Outcome clocks from | July 2023 (", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Probabilities_by_year_end_are_the_cdf_values_and_medians_come_from_outcomes_csv()
    {
        var (_, _, md) = Build();
        // Clocks from July 2023: December 2023 is 5 months on, December 2024 (the end) 17.
        static string P(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
        Assert.Equal("15%", P(Fixture.CdfRi(5)));
        Assert.Contains($"| requires improvement or better | {P(Fixture.CdfRi(5))} | {P(Fixture.CdfRi(17))} | 17 months from July 2023 (December 2024) |", md, StringComparison.Ordinal);
        Assert.Contains($"| good or better | {P(Fixture.CdfGood(5))} | {P(Fixture.CdfGood(17))} | beyond the horizon (more than 18 months from July 2023) |", md, StringComparison.Ordinal);
        Assert.Contains($"In {P(Fixture.CdfRi(5))} of the 200 simulated futures E08000014 is graded requires improvement or better by December 2023 ({P(Fixture.CdfRi(17))} by December 2024).", md, StringComparison.Ordinal);
        Assert.Contains("| Graded at a full inspection | by Dec 2023 | by Dec 2024 (end) | Median time |", md, StringComparison.Ordinal);
        Assert.Contains("the report is published about 2 months later", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Headline_table_has_final_month_means_with_80_percent_intervals()
    {
        var (_, _, md) = Build();
        // sw_fte: mean 100 in January 2023, 123 in December 2024; p10/p90 are -10%/+10% of the mean.
        Assert.Contains("| Social workers in post | FTE | 100 | 123 | 111 to 135 |", md, StringComparison.Ordinal);
        // agency_rate: 0.154 in the last month, p10 0.1386, p90 0.1694.
        Assert.Contains("| Agency rate | % of social workers, FTE | 20% | 15% | 14% to 17% |", md, StringComparison.Ordinal);
        Assert.Contains("| Caseload | cases per case-holding FTE | 20.0 | 17.7 | 15.9 to 19.5 |", md, StringComparison.Ordinal);
        Assert.Contains("| Children looked after | per 10,000 children | 100 | 100 | 90 to 110 |", md, StringComparison.Ordinal);
        Assert.Contains("social workers in post 123 FTE (111 to 135)", md, StringComparison.Ordinal);
        Assert.Contains("inadequate in 54%, requires improvement in 35%, good in 11% and outstanding in 0% of the futures", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_metrics_are_reported_as_they_are()
    {
        var (_, _, md) = Build();
        Assert.Contains("### Other metrics", md, StringComparison.Ordinal);
        Assert.Contains("| widgets per hour |  | 8.00 | 8.00 | 7.20 to 8.80 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Practice_quality_uses_the_authoritys_own_cut_points()
    {
        var (_, _, md) = Build();
        // The manifest overrides ofsted.cut_good for the authority (0.6 instead of 0.55).
        Assert.Contains("requires improvement from 0.35, good from 0.60, outstanding from 0.80", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Grade_captions_come_from_the_last_month()
    {
        var (_, _, md) = Build();
        // Month 23: inadequate 1 - 0.46 = 54%, requires improvement 34.5% -> 35% (or 34%), good 11.5%.
        Assert.Contains("In December 2024: inadequate in 54%", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Observed_figures_are_overlaid_and_compared_with_the_simulation()
    {
        var baseline = Fixture.WriteBaseline(Path.Combine(Fixture.TempDirectory(), "data"));
        var (fixture, result, md) = Build(observed: baseline);
        // The dataset names the authority.
        Assert.Contains("## Testshire (E08000014)", md, StringComparison.Ordinal);
        Assert.Contains("### Official figures against the simulation", md, StringComparison.Ordinal);
        // 30 Sep 2022 is before the run (January 2023) and not compared; 30 Sep 2023 is month 8 (mean 108).
        Assert.DoesNotContain("30 September 2022", md, StringComparison.Ordinal);
        Assert.Contains("| Social workers in post | 30 September 2023 | 108 | 108 | 97 to 119 | yes | yes |", md, StringComparison.Ordinal);
        Assert.Contains("| Children looked after | 31 March 2024 | 140 | 100 | 90 to 110 | no | no |", md, StringComparison.Ordinal);
        Assert.Contains("Of the 4 official figures that fall in the months of the run, 3 lie inside the simulated 80% range of their month and 3 inside the 90% range", md, StringComparison.Ordinal);
        Assert.Contains("The latest, 140 at 31 March 2024, is outside the simulated 80% range for that month (90 to 110).", md, StringComparison.Ordinal);

        // The chart with official points differs from the one without.
        var plain = ReportBuilder.Build(new ReportOptions(fixture.Directory) { ChartSize = Small, OutputDirectory = Path.Combine(fixture.Directory, "plain") });
        var with = File.ReadAllBytes(Path.Combine(result.OutputDirectory, "E08000014-sw_fte.png"));
        var without = File.ReadAllBytes(Path.Combine(plain.OutputDirectory, "E08000014-sw_fte.png"));
        Assert.NotEqual(with, without);
        // practice_quality has no official figures: its caption mentions none.
        var practice = md.Split('\n').Single(l => l.StartsWith("*Practice quality", StringComparison.Ordinal));
        Assert.DoesNotContain("official", practice, StringComparison.Ordinal);
    }

    [Fact]
    public void Figures_the_scenario_set_from_the_data_are_marked_as_inputs_not_counted_as_tests()
    {
        var baseline = Fixture.WriteBaseline(Path.Combine(Fixture.TempDirectory(), "data"));
        // Every future holds the official 108.25 social workers at 30 September 2023 (an observed event).
        var (_, _, md) = Build(f =>
        {
            var path = f.PathOf("summary.csv");
            var lines = File.ReadAllLines(path).Select(l => l.StartsWith($"{Fixture.Code},2023-09,sw_fte,", StringComparison.Ordinal)
                ? $"{Fixture.Code},2023-09,sw_fte,108.25,108.25,108.25,108.25,108.25,108.25,108.25,108.25" : l);
            File.WriteAllLines(path, lines);
        }, observed: baseline);
        Assert.Contains("| Social workers in post | 30 September 2023 | 108 | 108 | 108 to 108 | set from the data | set from the data |", md, StringComparison.Ordinal);
        Assert.Contains("Of the 4 official figures that fall in the months of the run, 1 of them were set from the data in every future (the scenario's observed figures), so they are inputs, not tests; of the other 3, 2 lie inside the simulated 80% range", md, StringComparison.Ordinal);
        Assert.Contains("The latest, 108 at 30 September 2023, was set from the data in every future", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Sensitivity_adds_a_what_drives_it_section_sorted_by_mu_star()
    {
        var (_, result, md) = Build(f => f.WriteSensitivity());
        Assert.Contains("## What drives it", md, StringComparison.Ordinal);
        Assert.Contains("sensitivity-months_to_good.png", result.Charts);
        var (width, height) = Png.Read(Path.Combine(result.OutputDirectory, "sensitivity-months_to_good.png"));
        Assert.Equal(640, width);
        Assert.True(height >= 360);
        var rows = md.Split('\n').Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\| \d+ \| `")).ToList();
        Assert.Equal(
            ["| 1 | `quality.leadership_weight` | 7.75 | -7.50 | 3.00 | 0.10 to 0.90 |",
             "| 2 | `quality.culture_drag` | 4.25 | +3.90 | 2.20 | 0 to 1.00 |",
             "| 3 | `workforce.recruitment_rate` | 2.50 | -2.10 | 1.20 | 0.50 to 1.50 |",
             "| 4 | `demand.referral_level_sd` | 0.40 | +0.10 | 0.60 | 0.10 to 0.50 |"],
            rows);
        Assert.Contains("What drives months to good or better most: `quality.leadership_weight` (μ\\* = 7.75 months", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Sobol_indices_alone_add_a_what_drives_it_section_sorted_by_total_order()
    {
        var (_, result, md) = Build(f => f.WriteSobol());
        Assert.Contains("## What drives it", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Morris", md, StringComparison.Ordinal);
        Assert.Contains("sobol-months_to_good.png", result.Charts);
        Assert.True(Png.Read(Path.Combine(result.OutputDirectory, "sobol-months_to_good.png")).Height >= 360);
        var rows = md.Split('\n').Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\| \d+ \| `")).ToList();
        Assert.Equal(
            ["| 1 | `quality.leadership_weight` | 0.50 | 0.41 to 0.58 | 0.61 | 0.52 to 0.70 | 0.10 to 0.90 |",
             "| 2 | `workforce.recruitment_rate` | 0.12 | 0.05 to 0.20 | 0.18 | 0.10 to 0.27 | 0.50 to 1.50 |",
             "| 3 | `demand.referral_level_sd` | 0.00 | -0.03 to 0.02 | 0.00 | 0.00 to 0.00 | 0.10 to 0.50 |"],
            rows);
        Assert.Contains("Largest share of the variance of months to good or better: `quality.leadership_weight` (total-order Sobol index 0.61, 95% interval 0.52 to 0.70", md, StringComparison.Ordinal);
        Assert.Contains("sobol.csv)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Morris_and_sobol_together_show_both_tables_in_one_section()
    {
        var (_, result, md) = Build(f => { f.WriteSensitivity(); f.WriteSobol(); });
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(md, "## What drives it"));
        Assert.Contains("sensitivity-months_to_good.png", result.Charts);
        Assert.Contains("sobol-months_to_good.png", result.Charts);
        Assert.True(md.IndexOf("(Morris elementary effects)", StringComparison.Ordinal) < md.IndexOf("(Sobol indices, Saltelli design)", StringComparison.Ordinal));
        Assert.Contains("| 1 | `quality.leadership_weight` | 7.75 |", md, StringComparison.Ordinal);
        Assert.Contains("| 1 | `quality.leadership_weight` | 0.50 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_adds_a_dot_and_whisker_chart_and_table_per_measure()
    {
        var (_, result, md) = Build(f => f.WriteComparison());
        Assert.Contains("## Strategies compared with the baseline", md, StringComparison.Ordinal);
        foreach (var file in new[] { "comparison-E08000014-months_to_good.png", "comparison-E08000014-total_cost.png" })
        {
            Assert.Contains(file, result.Charts);
            Assert.Equal(640, Png.Read(Path.Combine(result.OutputDirectory, file)).Width);
        }
        // Ordered by rank.
        var first = md.IndexOf("| 1 | academy | 36.5 | -3.50 | -6.25 to -0.75 | 97% |", StringComparison.Ordinal);
        var second = md.IndexOf("| 2 | pay_rise | 38.0 | -2.00 | -4.50 to +0.50 | 88% |", StringComparison.Ordinal);
        var third = md.IndexOf("| 3 | agency_cap | 41.0 | +1.00 | -2.00 to +4.00 | 30% |", StringComparison.Ordinal);
        Assert.True(first > 0 && second > first && third > second, md);
        Assert.Contains("Baseline: 40.0 months. Best-ranked strategy (rank 1): academy, difference -3.50 months (95% CI -6.25 to -0.75), P(beats baseline) 97%. The 95% interval excludes zero for 1 of 3 strategies.", md, StringComparison.Ordinal);
        Assert.Contains("| Rank | Strategy | Value (months) | Difference (months) | 95% CI | P(beats baseline) |", md, StringComparison.Ordinal);
        Assert.Contains("[academy](../strategies/academy/)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_previous_report_is_replaced()
    {
        var fixture = Fixture.Create();
        var first = ReportBuilder.Build(new ReportOptions(fixture.Directory) { ChartSize = Small });
        File.WriteAllText(first.ReportPath, "old");
        var second = ReportBuilder.Build(new ReportOptions(fixture.Directory) { ChartSize = Small });
        Assert.Equal(first.OutputDirectory, second.OutputDirectory);
        Assert.StartsWith("# ", File.ReadAllText(second.ReportPath), StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(fixture.Directory, ".report.*"));

        // A file the report did not write makes the folder the user's: refused, and kept with --force.
        File.WriteAllText(Path.Combine(first.OutputDirectory, "mine.txt"), "mine");
        Assert.Throws<ReportInputException>(() => ReportBuilder.Build(new ReportOptions(fixture.Directory) { ChartSize = Small }));
        ReportBuilder.Build(new ReportOptions(fixture.Directory) { ChartSize = Small, Force = true });
        Assert.Equal("mine", File.ReadAllText(Path.Combine(first.OutputDirectory, "mine.txt")));
    }

    [Fact]
    public void A_comparison_directory_gets_improvement_by_strategy_and_the_comparison()
    {
        var dir = Path.Combine(Fixture.TempDirectory(), "compare");
        var fixture = new Fixture(dir);
        fixture.WriteComparison();
        File.WriteAllText(fixture.PathOf("manifest.json"), $$"""
            {
              "kind": "comparison", "tool": "sim", "tool_version": "9.9.9-test", "engine": "reference",
              "scenario": "Testshire fixture", "seed": 42, "replicas": 200, "start": "2023-01", "horizon_months": 24,
              "outcomes_from": "2023-07", "rank_by": "months_to_good", "authorities": ["{{Fixture.Code}}"],
              "strategies": [
                { "name": "academy", "description": "An academy.", "results": "strategies/academy" },
                { "name": "agency_cap", "description": "A cap.", "results": "strategies/agency_cap" },
                { "name": "pay_rise", "description": "More pay.", "results": "strategies/pay_rise" }
              ]
            }
            """);
        // academy reaches requires improvement or better faster (0.05 a month); the others as the fixture.
        foreach (var s in Fixture.Strategies)
        {
            var cdf = new System.Text.StringBuilder("authority,outcome,months,share_reached\n");
            for (var m = 0; m <= Fixture.OutcomeHorizon; m++)
                cdf.Append(CultureInfo.InvariantCulture, $"{Fixture.Code},months_to_requires_improvement,{m},{(s == "academy" ? Math.Min(1, 0.05 * m) : Fixture.CdfRi(m))}\n");
            File.WriteAllText(Path.Combine(dir, "strategies", s, "outcome_cdf.csv"), cdf.ToString());
        }
        var result = ReportBuilder.Build(new ReportOptions(dir) { ChartSize = Small });
        var md = File.ReadAllText(result.ReportPath);
        Assert.StartsWith("# Testshire fixture: strategies compared", md, StringComparison.Ordinal);
        Assert.Contains("| [academy](../strategies/academy/) | An academy. |", md, StringComparison.Ordinal);
        // By December 2023 (5 months from July 2023) and December 2024 (17 months).
        Assert.Contains("| academy | 25% | 85% |", md, StringComparison.Ordinal);
        Assert.Contains("| pay_rise | 15% | 51% |", md, StringComparison.Ordinal);
        Assert.Contains("Highest by December 2024: academy (85%).", md, StringComparison.Ordinal);
        Assert.Equal(
            ["E08000014-strategies-months_to_requires_improvement.png", "comparison-E08000014-months_to_good.png", "comparison-E08000014-total_cost.png"],
            result.Charts);
        foreach (var chart in result.Charts) Assert.Equal(640, Png.Read(Path.Combine(result.OutputDirectory, chart)).Width);
    }

    [Fact]
    public void Degenerate_inputs_still_give_a_report_one_month_and_missing_values()
    {
        var fixture = Fixture.Create();
        // Keep only the first month of summary.csv, make one metric NaN, and shorten the run to one month.
        var lines = File.ReadAllLines(fixture.PathOf("summary.csv"));
        var first = lines.Where((l, i) => i == 0 || l.Contains(",2023-01,", StringComparison.Ordinal))
            .Select(l => l.Contains(",caseload,", StringComparison.Ordinal) ? string.Join(',', l.Split(',').Take(3).Concat(Enumerable.Repeat("NaN", 8))) : l);
        File.WriteAllLines(fixture.PathOf("summary.csv"), first);
        File.WriteAllText(fixture.PathOf("manifest.json"), File.ReadAllText(fixture.PathOf("manifest.json"))
            .Replace("\"horizon_months\": 24", "\"horizon_months\": 1", StringComparison.Ordinal));
        File.WriteAllText(fixture.PathOf("outcomes.csv"), "authority,outcome,replicas,horizon_months,share_within_horizon,p10,p25,p50,p75,p90\n"
            + $"{Fixture.Code},months_to_good,200,1,0,,,,,\n");
        File.WriteAllText(fixture.PathOf("outcome_cdf.csv"), $"authority,outcome,months,share_reached\n{Fixture.Code},months_to_good,0,0\n{Fixture.Code},months_to_good,1,0\n");
        var result = ReportBuilder.Build(new ReportOptions(fixture.Directory) { ChartSize = Small });
        var md = File.ReadAllText(result.ReportPath);
        Assert.Contains("| Caseload | cases per case-holding FTE | n/a | n/a | n/a to n/a |", md, StringComparison.Ordinal);
        Assert.Contains("| good or better | 0% | beyond the horizon (more than 1 month from January 2023) |", md, StringComparison.Ordinal);
        foreach (var chart in result.Charts) Assert.Equal((640, 360), Png.Read(Path.Combine(result.OutputDirectory, chart)));
    }
}
