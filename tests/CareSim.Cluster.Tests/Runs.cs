using System.Globalization;

namespace CareSim.Cluster.Tests;

/// <summary>What the cluster tests compare against: an embedded run's results directory, byte for byte.</summary>
public static class Runs
{
    public const string Sefton = "sefton-2022-23.yaml";

    // The CSV files, byte for byte. The Parquet files hold the same numbers but also each run's own id in their metadata.
    private static readonly string[] ResultFiles = ["summary.csv", "outcomes.csv", "outcome_cdf.csv", "totals.csv", "next_inspection.csv"];

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The embedded run's results directory (one in-process silo, as `sim run` without --cluster), seed 11.</summary>
    public static async Task<string> EmbeddedAsync(string workingDirectory, string scenario, int replicas, int horizon)
    {
        var output = Path.Combine(workingDirectory, $"embedded-{Guid.NewGuid():N}");
        using var sim = SimProcess.Start("embedded run", workingDirectory, new Dictionary<string, string>(),
            "run", Repo.Scenario(scenario), "--replicas", Text(replicas), "--horizon", Text(horizon), "--seed", "11", "--out", output, "--quiet");
        Assert.True(await sim.WaitForExitAsync(TimeSpan.FromMinutes(3)) == 0, sim.Output);
        return output;
    }

    public static void AssertSameResults(string expected, string actual)
    {
        foreach (var file in ResultFiles)
        {
            var a = File.ReadAllBytes(Path.Combine(expected, file));
            var b = File.ReadAllBytes(Path.Combine(actual, file));
            Assert.True(a.AsSpan().SequenceEqual(b), $"{file} differs between {expected} and {actual}");
        }
    }
}
