using CareSim.Engine.Results;
using CareSim.Engine.Running;
using CareSim.TestSupport;

namespace CareSim.Store.Tests;

/// <summary>Small real runs (reference engine: 20 replicas, 12 months, two authorities) written to temporary results directories.</summary>
public static class TestRuns
{
    public static readonly string Scenario = SmallScenario.Yaml("store test", authorities: [SmallScenario.Sefton(), SmallScenario.Liverpool]);

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "caresim-store-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs the scenario (seed <paramref name="seed"/>) into <paramref name="directory"/>, with optional publishers.</summary>
    public static async Task<RunResult> RunAsync(string directory, ulong seed = 3, IReadOnlyList<IResultsPublisher>? publishers = null,
        Dictionary<string, string>? extra = null)
        => await SmallScenario.RunAsync(Scenario, directory, seed: seed, publishers: publishers, extra: extra);

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
