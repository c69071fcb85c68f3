using System.Globalization;
using System.Text;
using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.Model.Plan;

namespace CareSim.Experiments;

/// <summary>One strategy's performance across sampled worlds: mean value, mean and maximum regret, share of worlds where it is best.</summary>
public sealed record RegretRow(string Strategy, string Authority, string Measure, double MeanValue, double MeanRegret, double MaxRegret, double ShareBest);

/// <summary>One world (a point of the Latin hypercube) and each strategy's mean outcome in it.</summary>
public sealed record WorldResult(int World, IReadOnlyList<KeyValuePair<string, double>> Parameters, IReadOnlyDictionary<string, double> ValueByStrategy);

public sealed record RobustnessResult(IReadOnlyList<RegretRow> Regret, IReadOnlyList<WorldResult> Worlds);

/// <summary>
/// Uncertainty beyond replicas: the uncertain parameters are sampled by Latin hypercube into
/// "worlds"; every strategy runs in every world (common random numbers within a world); a
/// strategy's regret in a world is how far it falls short of the best strategy there. A robust
/// strategy has low maximum regret, not only a good average.
/// </summary>
public static class RobustnessAnalysis
{
    /// <summary>
    /// The regret as Markdown (appended to comparison.md): per authority, strategies from the
    /// smallest maximum regret, with mean value, mean and maximum regret and the share of worlds
    /// in which each is best.
    /// </summary>
    public static string ToMarkdown(RobustnessResult result, OutcomeMeasure measure, int replicasPerWorld)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"#### Regret on `{measure.Name}` across {result.Worlds.Count} sampled worlds\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Each world samples the uncertain parameters (Latin hypercube; the grade model's fitted ones together, from one bootstrap replicate of its fit) and runs every strategy on the same {replicasPerWorld:N0} replicas. A strategy's regret in a world is how far its `{measure.Name}` falls short of the best strategy's there; a robust strategy has a small maximum regret. Every world's parameters and values: worlds.csv.\n\n");
        md.Append("| authority | strategy | mean value | mean regret | max regret | best in |\n|---|---|---:|---:|---:|---:|\n");
        foreach (var row in result.Regret.OrderBy(r => r.Authority, StringComparer.Ordinal).ThenBy(r => r.MaxRegret).ThenBy(r => r.MeanRegret))
        {
            md.Append(CultureInfo.InvariantCulture, $"| {row.Authority} | {row.Strategy} | {row.MeanValue:0.###} | {row.MeanRegret:0.###} | {row.MaxRegret:0.###} | {row.ShareBest:P0} |\n");
        }
        md.Append('\n');
        return md.ToString();
    }

    public static async Task<RobustnessResult> RunAsync(ISimulationEngine engine, SimulationPlan plan, IReadOnlyList<Strategy> strategies,
        int worlds, int replicasPerWorld, OutcomeMeasure measure, RunSettings settings, IProgress<int>? worldsDone, CancellationToken cancellationToken)
    {
        var all = new List<Strategy> { Strategy.Baseline };
        all.AddRange(strategies.Where(s => s.Name != Strategy.BaselineName));
        var samples = UncertainParameters.LatinHypercube(worlds, plan.Seed);
        var scopes = plan.Authorities.Select((a, i) => (Code: a.Code, Index: i)).ToList();
        var values = new double[worlds, all.Count, scopes.Count];
        var results = new List<WorldResult>();
        for (var w = 0; w < worlds; w++)
        {
            var world = UncertainParameters.Apply(plan, samples[w]) with { Replicas = replicasPerWorld };
            var byStrategy = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var s = 0; s < all.Count; s++)
            {
                var strategyPlan = all[s].ApplyTo(world);
                var outcomes = new ReplicaOutcomes(strategyPlan);
                await engine.RunAsync(strategyPlan, settings, outcomes, null, cancellationToken).ConfigureAwait(false);
                foreach (var (_, index) in scopes) values[w, s, index] = outcomes.Values(index, measure).Average();
                byStrategy[all[s].Name] = scopes.Average(x => values[w, s, x.Index]);
            }
            results.Add(new WorldResult(w, samples[w], byStrategy));
            worldsDone?.Report(w + 1);
        }

        var rows = new List<RegretRow>();
        foreach (var (code, index) in scopes)
        {
            for (var s = 0; s < all.Count; s++)
            {
                double sumRegret = 0, maxRegret = 0, best = 0, sumValue = 0;
                for (var w = 0; w < worlds; w++)
                {
                    var bestValue = Enumerable.Range(0, all.Count).Select(k => values[w, k, index]).Aggregate(measure.Better == Better.Higher ? Math.Max : Math.Min);
                    var regret = Math.Abs(bestValue - values[w, s, index]);
                    sumRegret += regret;
                    maxRegret = Math.Max(maxRegret, regret);
                    sumValue += values[w, s, index];
                    if (regret == 0) best += 1;
                }
                rows.Add(new RegretRow(all[s].Name, code, measure.Name, sumValue / worlds, sumRegret / worlds, maxRegret, best / worlds));
            }
        }
        return new RobustnessResult(rows, results);
    }

    /// <summary>regret.csv and worlds.csv (into a comparison's staging folder).</summary>
    public static void WriteFiles(string directory, RobustnessResult robustness)
    {
        var regret = new StringBuilder("strategy,authority,measure,mean_value,mean_regret,max_regret,share_best\n");
        foreach (var r in robustness.Regret)
            regret.Append(CultureInfo.InvariantCulture, $"{r.Strategy},{r.Authority},{r.Measure},{ResultsWriter.Format(r.MeanValue)},{ResultsWriter.Format(r.MeanRegret)},{ResultsWriter.Format(r.MaxRegret)},{ResultsWriter.Format(r.ShareBest)}\n");
        var parameters = robustness.Worlds.Count > 0 ? robustness.Worlds[0].Parameters.Select(p => p.Key).ToList() : [];
        var strategies = robustness.Worlds.Count > 0 ? robustness.Worlds[0].ValueByStrategy.Keys.ToList() : [];
        var worlds = new StringBuilder("world," + string.Join(',', parameters) + "," + string.Join(',', strategies.Select(s => "value_" + s)) + "\n");
        foreach (var w in robustness.Worlds)
        {
            worlds.Append(w.World.ToString(CultureInfo.InvariantCulture));
            foreach (var p in w.Parameters) worlds.Append(',').Append(ResultsWriter.Format(p.Value));
            foreach (var s in strategies) worlds.Append(',').Append(ResultsWriter.Format(w.ValueByStrategy[s]));
            worlds.Append('\n');
        }
        File.WriteAllText(Path.Combine(directory, "regret.csv"), regret.ToString());
        File.WriteAllText(Path.Combine(directory, "worlds.csv"), worlds.ToString());
    }
}
