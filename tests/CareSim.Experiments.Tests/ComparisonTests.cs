using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;

namespace CareSim.Experiments.Tests;

public class ComparisonTests
{
    private static readonly RunSettings Settings = new(BlockSize: 64);

    private static async Task<ComparisonResult> Compare(SimulationPlan plan, params Strategy[] strategies) =>
        await StrategyComparison.RunAsync(new ReferenceEngine(), plan, strategies, new ComparisonOptions { Settings = Settings }, null, CancellationToken.None);

    private static ReplicaOutcomes Run(SimulationPlan plan)
    {
        var outcomes = new ReplicaOutcomes(plan);
        ReferenceEngine.Run(plan, Settings, outcomes);
        return outcomes;
    }

    [Fact]
    public async Task A_strategy_with_no_effect_shows_a_difference_of_exactly_zero()
    {
        var plan = Scenarios.Load("sefton-2022-23.yaml", replicas: 60);
        var noEffect = new Strategy { Name = "no_effect", Parameters = [KeyValuePair.Create(P.CultureGrowth.Name, P.CultureGrowth.Default)] };
        var result = await Compare(plan, noEffect);
        var rows = result.Rows.Where(r => r.Strategy == "no_effect").ToList();
        Assert.Equal(StrategyComparison.Measures(plan, []).Count, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(0.0, r.Difference);
            Assert.Equal(r.Baseline, r.Value);
            Assert.Equal(0.5, r.PBeatsBaseline);
        });
    }

    [Fact]
    public async Task A_regional_commissioner_over_one_authority_changes_nothing()
    {
        var plan = Scenarios.Load("sefton-2022-23.yaml", replicas: 60);
        var regional = new Strategy { Name = "regional", Commissioners = CommissionerGrouping.PerRegion };
        var result = await Compare(plan, regional);
        Assert.All(result.Rows.Where(r => r.Strategy == "regional"), r => Assert.Equal(0.0, r.Difference));
    }

    [Fact]
    public void Common_random_numbers_make_the_paired_difference_less_variable_than_an_unpaired_one()
    {
        var plan = Scenarios.Load("sefton-2022-23.yaml", replicas: 300);
        var partner = Scenarios.Standard(plan).Single(s => s.Name == "partner");
        var baseline = Run(plan);
        var paired = Run(partner.ApplyTo(plan));
        var unpaired = Run(partner.ApplyTo(plan) with { Seed = plan.Seed + 1 });
        foreach (var measure in new[] { OutcomeMeasures.Quality, OutcomeMeasures.Cost, OutcomeMeasures.MonthsToRequiresImprovement })
        {
            var b = baseline.Values(0, measure);
            var pairedVariance = Variance(paired.Values(0, measure).Zip(b, (x, y) => x - y));
            var unpairedVariance = Variance(unpaired.Values(0, measure).Zip(b, (x, y) => x - y));
            Assert.True(pairedVariance < 0.5 * unpairedVariance, $"{measure.Name}: paired {pairedVariance} vs unpaired {unpairedVariance}");
        }
    }

    private static double Variance(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        return list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1);
    }

    [Fact]
    public async Task Every_standard_strategy_runs_and_the_table_is_consistent()
    {
        var plan = Scenarios.Load("sefton-2022-23.yaml", replicas: 40);
        var strategies = Scenarios.Standard(plan);
        Assert.Equal(8, strategies.Count);
        var result = await Compare(plan, [.. strategies]);
        Assert.Equal(9, result.Strategies.Count);
        foreach (var row in result.Rows)
        {
            Assert.Equal(row.Value - row.Baseline, row.Difference, 9);
            if (!row.Measure.StartsWith("median_", StringComparison.Ordinal) && row.Strategy != Strategy.BaselineName)
                Assert.InRange(row.Difference, row.CiLow - 1e-12, row.CiHigh + 1e-12);
            Assert.InRange(row.PBeatsBaseline, 0, 1);
        }
        var ranks = result.Rows.Where(r => r.Measure == "p_good_by_end").Select(r => r.Rank).OrderBy(r => r).ToList();
        Assert.Equal(Enumerable.Range(1, 9), ranks);
        // Costs move the way the strategies say: investment costs more, an agency cap less.
        double Cost(string strategy) => result.Rows.Single(r => r.Strategy == strategy && r.Measure == "cost").Difference;
        Assert.True(Cost("recruitment_investment") > 0);
        Assert.True(Cost("caseload_cap") > 0);
        Assert.True(Cost("agency_cap") < 0);
        Assert.True(result.Rows.Single(r => r.Strategy == "agency_cap" && r.Measure == "agency_rate").Difference < 0);
    }

    [Fact]
    public async Task Strategy_events_land_at_the_decision_point_and_parameters_only_where_selected()
    {
        var plan = Scenarios.Load("liverpool-city-region.yaml", replicas: 4, horizon: 24) with { HistoryUntilMonth = 6 };
        var strategy = new Strategy
        {
            Name = "targeted",
            Authorities = ["E08000014"],
            Parameters = [KeyValuePair.Create(P.AgencyRateCap.Name, 0.2)],
            Events = [new StrategyEvent(new PartnershipEvent(0), null, 2), new StrategyEvent(new ProgrammeEvent(0, 1.0), Model.Time.SimMonth.Parse("2021-06"), null)],
        };
        var applied = strategy.ApplyTo(plan);
        var sefton = applied.Authorities.Single(a => a.Code == "E08000014");
        Assert.Contains(sefton.Events, e => e is PartnershipEvent { Month: 8 });
        Assert.Contains(sefton.Events, e => e is ProgrammeEvent { Month: 2 });
        Assert.Equal(0.2, sefton.Parameters[P.AgencyRateCap]);
        var liverpool = applied.Authorities.Single(a => a.Code == "E08000012");
        Assert.Equal(P.AgencyRateCap.Default, liverpool.Parameters[P.AgencyRateCap]);
        Assert.DoesNotContain(liverpool.Events, e => e is PartnershipEvent);
        Assert.Equal(P.AgencyRateCap.Default, applied.Parameters[P.AgencyRateCap]);

        var result = await Compare(plan, strategy);
        Assert.Contains(result.Rows, r => r.Authority == "all");
        // Sefton pays for the programme; Halton is touched only through the shared labour market.
        var seftonCost = result.Rows.Single(r => r.Strategy == "targeted" && r.Authority == "E08000014" && r.Measure == "cost").Difference;
        var haltonCost = result.Rows.Single(r => r.Strategy == "targeted" && r.Authority == "E06000006" && r.Measure == "cost").Difference;
        Assert.True(seftonCost > 0.5, $"Sefton's cost difference {seftonCost}");
        Assert.True(Math.Abs(haltonCost) < 0.1 * seftonCost, $"Halton's cost difference {haltonCost}");
    }

    [Fact]
    public async Task A_comparison_directory_has_the_documented_files()
    {
        var plan = Scenarios.Load("sefton-2022-23.yaml", replicas: 20, horizon: 40);
        var output = Path.Combine(Path.GetTempPath(), "caresim-tests", Guid.NewGuid().ToString("N"), "cmp");
        var partner = Scenarios.Standard(plan).Single(s => s.Name == "partner");
        var result = await StrategyComparison.RunAsync(new ReferenceEngine(), plan, [partner],
            new ComparisonOptions { Settings = Settings, OutputDirectory = output, ByDates = [Model.Time.SimMonth.Parse("2024-06")] }, null, CancellationToken.None);
        var header = File.ReadLines(Path.Combine(output, "comparison.csv")).First();
        Assert.Equal("strategy,authority,measure,unit,baseline,value,difference,ci_low,ci_high,p_beats_baseline,rank", header);
        Assert.Contains("\"kind\": \"comparison\"", File.ReadAllText(Path.Combine(output, "manifest.json")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "comparison.parquet")));
        Assert.True(File.Exists(Path.Combine(output, "strategies", "baseline", "summary.csv")));
        Assert.True(File.Exists(Path.Combine(output, "strategies", "partner", "manifest.json")));
        Assert.Contains(File.ReadLines(Path.Combine(output, "comparison.csv")), l => l.Contains("p_good_by_2024-06", StringComparison.Ordinal));
        // comparison.md: an improvement table with the by-date probabilities before those by the end,
        // then a table of children, workforce and cost; the baseline's cells are bare values.
        var md = File.ReadAllText(Path.Combine(output, "comparison.md"));
        Assert.Contains("| rank | strategy | `p_ri_by_2024-06` | `p_ri_by_end` | `p_good_by_2024-06` | `p_good_by_end` | `median_months_to_ri` | `median_months_to_good` | beats baseline |", md, StringComparison.Ordinal);
        Assert.Contains("| strategy | `practice_quality` | `rereferral_rate` | `cla_per_10k` | `cpp_per_10k` | `caseload` | `turnover_rate` | `agency_rate` | `cost` |", md, StringComparison.Ordinal);
        var baselineQuality = result.Rows.Single(r => r.Strategy == "baseline" && r.Measure == "practice_quality").Value;
        Assert.Contains($"| baseline | {baselineQuality.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)} |", md, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(output)!, ".cmp.caresim-*"));
    }
}
