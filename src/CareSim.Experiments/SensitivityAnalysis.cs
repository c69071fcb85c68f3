using System.Globalization;
using System.Text;
using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Randomness;

namespace CareSim.Experiments;

/// <summary>One parameter's Morris statistics for an outcome: mean absolute elementary effect (importance), mean (direction), and sd (interaction or non-linearity).</summary>
public sealed record SensitivityRow(string Parameter, string Outcome, double MuStar, double Mu, double Sigma, double Low, double High, string Unit);

/// <summary>
/// Morris screening of the uncertain parameters on one outcome: r trajectories through a grid of
/// p levels over the uncertain ranges, moving one parameter at a time by delta = p / (2 (p - 1));
/// each move's change of the outcome, divided by delta, is an elementary effect. Effects are on the
/// unit scale of each parameter's uncertain range, so parameters compare directly. All runs share
/// the scenario's seed (common random numbers).
/// </summary>
public static class SensitivityAnalysis
{
    public static Task<IReadOnlyList<SensitivityRow>> RunAsync(ISimulationEngine engine, SimulationPlan plan, OutcomeMeasure outcome, int authority,
        int trajectories, int levels, RunSettings settings, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken) =>
        RunAsync(engine, plan, [outcome], authority, trajectories, levels, settings, progress, cancellationToken);

    /// <summary>Several outcomes scored on the same model runs (one Morris design); rows per outcome, most influential first.</summary>
    public static async Task<IReadOnlyList<SensitivityRow>> RunAsync(ISimulationEngine engine, SimulationPlan plan, IReadOnlyList<OutcomeMeasure> outcomes, int authority,
        int trajectories, int levels, RunSettings settings, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(trajectories, 1);
        var parameters = UncertainParameters.All;
        var k = parameters.Count;
        var delta = levels / (2.0 * (levels - 1));
        var effects = outcomes.Select(_ => parameters.Select(_ => new List<double>()).ToArray()).ToArray();
        var evaluate = Evaluator(engine, plan, outcomes, authority, settings, trajectories * (k + 1), progress, cancellationToken);

        for (var t = 0; t < trajectories; t++)
        {
            var key = CounterRng.ReplicaKey(CounterRng.StreamKey(plan.Seed, 0x40B5, RandomStream.Setup, -3), t);
            // A base point on the grid from which +delta stays inside [0, 1].
            var usable = (int)Math.Floor((1 - delta) * (levels - 1) + 1e-9) + 1;
            var x = Enumerable.Range(0, k).Select(j => Math.Floor(CounterRng.Uniform(key, j) * usable) / (levels - 1)).ToArray();
            var order = Enumerable.Range(0, k).ToArray();
            for (var i = k - 1; i > 0; i--)
            {
                var pick = (int)(CounterRng.Uniform(key, k + i) * (i + 1));
                (order[i], order[pick]) = (order[pick], order[i]);
            }
            var current = await evaluate(x);
            foreach (var j in order)
            {
                var up = x[j] + delta <= 1 + 1e-9;
                x[j] += up ? delta : -delta;
                var next = await evaluate(x);
                for (var o = 0; o < outcomes.Count; o++) effects[o][j].Add((next[o] - current[o]) / (up ? delta : -delta));
                current = next;
            }
        }

        return outcomes.SelectMany((outcome, o) => parameters.Select((p, j) =>
        {
            var e = effects[o][j];
            var mu = e.Average();
            var sigma = e.Count > 1 ? Math.Sqrt(e.Sum(v => (v - mu) * (v - mu)) / (e.Count - 1)) : 0;
            return new SensitivityRow(p.Name, outcome.Name, e.Average(Math.Abs), mu, sigma, p.UncertainLow!.Value, p.UncertainHigh!.Value, outcome.Unit);
        }).OrderByDescending(r => r.MuStar)).ToList();
    }

    /// <summary>
    /// A model evaluation at a point of the unit cube of the uncertain ranges: the scenario run with
    /// those parameter values (same seed every time, so common random numbers across points), scored
    /// as each outcome's mean over replicas for one authority. Reports progress out of <paramref name="total"/>.
    /// </summary>
    internal static Func<double[], Task<double[]>> Evaluator(ISimulationEngine engine, SimulationPlan plan, IReadOnlyList<OutcomeMeasure> outcomes, int authority,
        RunSettings settings, int total, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var parameters = UncertainParameters.All;
        var done = 0;
        return async unit =>
        {
            var values = parameters.Select((p, j) => KeyValuePair.Create(p.Name, p.UncertainLow!.Value + unit[j] * (p.UncertainHigh!.Value - p.UncertainLow.Value))).ToList();
            var run = UncertainParameters.Apply(plan, values);
            var collected = new ReplicaOutcomes(run);
            await engine.RunAsync(run, settings, collected, null, cancellationToken).ConfigureAwait(false);
            progress?.Report((++done, total));
            return outcomes.Select(measure => collected.Values(authority, measure).Average()).ToArray();
        };
    }

    /// <summary>sensitivity.csv: one row per parameter and outcome.</summary>
    public static string ToCsv(IEnumerable<SensitivityRow> rows)
    {
        var csv = new StringBuilder("parameter,outcome,mu_star,mu,sigma,low,high,unit\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Parameter},{r.Outcome},{ResultsWriter.Format(r.MuStar)},{ResultsWriter.Format(r.Mu)},{ResultsWriter.Format(r.Sigma)},{ResultsWriter.Format(r.Low)},{ResultsWriter.Format(r.High)},\"{r.Unit}\"\n");
        return csv.ToString();
    }

    /// <summary>The parameter's definition (for units and descriptions in reports).</summary>
    public static ParameterDefinition Definition(string name) =>
        ModelParameters.TryFind(name, out var definition) ? definition : throw new ArgumentException($"unknown parameter '{name}'", nameof(name));
}
