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
    /// random order per parameter. The grade model's fitted parameters are drawn together instead:
    /// each point takes all of them from one bootstrap replicate of the committed fit
    /// (<see cref="GradeFitReplicates"/>), the replicates stratified as one more dimension, so that
    /// their correlations are kept. Deterministic given the seed.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<KeyValuePair<string, double>>> LatinHypercube(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var points = Enumerable.Range(0, count).Select(_ => new List<KeyValuePair<string, double>>()).ToList();
        var replicates = GradeFitReplicates.Values;
        var replicate = Stratified(count, seed, "grade-fit-replicates").Select(u => Math.Min(replicates.Count - 1, (int)(u * replicates.Count))).ToArray();
        foreach (var parameter in All)
        {
            var column = JointColumn(parameter);
            if (column >= 0)
            {
                for (var k = 0; k < count; k++) points[k].Add(KeyValuePair.Create(parameter.Name, replicates[replicate[k]][column]));
                continue;
            }
            var low = parameter.UncertainLow!.Value;
            var high = parameter.UncertainHigh!.Value;
            var u = Stratified(count, seed, parameter.Name);
            for (var k = 0; k < count; k++) points[k].Add(KeyValuePair.Create(parameter.Name, low + (high - low) * u[k]));
        }
        return points;
    }

    /// <summary>The column of a parameter in the grade fit's bootstrap replicates, or -1 when it is drawn on its own.</summary>
    public static int JointColumn(ParameterDefinition parameter) =>
        GradeFitReplicates.Values.Count > 0 ? GradeFitReplicates.Names.ToList().IndexOf(parameter.Name) : -1;

    /// <summary>
    /// <paramref name="count"/> uniforms in [0, 1), one in each of <paramref name="count"/> equal
    /// strata, in a random order keyed by <paramref name="name"/>.
    /// </summary>
    private static double[] Stratified(int count, ulong seed, string name)
    {
        var key = CounterRng.ReplicaKey(CounterRng.StreamKey(seed, CounterRng.AuthorityKey(name), RandomStream.Setup, -2), 0);
        var strata = Enumerable.Range(0, count).ToArray();
        for (var i = count - 1; i > 0; i--)
        {
            var pick = (int)(CounterRng.Uniform(key, i) * (i + 1));
            (strata[i], strata[pick]) = (strata[pick], strata[i]);
        }
        return Enumerable.Range(0, count).Select(k => (strata[k] + CounterRng.Uniform(key, count + k)) / count).ToArray();
    }
}
