using CareSim.Engine.Reference;
using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.Model.Outputs;
using CareSim.Scenarios;

namespace CareSim.Store.Tests;

/// <summary>Small real runs (reference engine: 20 replicas, 12 months, two authorities) written to temporary results directories.</summary>
public static class TestRuns
{
    public const string Scenario = """
        name: store test
        start: 2021-04
        horizon_months: 12
        replicas: 20
        seed: 3
        authorities:
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
              quality: 0.45
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

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "caresim-store-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs the scenario (seed <paramref name="seed"/>) into <paramref name="directory"/>, with optional publishers.</summary>
    public static async Task<RunResult> RunAsync(string directory, ulong seed = 3, IReadOnlyList<IResultsPublisher>? publishers = null,
        Dictionary<string, string>? extra = null)
    {
        var load = ScenarioLoader.LoadText(Scenario, "store-test.yaml", overrides: new ScenarioOverrides(Seed: seed));
        Assert.True(load.IsValid, load.FormatErrors());
        var request = new RunRequest(load.Plan!, load.Sha256, null, MetricCatalog.All.Select(m => m.Metric).ToList(), false,
            new RunSettings(BlockSize: 7), directory, ReplaceExisting: true, Extra: extra, Publishers: publishers);
        return await RunExecutor.ExecuteAsync(new ReferenceEngine(), request, null, CancellationToken.None);
    }

    /// <summary>
    /// A comparison directory in the format of <c>sim compare</c>: manifest.json with kind
    /// comparison, comparison.csv, and one results directory per strategy under strategies/.
    /// </summary>
    public static async Task<string> ComparisonAsync(string directory)
    {
        await RunAsync(Path.Combine(directory, "strategies", "baseline"), seed: 3);
        await RunAsync(Path.Combine(directory, "strategies", "more_staff"), seed: 4);
        File.WriteAllText(Path.Combine(directory, ResultsWriter.ManifestJson), """
            {
              "kind": "comparison",
              "tool": "sim",
              "engine": "reference",
              "scenario": "store test",
              "scenario_sha256": "0000000000000000000000000000000000000000000000000000000000000000",
              "seed": 3,
              "replicas": 20,
              "start": "2021-04",
              "horizon_months": 12,
              "rank_by": "p_good_by_end",
              "authorities": ["E08000014", "E08000012"],
              "strategies": [
                { "name": "baseline", "description": "The scenario as it is", "results": "strategies/baseline" },
                { "name": "more_staff", "description": "Recruit, with \"quotes\"", "results": "strategies/more_staff" }
              ],
              "created_utc": "2026-01-02T03:04:05+00:00"
            }
            """);
        File.WriteAllText(Path.Combine(directory, ResultsDirectory.ComparisonCsv), """
            strategy,authority,measure,unit,baseline,value,difference,ci_low,ci_high,p_beats_baseline,rank
            baseline,E08000014,p_good_by_end,probability,0.25,0.25,0,0,0,,2
            more_staff,E08000014,p_good_by_end,probability,0.25,0.4,0.15,0.05,0.25,0.3,1
            baseline,E08000014,cost,"GBP m, total",120.5,120.5,0,0,0,,1
            more_staff,E08000014,cost,"GBP m, total",120.5,131,10.5,8.25,12.75,0,2
            baseline,all,p_good_by_end,probability,0.3,0.3,0,0,0,,2
            more_staff,all,p_good_by_end,probability,0.3,0.45,0.15,0.1,0.2,0.35,1

            """);
        return directory;
    }
}
