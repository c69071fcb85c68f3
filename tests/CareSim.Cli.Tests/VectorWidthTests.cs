using System.Runtime.Intrinsics;
using System.Text.Json;
using CareSim.Engine.Running;

namespace CareSim.Cli.Tests;

/// <summary>
/// `sim` runs the model's vector loops as wide as the processor accelerates (<see cref="VectorWidth"/>), and the
/// width changes speed, never a number.
/// </summary>
public class VectorWidthTests
{
    private static readonly string[] ResultFiles = ["summary.csv", "outcomes.csv", "outcome_cdf.csv", "totals.csv", "next_inspection.csv"];

    [Fact]
    public void Sim_runs_as_wide_as_the_processor_allows_and_the_width_changes_no_number()
    {
        var dir = Repo.TempDirectory();
        // 2 doubles a lane (a width the user chose is kept) against the widest the machine has (4, or 8 with AVX-512): every width a replica's
        // values pass through differs, and 203 replicas leave a scalar tail at each.
        string[] run = ["run", Repo.Path("scenarios", "sefton-2022-23.yaml"), "--replicas", "203", "--horizon", "36", "--engine", "reference", "--quiet"];
        var narrow = Sim.Run(dir, new Dictionary<string, string?> { [VectorWidth.Variable] = "128" }, [.. run, "--out", "narrow"]);
        Assert.True(narrow.ExitCode == 0, narrow.Stderr);
        var widest = Sim.Run(dir, new Dictionary<string, string?> { [VectorWidth.Variable] = null }, [.. run, "--out", "widest"]);
        Assert.True(widest.ExitCode == 0, widest.Stderr);

        Assert.Equal(128, VectorBits(Path.Combine(dir, "narrow")));
        var expected = Vector512.IsHardwareAccelerated ? 512 : VectorWidth.Bits;
        Assert.Equal(expected, VectorBits(Path.Combine(dir, "widest")));
        Assert.True(expected > 128, "this machine has no vector lanes wider than 128 bits: the test compares nothing");

        foreach (var file in ResultFiles)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(dir, "narrow", file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir, "widest", file))),
                $"{file} differs between 128-bit and {expected}-bit vector lanes");
        }
    }

    [Fact]
    public void A_child_process_gets_the_width_the_user_set_not_the_one_sim_set_for_itself()
    {
        var setBySim = new Dictionary<string, string?> { [VectorWidth.Variable] = "512", [VectorWidth.SetBySim] = "1", ["OTHER"] = "x" };
        VectorWidth.ForChild(setBySim);
        Assert.Equal(["OTHER"], setBySim.Keys);

        var setByUser = new Dictionary<string, string?> { [VectorWidth.Variable] = "256" };
        VectorWidth.ForChild(setByUser);
        Assert.Equal("256", setByUser[VectorWidth.Variable]);
    }

    private static int VectorBits(string resultsDirectory)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(resultsDirectory, "manifest.json")));
        return manifest.RootElement.GetProperty("vector_bits").GetInt32();
    }
}
