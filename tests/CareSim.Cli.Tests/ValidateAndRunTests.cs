using System.Text.Json;
using CareSim.TestSupport;

namespace CareSim.Cli.Tests;

public class ValidateAndRunTests
{
    private static readonly string Small = SmallScenario.Yaml();

    private static string Write(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Validate_accepts_the_shipped_scenarios()
    {
        var files = Directory.GetFiles(Repo.Path("scenarios"), "*.yaml");
        Assert.NotEmpty(files);
        var result = Sim.Run(Repo.Root, ["validate", .. files]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("valid", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_checks_a_strategies_file_on_its_own()
    {
        var dir = Repo.TempDirectory();
        var good = Write(dir, "good.yaml", "strategies:\n  - name: cap\n    parameters: {policy.agency_cap: 0.2}\n");
        var bad = Write(dir, "bad.yaml", "strategies:\n  - name: baseline\n    parameters: {policy.agency_capp: 0.2}\n");
        var ok = Sim.Run(dir, "validate", good);
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("valid strategies file (1 strategies", ok.Stdout, StringComparison.Ordinal);
        var result = Sim.Run(dir, "validate", bad);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("reserved", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean 'policy.agency_cap'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_reports_file_line_column_path_and_suggestion_and_exits_2()
    {
        var dir = Repo.TempDirectory();
        var path = Write(dir, "bad.yaml", Small.Replace("horizon_months: 12", "horizon_month: 12", StringComparison.Ordinal));
        var result = Sim.Run(dir, "validate", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{path}:3:1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("horizon_months", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_writes_a_complete_results_directory()
    {
        var dir = Repo.TempDirectory();
        var scenario = Write(dir, "small.yaml", Small);
        var output = Path.Combine(dir, "out");
        var result = Sim.Run(dir, "run", scenario, "--out", output, "--block-size", "7");
        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        foreach (var file in new[] { "summary.csv", "summary.parquet", "outcomes.csv", "outcome_cdf.csv", "totals.csv", "manifest.json" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        var lines = File.ReadAllLines(Path.Combine(output, "summary.csv"));
        Assert.Equal("authority,month,metric,mean,p05,p10,p25,p50,p75,p90,p95", lines[0]);
        Assert.Equal(1 + 12 * CareSim.Model.Outputs.MetricCatalog.Count, lines.Length);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        Assert.Equal(20, manifest.RootElement.GetProperty("replicas").GetInt32());
        Assert.Equal(3UL, manifest.RootElement.GetProperty("seed").GetUInt64());
        Assert.Equal(7, manifest.RootElement.GetProperty("block_size").GetInt32());
        Assert.Equal(64, manifest.RootElement.GetProperty("scenario_sha256").GetString()!.Length);
        Assert.Contains("Sefton", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(dir, ".out.caresim-*"));
    }

    [Fact]
    public void Run_with_overrides_is_reproducible_and_block_size_does_not_change_numbers()
    {
        var dir = Repo.TempDirectory();
        var scenario = Write(dir, "small.yaml", Small);
        Assert.Equal(0, Sim.Run(dir, "run", scenario, "--out", "a", "--replicas", "15", "--seed", "9", "--quiet").ExitCode);
        Assert.Equal(0, Sim.Run(dir, "run", scenario, "--out", "b", "--replicas", "15", "--seed", "9", "--block-size", "4", "--quiet").ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "a", "summary.csv")), File.ReadAllText(Path.Combine(dir, "b", "summary.csv")));
    }

    [Fact]
    public void An_invalid_scenario_exits_2_and_creates_nothing()
    {
        var dir = Repo.TempDirectory();
        var scenario = Write(dir, "bad.yaml", Small.Replace("replicas: 20", "replicas: many", StringComparison.Ordinal));
        var result = Sim.Run(dir, "run", scenario, "--out", "out");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("replicas", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
        Assert.Single(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void A_bad_option_value_exits_2()
    {
        var dir = Repo.TempDirectory();
        var scenario = Write(dir, "small.yaml", Small);
        Assert.Equal(2, Sim.Run(dir, "run", scenario, "--replicas", "0").ExitCode);
        Assert.Equal(2, Sim.Run(dir, "run", scenario, "--block-size", "0").ExitCode);
        Assert.Equal(2, Sim.Run(dir, "run", scenario, "--replicas", "lots").ExitCode);
        Assert.Equal(2, Sim.Run(dir, "run", scenario, "--no-such-option").ExitCode);
    }

    [Fact]
    public void A_folder_holding_other_files_is_written_only_with_force_and_they_survive()
    {
        var dir = Repo.TempDirectory();
        var scenario = Write(dir, "small.yaml", Small);
        Directory.CreateDirectory(Path.Combine(dir, "out"));
        File.WriteAllText(Path.Combine(dir, "out", "precious.txt"), "keep");
        Assert.Equal(2, Sim.Run(dir, "run", scenario, "--out", "out", "--quiet").ExitCode);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(dir, "out", "precious.txt")));
        Assert.Equal(0, Sim.Run(dir, "run", scenario, "--out", "out", "--quiet", "--force").ExitCode);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(dir, "out", "precious.txt")));
        Assert.True(File.Exists(Path.Combine(dir, "out", "manifest.json")));
    }

    [Fact]
    public async Task Ctrl_C_stops_the_run_and_leaves_no_results_directory()
    {
        var dir = Repo.TempDirectory();
        var scenario = Write(dir, "long.yaml", Small.Replace("horizon_months: 12", "horizon_months: 600", StringComparison.Ordinal).Replace("replicas: 20", "replicas: 200000", StringComparison.Ordinal));
        var result = await Sim.InterruptRunAsync(dir, "INT", scenario);
        Assert.Equal(130, result.ExitCode);
        Assert.Contains("interrupted", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
        Assert.Empty(Directory.GetDirectories(dir, ".out.caresim-*"));
    }
}
