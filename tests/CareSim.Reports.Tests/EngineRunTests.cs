using System.Globalization;
using CareSim.TestSupport;

namespace CareSim.Reports.Tests;

/// <summary>A report of a real (tiny) run: the reference engine writes the results directory, the report reads it.</summary>
public class EngineRunTests
{
    private static readonly string Scenario = SmallScenario.Yaml("tiny run", horizonMonths: 30, replicas: 40, seed: 7, outcomesFrom: "2021-10",
        SmallScenario.Sefton(quality: 0.3, timeline: """
                timeline:
                  - date: 2021-02
                    event: inspection
                    grade: inadequate
                    published: 2021-03-15
            """));

    [Fact]
    public async Task Report_of_a_reference_engine_run()
    {
        var dir = Fixture.TempDirectory();
        var file = Path.Combine(dir, "tiny.yaml");
        await File.WriteAllTextAsync(file, Scenario);
        var results = Path.Combine(dir, "results");
        await SmallScenario.RunAsync(Scenario, results, scenarioFile: file, blockSize: 16);

        var report = ReportBuilder.Build(new ReportOptions(results) { ChartSize = new(480, 320) });
        var md = await File.ReadAllTextAsync(report.ReportPath);

        // The name comes from the scenario file the manifest names.
        Assert.Contains("## Sefton (E08000014)", md, StringComparison.Ordinal);
        Assert.Contains("| Replicas (simulated futures) | 40 |", md, StringComparison.Ordinal);
        // Outcome clocks from October 2021, derived from outcomes.csv (the manifest does not record outcomes_from).
        Assert.Contains("| Outcome clocks from | October 2021 (", md, StringComparison.Ordinal);
        // The probability by the end of the run is outcomes.csv's share within the horizon.
        foreach (var line in File.ReadAllLines(Path.Combine(results, "outcomes.csv")).Skip(1)
                     .Where(l => l.Contains(",months_to_good,", StringComparison.Ordinal) || l.Contains(",months_to_requires_improvement,", StringComparison.Ordinal)))
        {
            var cells = line.Split(',');
            var share = double.Parse(cells[4], CultureInfo.InvariantCulture);
            var label = cells[1] == "months_to_good" ? "good or better" : "requires improvement or better";
            Assert.Contains($"In {Writing.Fmt.Percent(share)} of the 40 simulated futures Sefton is graded {label} at a full inspection by September 2023", md, StringComparison.Ordinal);
        }
        // The grade of the next full inspection, as next_inspection.csv gives it.
        Assert.Contains("Grade of the next full inspection", md, StringComparison.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(results, "next_inspection.csv")).Skip(1))
        {
            var cells = line.Split(',');
            var label = cells[1] == "none_within_horizon" ? "no full inspection by the end" : cells[1].Replace('_', ' ');
            Assert.Contains($"| {label} | {Writing.Fmt.Percent(double.Parse(cells[2], CultureInfo.InvariantCulture))} |", md, StringComparison.Ordinal);
        }
        Assert.Equal(12, report.Charts.Count);
        foreach (var chart in report.Charts) Assert.Equal((480, 320), Png.Read(Path.Combine(report.OutputDirectory, chart)));
    }

    [Fact]
    public async Task Report_of_a_run_of_several_authorities_leads_with_the_league_table_and_the_map()
    {
        var scenario = SmallScenario.Yaml("two authorities", horizonMonths: 30, replicas: 40, seed: 7, outcomesFrom: "2021-10",
            SmallScenario.Sefton(quality: 0.3), SmallScenario.Liverpool);
        var results = Path.Combine(Fixture.TempDirectory(), "results");
        await SmallScenario.RunAsync(scenario, results, blockSize: 16);

        var report = ReportBuilder.Build(new ReportOptions(results) { ChartSize = new(480, 320) });
        var md = await File.ReadAllTextAsync(report.ReportPath);

        // First the comparison across authorities, then each authority.
        var across = md.IndexOf("## Across authorities", StringComparison.Ordinal);
        Assert.True(across > 0 && across < md.IndexOf("## Sefton (E08000014)", StringComparison.Ordinal) && across < md.IndexOf("## Liverpool", StringComparison.Ordinal));
        Assert.Contains("across_authorities-p_good_by_end.png", report.Charts);
        Assert.True(File.Exists(Path.Combine(report.OutputDirectory, "across_authorities-p_good_by_end.png")));
        // The league table: both authorities with their region, sorted by P(good or better by the end) as outcomes.csv gives it.
        var shares = File.ReadAllLines(Path.Combine(results, "outcomes.csv")).Skip(1).Select(l => l.Split(','))
            .Where(c => c[1] == "months_to_good").ToDictionary(c => c[0], c => double.Parse(c[4], CultureInfo.InvariantCulture));
        var rows = md[across..].Split('\n').Where(l => l.StartsWith("| 1 |", StringComparison.Ordinal) || l.StartsWith("| 2 |", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        var first = shares.OrderByDescending(p => p.Value).First().Key == "E08000014" ? "Sefton" : "Liverpool";
        Assert.Contains($"[{first}]", rows[0], StringComparison.Ordinal);
        Assert.All(rows, r => Assert.Contains("| North West |", r, StringComparison.Ordinal));
        foreach (var (code, share) in shares)
            Assert.Contains(rows, r => r.Contains($"(#{code.ToLowerInvariant()})", StringComparison.Ordinal) && r.Contains($"| {Writing.Fmt.Percent(share)} |", StringComparison.Ordinal));
    }
}
