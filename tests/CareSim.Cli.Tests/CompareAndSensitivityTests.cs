namespace CareSim.Cli.Tests;

public class CompareAndSensitivityTests
{
    private static readonly string Sefton = Repo.Path("scenarios", "sefton-2022-23.yaml");

    [Fact]
    public void Compare_writes_a_comparison_and_prints_the_table()
    {
        var dir = Repo.TempDirectory();
        var result = Sim.Run(dir, "compare", Sefton, "--strategies", "partner,agency_cap", "--replicas", "30", "--out", "cmp", "--engine", "reference", "--worlds", "2", "--world-replicas", "10");
        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Contains("partner", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Regret", result.Stdout, StringComparison.Ordinal);
        Assert.All(result.Stdout.Split('\n'), line => Assert.True(line.Length <= 80, line));
        foreach (var file in new[] { "comparison.csv", "comparison.json", "comparison.parquet", "manifest.json", "regret.csv", "worlds.csv" })
            Assert.True(File.Exists(Path.Combine(dir, "cmp", file)), file);
        var lines = File.ReadAllLines(Path.Combine(dir, "cmp", "comparison.csv"));
        Assert.Contains(lines, l => l.StartsWith("agency_cap,E08000014,agency_rate,", StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_rejects_unknown_strategies_and_measures_with_exit_2()
    {
        var dir = Repo.TempDirectory();
        var unknown = Sim.Run(dir, "compare", Sefton, "--strategies", "partnr", "--out", "cmp");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown strategy 'partnr'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("partner", unknown.Stderr, StringComparison.Ordinal);
        var badMeasure = Sim.Run(dir, "compare", Sefton, "--strategies", "partner", "--rank-by", "happiness", "--out", "cmp");
        Assert.Equal(2, badMeasure.ExitCode);
        var badDate = Sim.Run(dir, "compare", Sefton, "--strategies", "partner", "--by", "2026-13", "--out", "cmp");
        Assert.Equal(2, badDate.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(dir, "cmp")));
    }

    [Fact]
    public void A_bad_strategies_file_is_reported_with_its_position()
    {
        var dir = Repo.TempDirectory();
        var file = Path.Combine(dir, "s.yaml");
        File.WriteAllText(file, "strategies:\n  - name: mine\n    authorities: [E08000041]\n    events:\n      - {offset_months: 1, date: 2024-05, event: partnership}\n");
        var result = Sim.Run(dir, "compare", Sefton, "--strategies", "mine", "--strategies-file", file);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{file}:3:19", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean 'E08000014'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("exactly one of 'date' and 'offset_months'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Sensitivity_writes_morris_statistics_and_rejects_unknown_outcomes()
    {
        var dir = Repo.TempDirectory();
        var bad = Sim.Run(dir, "sensitivity", Sefton, "--outcome", "happiness");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("p_good_by_end", bad.Stderr, StringComparison.Ordinal);
        var result = Sim.Run(dir, "sensitivity", Sefton, "--outcome", "cost", "--trajectories", "1", "--replicas", "10", "--engine", "reference", "--out", "s", "--quiet");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = File.ReadAllLines(Path.Combine(dir, "s", "sensitivity.csv"));
        Assert.Equal("parameter,outcome,mu_star,mu,sigma,low,high,unit", lines[0]);
        Assert.True(lines.Length > 20);
    }

    [Fact]
    public void Sensitivity_with_sobol_writes_indices_whose_intervals_hold_them_and_rejects_a_bad_method()
    {
        var dir = Repo.TempDirectory();
        var bad = Sim.Run(dir, "sensitivity", Sefton, "--outcome", "cost", "--method", "fast", "--out", "s");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--method: unknown method 'fast'; expected morris, sobol or both", bad.Stderr, StringComparison.Ordinal);
        var tooFew = Sim.Run(dir, "sensitivity", Sefton, "--outcome", "cost", "--method", "sobol", "--samples", "1", "--out", "s");
        Assert.Equal(2, tooFew.ExitCode);
        Assert.Contains("--samples must be at least 2", tooFew.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "s")));

        var result = Sim.Run(dir, "sensitivity", Sefton, "--outcome", "cost,months_to_good", "--method", "both", "--trajectories", "1", "--samples", "3",
            "--bootstrap", "50", "--replicas", "5", "--engine", "reference", "--out", "s");
        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Matches(@"sobol: 3 samples x \((\d+) parameters \+ 2\) = \d+ model runs, 5 replicas each", result.Stderr); // the cost is a note (stderr), the tables are results (stdout)
        Assert.Contains("Sobol indices", result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "s", "sensitivity.csv")));
        var lines = File.ReadAllLines(Path.Combine(dir, "s", "sobol.csv"));
        Assert.Equal("parameter,outcome,first_order,first_low,first_high,total_order,total_low,total_high,low,high,unit", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(2 * rows.Count(r => r[1] == "cost"), rows.Count);
        foreach (var r in rows)
        {
            var v = r[2..8].Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.InRange(v[0], v[1], v[2]);
            Assert.InRange(v[3], v[4], v[5]);
        }
    }
}
