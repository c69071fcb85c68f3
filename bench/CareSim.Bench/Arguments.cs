using CareSim.Engine.Running;
using CareSim.Model.Plan;
using CareSim.Scenarios;

namespace CareSim.Bench;

/// <summary>A scenario's plan with the replicas, months and block size the options asked for.</summary>
public sealed record Workload(string Scenario, SimulationPlan Plan, RunSettings Settings)
{
    public int BlockSize => Settings.BlockSize;
}

/// <summary>--name value pairs.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Arguments Parse(IReadOnlyList<string> args)
    {
        var result = new Arguments();
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            result._values[args[i][2..]] = args[++i];
        }
        return result;
    }

    public string Text(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"--{name} is required");

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    /// <summary>
    /// The options every workload command takes: --scenario FILE [--replicas N] [--months M]
    /// [--block-size B]. Null (the scenario's errors written to standard error) when the scenario is invalid.
    /// </summary>
    public Workload? Workload(int defaultReplicas)
    {
        var scenario = Text("scenario");
        var load = ScenarioLoader.Load(scenario, new ScenarioOverrides(Int("replicas", defaultReplicas), null, Int("months", 24)));
        if (!load.IsValid)
        {
            foreach (var error in load.Errors) Console.Error.WriteLine(error);
            return null;
        }
        return new Workload(scenario, load.Plan!, new RunSettings(BlockSize: Int("block-size", 1000)));
    }

    public double Double(string name, double fallback) => _values.TryGetValue(name, out var value) ? double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
