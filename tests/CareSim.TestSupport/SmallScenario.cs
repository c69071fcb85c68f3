using CareSim.Engine.Reference;
using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.Model.Outputs;
using CareSim.Scenarios;

namespace CareSim.TestSupport;

/// <summary>Small scenarios (a council or two from April 2021) and a real run of one into a results directory (reference engine).</summary>
public static class SmallScenario
{
    /// <summary>Sefton's starting figures (an authority entry of the scenario's list).</summary>
    public static string Sefton(double quality = 0.45, string timeline = "") => $"""
          - code: E08000014
            name: Sefton
            region: North West
            initial:
              population: 52920
              referrals_per_10k: 483
              cin_per_10k: 409
              cpp_per_10k: 47.6
              cla_per_10k: 116
              sw_fte: 143.1
              agency_fte: 17.6
              vacancy_fte: 16
              caseload: 20.4
              quality: {quality.ToString(System.Globalization.CultureInfo.InvariantCulture)}
        {timeline}
        """;

    public const string Liverpool = """
          - code: E08000012
            name: Liverpool
            region: North West
            initial:
              population: 98000
              referrals_per_10k: 600
              cin_per_10k: 450
              cpp_per_10k: 60
              cla_per_10k: 130
              sw_fte: 300
              agency_fte: 40
              vacancy_fte: 30
              caseload: 19
              quality: 0.5
        """;

    /// <summary>A scenario of <paramref name="authorities"/> (default: Sefton) from April 2021.</summary>
    public static string Yaml(string name = "small", int horizonMonths = 12, int replicas = 20, ulong seed = 3, string? outcomesFrom = null,
        params string[] authorities) =>
        $"name: {name}\nstart: 2021-04\nhorizon_months: {horizonMonths}\nreplicas: {replicas}\nseed: {seed}\n"
        + (outcomesFrom is null ? "" : $"outcomes_from: {outcomesFrom}\n")
        + "authorities:\n" + string.Join("\n", authorities.Length == 0 ? [Sefton()] : authorities).TrimEnd() + "\n";

    /// <summary>Runs <paramref name="yaml"/> (read from <paramref name="scenarioFile"/> when given, so the manifest names it) into <paramref name="directory"/>.</summary>
    public static async Task<RunResult> RunAsync(string yaml, string directory, string? scenarioFile = null, ulong? seed = null, int blockSize = 7,
        IReadOnlyList<IResultsPublisher>? publishers = null, IReadOnlyDictionary<string, string>? extra = null)
    {
        var overrides = new ScenarioOverrides(Seed: seed);
        var load = scenarioFile is null ? ScenarioLoader.LoadText(yaml, "small.yaml", overrides: overrides) : ScenarioLoader.Load(scenarioFile, overrides);
        Assert.True(load.IsValid, string.Join("\n", load.Errors));
        var request = new RunRequest(load.Plan!, load.Sha256, scenarioFile, MetricCatalog.All.Select(m => m.Metric).ToList(), false,
            new RunSettings(BlockSize: blockSize), directory, ReplaceExisting: true, Extra: extra, Publishers: publishers);
        return await RunExecutor.ExecuteAsync(new ReferenceEngine(), request, null, CancellationToken.None);
    }
}
