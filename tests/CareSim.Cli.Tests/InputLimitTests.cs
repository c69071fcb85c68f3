namespace CareSim.Cli.Tests;

/// <summary>Input that cannot give a meaningful or a finished run is refused before anything is written (docs/scenarios.md#limits).</summary>
public class InputLimitTests
{
    private static readonly string Sefton = Repo.Path("scenarios", "sefton-2022-23.yaml");

    /// <summary>Only the test's scenario files: no results directory, no staging folder.</summary>
    private static void AssertNothingWritten(string dir) =>
        Assert.All(Directory.GetFileSystemEntries(dir), entry => Assert.EndsWith(".yaml", entry, StringComparison.Ordinal));

    [Fact]
    public void Deeply_nested_yaml_is_a_located_error_not_a_crash()
    {
        var dir = Repo.TempDirectory();
        var path = Path.Combine(dir, "deep.yaml");
        File.WriteAllText(path, new string('[', 50_000));
        foreach (var command in new[] { "validate", "run" })
        {
            var result = Sim.Run(dir, command, path);
            Assert.True(result.ExitCode == 2, $"{command}: exit {result.ExitCode}\n{result.Stderr}");
            Assert.Contains($"{path}:1:65: nesting deeper than 64 levels", result.Stderr, StringComparison.Ordinal);
        }
        AssertNothingWritten(dir);
    }

    [Fact]
    public void A_run_too_large_for_the_memory_is_refused_with_the_estimate_and_the_replicas_that_fit()
    {
        var dir = Repo.TempDirectory();
        var result = Sim.Run(dir, "run", Repo.Path("scenarios", "liverpool-city-region.yaml"), "--replicas", "10000000", "--out", "out");
        Assert.Equal(2, result.ExitCode);
        Assert.Matches(@"^error: the run needs about 1\d\d\.\d GiB of memory \(10,000,000 replicas x 6 authorities\) and this machine has [\d.]+ [GM]iB available; at most [\d,]+ replicas fit \(--replicas \d+\); lower it with fewer replicas, fewer authorities\n?$",
            result.Stderr.ReplaceLineEndings("\n"));
        AssertNothingWritten(dir);

        var compare = Sim.Run(dir, "compare", Repo.Path("scenarios", "liverpool-city-region.yaml"), "--strategies", "partner", "--replicas", "10000000", "--out", "cmp");
        Assert.Equal(2, compare.ExitCode);
        Assert.Contains("error: the run needs about", compare.Stderr, StringComparison.Ordinal);
        AssertNothingWritten(dir);

        // The worlds' replicas are too many: the advice names the option that sets them.
        var worlds = Sim.Run(dir, "compare", Sefton, "--strategies", "partner", "--worlds", "2", "--world-replicas", "100000000", "--out", "cmp");
        Assert.Equal(2, worlds.ExitCode);
        Assert.Matches(@"^error: the run needs about [\d.]+ GiB of memory \(100,000,000 replicas x 1 authority\) .*; at most [\d,]+ replicas fit \(--world-replicas \d+\); lower it with fewer replicas\n?$",
            worlds.Stderr.ReplaceLineEndings("\n"));
        AssertNothingWritten(dir);
    }

    [Fact]
    public void A_horizon_that_leaves_no_outcome_window_is_an_error()
    {
        var dir = Repo.TempDirectory();
        var result = Sim.Run(dir, "run", Sefton, "--horizon", "20", "--replicas", "10", "--out", "out");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("outcomes_from: no outcome window: --horizon 20 ends the run at 2022-11, before outcomes_from (2024-01), so months to requires improvement and to good cannot be measured; give --horizon 34 or more",
            result.Stderr, StringComparison.Ordinal);
        AssertNothingWritten(dir);
    }

    [Fact]
    public void Warnings_go_to_stderr_and_the_scenario_is_still_valid()
    {
        var dir = Repo.TempDirectory();
        var text = File.ReadAllText(Sefton).Replace("    timeline:\n", "    timeline:\n      - {date: 2030-01, event: partnership}\n", StringComparison.Ordinal);
        var path = Path.Combine(dir, "late.yaml");
        File.WriteAllText(path, text);
        var result = Sim.Run(dir, "validate", path);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("valid", result.Stdout, StringComparison.Ordinal);
        Assert.Matches($@"^warning: {System.Text.RegularExpressions.Regex.Escape(path)}:\d+:16: authorities\[0\]\.timeline\[0\]\.date: 2030-01 is after the end of the run \(2027-12\): this event is not simulated\n?$",
            result.Stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_strategy_event_after_the_end_of_the_run_is_a_warning()
    {
        var dir = Repo.TempDirectory();
        var file = Path.Combine(dir, "late.yaml");
        File.WriteAllText(file, "strategies:\n  - name: late\n    events:\n      - {date: 2030-01, event: partnership}\n");
        var result = Sim.Run(dir, "compare", Sefton, "--strategies", "late", "--strategies-file", file, "--replicas", "10", "--engine", "reference", "--out", "cmp", "--quiet");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("warning: strategy 'late': an event at 2030-01 is after the end of the run (2027-12) and is not simulated", result.Stderr, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(dir, "cmp")));
    }

    [Theory]
    [InlineData("2030-01", "2030-01 is after the run's last month (2027-12); give a month from 2024-01 to 2027-12, or a longer --horizon")]
    [InlineData("2023-06", "2023-06 is before the outcome window, which starts at outcomes_from (2024-01); give a month from 2024-01 to 2027-12")]
    public void Compare_by_a_month_outside_the_outcome_window_is_an_error(string by, string message)
    {
        var dir = Repo.TempDirectory();
        var result = Sim.Run(dir, "compare", Sefton, "--strategies", "partner", "--by", $"2025-12,{by}", "--out", "cmp");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: --by: {message}", result.Stderr, StringComparison.Ordinal);
        AssertNothingWritten(dir);
    }
}
