using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Randomness;

namespace CareSim.Experiments;

/// <summary>
/// The model's uncertain parameters (those with an uncertain range in
/// <see cref="P"/>): what we do not know, as opposed to the levers a strategy sets.
/// </summary>
public static class UncertainParameters
{
    public static IReadOnlyList<ParameterDefinition> All { get; } = P.All.Where(p => p.IsUncertain && !p.Name.StartsWith("policy.", StringComparison.Ordinal)).ToList();

    /// <summary>The plan with these parameter values set everywhere (scenario and every authority).</summary>
    public static SimulationPlan Apply(SimulationPlan plan, IReadOnlyList<KeyValuePair<string, double>> values) => plan with
    {
        Parameters = plan.Parameters.With(values),
        Authorities = plan.Authorities.Select(a => a with { Parameters = a.Parameters.With(values) }).ToList(),
    };

    /// <summary>
    /// A Latin hypercube of <paramref name="count"/> points over the uncertain ranges: each
    /// parameter's range is cut into <paramref name="count"/> equal strata, each used once, in a
    /// random order per parameter. Deterministic given the seed.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<KeyValuePair<string, double>>> LatinHypercube(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var points = Enumerable.Range(0, count).Select(_ => new List<KeyValuePair<string, double>>()).ToList();
        for (var j = 0; j < All.Count; j++)
        {
            var parameter = All[j];
            var key = CounterRng.ReplicaKey(CounterRng.StreamKey(seed, CounterRng.AuthorityKey(parameter.Name), RandomStream.Setup, -2), 0);
            var strata = Enumerable.Range(0, count).ToArray();
            for (var i = count - 1; i > 0; i--)
            {
                var pick = (int)(CounterRng.Uniform(key, i) * (i + 1));
                (strata[i], strata[pick]) = (strata[pick], strata[i]);
            }
            var low = parameter.UncertainLow!.Value;
            var high = parameter.UncertainHigh!.Value;
            for (var k = 0; k < count; k++)
            {
                var u = (strata[k] + CounterRng.Uniform(key, count + k)) / count;
                points[k].Add(KeyValuePair.Create(parameter.Name, low + (high - low) * u));
            }
        }
        return points;
    }
}
