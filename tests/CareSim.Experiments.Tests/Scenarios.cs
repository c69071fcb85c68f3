using CareSim.Model.Plan;
using CareSim.Scenarios;

namespace CareSim.Experiments.Tests;

public static class Scenarios
{
    public static string Repo { get; } = FindRepo();

    private static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulation.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    public static SimulationPlan Load(string file, int replicas, int? horizon = null)
    {
        var result = ScenarioLoader.Load(Path.Combine(Repo, "scenarios", file), new ScenarioOverrides(replicas, 3, horizon));
        Assert.True(result.IsValid, result.FormatErrors());
        return result.Plan!;
    }

    public static IReadOnlyList<Strategy> Standard(SimulationPlan plan)
    {
        var result = ScenarioLoader.LoadStrategies(Path.Combine(Repo, "scenarios", "strategies.yaml"), plan);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Strategies;
    }
}
