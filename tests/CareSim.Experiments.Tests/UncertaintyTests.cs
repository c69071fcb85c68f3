using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Model.Parameters;

namespace CareSim.Experiments.Tests;

public class UncertaintyTests
{
    [Fact]
    public void A_latin_hypercube_uses_every_stratum_of_every_parameter_once()
    {
        const int count = 12;
        var points = UncertainParameters.LatinHypercube(count, seed: 5);
        Assert.Equal(count, points.Count);
        foreach (var parameter in UncertainParameters.All.Where(p => UncertainParameters.JointColumn(p) < 0))
        {
            var strata = points
                .Select(p => p.Single(v => v.Key == parameter.Name).Value)
                .Select(v => (int)Math.Floor((v - parameter.UncertainLow!.Value) / (parameter.UncertainHigh!.Value - parameter.UncertainLow.Value) * count))
                .OrderBy(s => s)
                .ToList();
            Assert.Equal(Enumerable.Range(0, count), strata);
        }
        Assert.Equal(points.Select(p => p[0].Value), UncertainParameters.LatinHypercube(count, seed: 5).Select(p => p[0].Value));
        Assert.NotEqual(points.Select(p => p[0].Value), UncertainParameters.LatinHypercube(count, seed: 6).Select(p => p[0].Value));
    }

    [Fact]
    public void The_grade_models_parameters_are_drawn_together_from_one_bootstrap_replicate_per_point()
    {
        const int count = 20;
        var replicates = GradeFitReplicates.Values;
        Assert.True(replicates.Count >= count, "the committed grade fit has its bootstrap replicates");
        var joint = UncertainParameters.All.Where(p => UncertainParameters.JointColumn(p) >= 0).ToList();
        Assert.Equal(GradeFitReplicates.Names.OrderBy(n => n), joint.Select(p => p.Name).OrderBy(n => n));
        var used = new List<int>();
        foreach (var point in UncertainParameters.LatinHypercube(count, seed: 5))
        {
            var values = joint.Select(p => point.Single(v => v.Key == p.Name).Value).ToArray();
            // Every value of the point comes from the same replicate: the correlations are kept.
            var row = Enumerable.Range(0, replicates.Count).Single(r => joint.Select((p, j) => replicates[r][UncertainParameters.JointColumn(p)] == values[j]).All(x => x));
            used.Add(row);
        }
        // The replicates are stratified: one from each twentieth of them.
        Assert.Equal(Enumerable.Range(0, count), used.Select(r => r * count / replicates.Count).Order());
    }

    [Fact]
    public async Task Regret_is_zero_for_the_best_strategy_in_each_world_and_never_negative()
    {
        var plan = Scenarios.Load("sefton-2022-23.yaml", replicas: 10);
        var strategies = Scenarios.Standard(plan).Where(s => s.Name is "partner" or "agency_cap").ToList();
        var result = await RobustnessAnalysis.RunAsync(new ReferenceEngine(), plan, strategies, worlds: 4, replicasPerWorld: 30,
            OutcomeMeasures.PRequiresImprovement, new RunSettings(), null, CancellationToken.None);
        Assert.Equal(4, result.Worlds.Count);
        Assert.Equal(3, result.Regret.Count);
        Assert.All(result.Regret, r => Assert.True(r.MeanRegret >= 0 && r.MaxRegret >= r.MeanRegret));
        // Every world has a best strategy (ties may make it more than one).
        Assert.True(result.Regret.Sum(r => r.ShareBest) >= 1 - 1e-9);
        foreach (var world in result.Worlds)
            Assert.Contains(result.Regret, r => Math.Abs(world.ValueByStrategy[r.Strategy] - world.ValueByStrategy.Values.Max()) < 1e-12);
        // The Markdown lists every strategy, the most robust (smallest maximum regret) first.
        var md = RobustnessAnalysis.ToMarkdown(result, OutcomeMeasures.PRequiresImprovement, 30);
        var listed = md.Split('\n').Where(l => l.StartsWith("| E08000014 |", StringComparison.Ordinal)).Select(l => l.Split('|')[2].Trim()).ToList();
        Assert.Equal(result.Regret.OrderBy(r => r.MaxRegret).ThenBy(r => r.MeanRegret).Select(r => r.Strategy), listed);
    }

    [Fact]
    public async Task Morris_screening_ranks_an_influential_parameter_above_an_irrelevant_one()
    {
        var plan = Scenarios.Load("sefton-2022-23.yaml", replicas: 20, horizon: 48);
        var rows = await SensitivityAnalysis.RunAsync(new ReferenceEngine(), plan, OutcomeMeasures.Cost, authority: 0,
            trajectories: 3, levels: 4, new RunSettings(), null, CancellationToken.None);
        Assert.Equal(UncertainParameters.All.Count, rows.Count);
        var agencyCost = rows.Single(r => r.Parameter == P.AgencyCostMultiplier.Name);
        var monitoringPace = rows.Single(r => r.Parameter == P.MonitoringRequiredPace.Name);
        Assert.True(agencyCost.MuStar > 10 * Math.Max(monitoringPace.MuStar, 1e-6), $"agency cost {agencyCost.MuStar} vs monitoring pace {monitoringPace.MuStar}");
        Assert.True(agencyCost.Mu > 0, "dearer agency staff raise cost");
        Assert.Equal(rows.OrderByDescending(r => r.MuStar).Select(r => r.Parameter), rows.Select(r => r.Parameter));
    }

    [Fact]
    public void Paired_statistics_match_hand_computed_values()
    {
        double[] strategy = [2, 4, 6, 8];
        double[] baseline = [1, 1, 1, 1];
        var (mean, low, high) = PairedStatistics.MeanDifference(strategy, baseline);
        Assert.Equal(4, mean, 12);
        var half = 3.182446305284263 * Math.Sqrt(20.0 / 3 / 4); // t(0.975, 3) x sd / sqrt(n)
        Assert.Equal(4 - half, low, 9);
        Assert.Equal(4 + half, high, 9);
        Assert.Equal(1.0, PairedStatistics.ShareBetter(strategy, baseline, Better.Higher));
        Assert.Equal(0.0, PairedStatistics.ShareBetter(strategy, baseline, Better.Lower));
        Assert.Equal(0.5, PairedStatistics.ShareBetter(baseline, baseline, Better.Higher));
        Assert.Equal(5, PairedStatistics.Median(strategy), 12);
        var (difference, _, _) = PairedStatistics.MedianDifference(strategy, baseline, resamples: 200);
        Assert.Equal(4, difference, 12);
    }
}
