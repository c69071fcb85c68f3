using System.Globalization;
using System.Text.Json;

namespace CareSim.Cli.Tests;

/// <summary>The command line's conventions: results on stdout, notes on stderr, --format, plain errors, widths, exit codes.</summary>
public class CliConventionsTests
{
    [Theory]
    [InlineData(0, 0, 0)]     // no signal: the command's own code
    [InlineData(2, 0, 2)]
    [InlineData(0, 143, 143)] // a quick command that finished before it saw SIGTERM
    [InlineData(130, 143, 143)] // cancelled by SIGTERM
    [InlineData(130, 130, 130)] // Ctrl+C
    [InlineData(0, 130, 130)]
    [InlineData(2, 143, 2)]   // bad input stays bad input
    [InlineData(1, 143, 1)]   // a failure stays a failure
    public void A_signal_decides_the_exit_code_of_a_command_that_did_not_fail(int exit, int signal, int expected) =>
        Assert.Equal(expected, SimCli.ExitAfterSignal(exit, signal));

    [Theory]
    [InlineData(0, 143, 0)] // a silo or server stopped by SIGTERM (docker stop) that shut down cleanly
    [InlineData(0, 130, 0)]
    [InlineData(1, 143, 1)] // one that failed while shutting down
    public void A_service_that_shuts_down_cleanly_on_a_signal_exits_0(int exit, int signal, int expected) =>
        Assert.Equal(expected, SimCli.ExitAfterSignal(exit, signal, runsUntilStopped: true));

    private static void AssertFits80Columns(string stdout)
    {
        foreach (var line in stdout.Split('\n'))
            Assert.True(line.TrimEnd('\r').Length <= 80, $"wider than 80 columns ({line.Length}): {line}");
    }

    private static void AssertOnlyErrorLines(string stderr)
    {
        foreach (var line in stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.True(line.StartsWith("error: ", StringComparison.Ordinal) || line.StartsWith("Run 'sim help", StringComparison.Ordinal), line);
        Assert.DoesNotContain("System.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mistyped_option_exits_2_with_did_you_mean_and_plain_words()
    {
        var dir = Repo.TempDirectory();
        var sefton = Repo.Path("scenarios", "sefton-2022-23.yaml");
        var typo = Sim.Run(dir, "run", sefton, "--replcas", "4");
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("error: unknown option '--replcas' for 'sim run'; did you mean '--replicas'?", typo.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("'4'", typo.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'sim help run' for usage.", typo.Stderr, StringComparison.Ordinal);
        Assert.Equal("", typo.Stdout);
        AssertOnlyErrorLines(typo.Stderr);

        var notNumber = Sim.Run(dir, "run", sefton, "--replicas", "lots");
        Assert.Equal(2, notNumber.ExitCode);
        Assert.Contains("error: --replicas: 'lots' is not a whole number", notNumber.Stderr, StringComparison.Ordinal);
        AssertOnlyErrorLines(notNumber.Stderr);

        var negativeSeed = Sim.Run(dir, "run", sefton, "--seed", "-1");
        Assert.Contains("error: --seed: '-1' is not a whole number of 0 or more", negativeSeed.Stderr, StringComparison.Ordinal);
        AssertOnlyErrorLines(negativeSeed.Stderr);

        var engine = Sim.Run(dir, "compare", sefton, "--strategies", "partner", "--engine", "grain");
        Assert.Equal(2, engine.ExitCode);
        Assert.Contains("error: --engine: 'grain' is not one of grains, reference; did you mean 'grains'?", engine.Stderr, StringComparison.Ordinal);

        var command = Sim.Run(dir, "histroy-check", "x");
        Assert.Equal(2, command.ExitCode);
        Assert.Contains("unknown command 'histroy-check' for 'sim'; did you mean 'history-check'?", command.Stderr, StringComparison.Ordinal);
        AssertOnlyErrorLines(command.Stderr);

        var required = Sim.Run(dir, "compare", sefton);
        Assert.Contains("error: --strategies is required", required.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void Bad_input_to_any_command_is_reported_in_error_lines_with_exit_2()
    {
        var dir = Repo.TempDirectory();
        var nope = Path.Combine(dir, "nope");
        string[][] commands =
        [
            ["scenario", "from-data", "--as-of", "2021-03-31"],
            ["scenario", "from-data", "--authority", "Nowhere", "--as-of", "2021-03-31", "--data", Repo.Path("data")],
            ["data", "import", "--data", nope, "--out", Path.Combine(dir, "out")],
            ["history-check", nope, "--data", Repo.Path("data")],
            ["run", nope],
            ["scenario", "from-data", "--authority", "Sefton", "--as-of", "2020-10-01", "--data", Repo.Path("data")],
            ["serve", "--urls", "nonsense"], // was an unhandled exception with Kestrel's stack
        ];
        foreach (var args in commands)
        {
            var result = Sim.Run(dir, args);
            Assert.True(result.ExitCode == 2, string.Join(' ', args) + ": " + result.Stderr);
            Assert.NotEqual("", result.Stderr);
            AssertOnlyErrorLines(result.Stderr);
            Assert.Equal("", result.Stdout);
            Assert.DoesNotContain("UseLaterFiguresWhenMissing", result.Stderr, StringComparison.Ordinal); // plain words, not C# option names
        }
    }

    [Fact]
    public void Csv_quotes_text_with_commas_and_json_keeps_numbers_and_writes_missing_as_null()
    {
        object?[][] rows = [["Bournemouth, Christchurch and Poole", 0.25, null, true], ["say \"hi\"", double.NaN, 3, false]];
        var csv = new StringWriter();
        CareSim.Cli.Output.ResultFormats.Write(CareSim.Cli.Output.ResultFormat.Csv, ["name", "p", "months", "inside"], rows, csv);
        Assert.Equal("name,p,months,inside\n\"Bournemouth, Christchurch and Poole\",0.25,,true\n\"say \"\"hi\"\"\",,3,false\n", csv.ToString());
        var json = new StringWriter();
        CareSim.Cli.Output.ResultFormats.Write(CareSim.Cli.Output.ResultFormat.Json, ["name", "p", "months", "inside"], rows, json);
        using var document = JsonDocument.Parse(json.ToString());
        var first = document.RootElement[0];
        Assert.Equal("Bournemouth, Christchurch and Poole", first.GetProperty("name").GetString());
        Assert.Equal(0.25, first.GetProperty("p").GetDouble());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("months").ValueKind);
        Assert.Equal(JsonValueKind.Null, document.RootElement[1].GetProperty("p").ValueKind); // NaN
        Assert.Equal(3, document.RootElement[1].GetProperty("months").GetInt32());
        Assert.False(document.RootElement[1].GetProperty("inside").GetBoolean());
    }

    [Fact]
    public void Sim_help_command_is_the_commands_help()
    {
        var dir = Repo.TempDirectory();
        var help = Sim.Run(dir, "help", "run");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--replicas", help.Stdout, StringComparison.Ordinal);
        Assert.Equal(Sim.Run(dir, "run", "--help").Stdout, help.Stdout);
        Assert.Equal(Sim.Run(dir, "data", "import", "--help").Stdout, Sim.Run(dir, "help", "data", "import").Stdout);
        AssertFits80Columns(help.Stdout);
        var unknown = Sim.Run(dir, "help", "runn");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("did you mean 'run'?", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_prints_the_headline_on_stdout_and_progress_on_stderr_in_each_format()
    {
        var dir = Repo.TempDirectory();
        var sefton = Repo.Path("scenarios", "sefton-2022-23.yaml");
        var table = Sim.Run(dir, "run", sefton, "--replicas", "40", "--engine", "reference", "--out", "t");
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("Good or better by 2027-12", table.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\d+% ± \d+\.\d", table.Stdout);
        AssertFits80Columns(table.Stdout);
        Assert.DoesNotContain("Results:", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("Results: ", table.Stderr, StringComparison.Ordinal);
        Assert.Contains("months", table.Stderr, StringComparison.Ordinal); // progress

        var json = Sim.Run(dir, "run", sefton, "--replicas", "40", "--engine", "reference", "--out", "j", "--format", "json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var document = JsonDocument.Parse(json.Stdout);
        var rows = document.RootElement.EnumerateArray().ToList();
        var good = rows.Single(r => r.GetProperty("measure").GetString() == "p_good_by_end");
        var p = good.GetProperty("value").GetDouble();
        Assert.InRange(p, 0, 1);
        Assert.Equal(Math.Sqrt(p * (1 - p) / 40), good.GetProperty("standard_error").GetDouble(), 12);
        var workforce = rows.Single(r => r.GetProperty("measure").GetString() == "sw_fte");
        Assert.True(workforce.GetProperty("p10").GetDouble() <= workforce.GetProperty("value").GetDouble());
        Assert.Equal(JsonValueKind.Null, workforce.GetProperty("standard_error").ValueKind);
        Assert.Contains("Results: ", json.Stderr, StringComparison.Ordinal);

        var csv = Sim.Run(dir, "run", sefton, "--replicas", "40", "--engine", "reference", "--out", "c", "--format", "csv", "--quiet");
        Assert.Equal("", csv.Stdout); // --quiet: nothing at all
        csv = Sim.Run(dir, "run", sefton, "--replicas", "40", "--engine", "reference", "--out", "c", "--format", "csv", "--force");
        var lines = csv.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("authority,measure,label,value,p10,p90,standard_error", lines[0]);
        Assert.Equal(rows.Count + 1, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("E08000014,p_good_by_end,Good or better by 2027-12,", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_of_several_authorities_prints_a_league_table_with_totals()
    {
        var dir = Repo.TempDirectory();
        var region = Repo.Path("scenarios", "liverpool-city-region.yaml");
        var table = Sim.Run(dir, "run", region, "--replicas", "30", "--horizon", "36", "--engine", "reference", "--out", "t");
        Assert.True(table.ExitCode == 0, table.Stderr);
        AssertFits80Columns(table.Stdout);
        Assert.Contains("Mean of 6", table.Stdout, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(table.Stdout, "\\bAuthority\\b")); // one table, not one per authority
        foreach (var name in new[] { "Knowsley", "Liverpool", "Sefton", "Wirral" }) Assert.Contains(name, table.Stdout, StringComparison.Ordinal);

        var json = Sim.Run(dir, "run", region, "--replicas", "30", "--horizon", "36", "--engine", "reference", "--out", "j", "--format", "json", "--top", "3");
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var document = JsonDocument.Parse(json.Stdout);
        var rows = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal("all", rows[^1].GetProperty("authority").GetString());
        var good = rows.Take(3).Select(r => r.GetProperty("p_good_by_end").GetDouble()).ToList();
        Assert.Equal(good.OrderByDescending(g => g), good);
        var outcomes = File.ReadAllLines(Path.Combine(dir, "j", "outcomes.csv"));
        var header = outcomes[0].Split(',');
        var shares = outcomes.Skip(1).Select(l => l.Split(',')).Where(f => f[Array.IndexOf(header, "outcome")] == "months_to_good")
            .Select(f => double.Parse(f[Array.IndexOf(header, "share_within_horizon")], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(6, shares.Count);
        Assert.Equal(shares.Max(), good[0], 9);
        Assert.Equal(shares.Average(), rows[^1].GetProperty("p_good_by_end").GetDouble(), 9);
    }

    [Fact]
    public void Params_prints_a_table_that_fits_or_json_of_every_parameter()
    {
        var dir = Repo.TempDirectory();
        var table = Sim.Run(dir, "params");
        Assert.Equal(0, table.ExitCode);
        AssertFits80Columns(table.Stdout);
        Assert.Contains("sub_judgement_spread", table.Stdout, StringComparison.Ordinal);
        var json = Sim.Run(dir, "params", "--format", "json");
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(CareSim.Model.Parameters.P.All.Count, document.RootElement.GetArrayLength());
        Assert.All(document.RootElement.EnumerateArray(), p => Assert.False(string.IsNullOrEmpty(p.GetProperty("source").GetString())));
        var csv = Sim.Run(dir, "params", "--format", "csv");
        Assert.StartsWith("name,default,min,max,uncertain_low,uncertain_high,unit,description,source\n", csv.Stdout, StringComparison.Ordinal);
        var bad = Sim.Run(dir, "params", "--format", "xml");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--format: 'xml' is not one of table, json, csv", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void History_check_prints_its_table_in_each_format()
    {
        var dir = Repo.TempDirectory();
        var run = Sim.Run(dir, "run", Repo.Path("scenarios", "sefton-2021-validation.yaml"), "--replicas", "20", "--engine", "reference", "--out", "r", "--quiet");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var table = Sim.Run(dir, "history-check", "r", "--data", Repo.Path("data"));
        Assert.True(table.ExitCode == 0, table.Stderr);
        AssertFits80Columns(table.Stdout);
        Assert.Contains("fall inside the model's 80% interval", table.Stdout, StringComparison.Ordinal);
        var csv = Sim.Run(dir, "history-check", "r", "--data", Repo.Path("data"), "--format", "csv");
        var lines = csv.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("authority,date,measure,observed,mean,p10,p50,p90,inside_80", lines[0]);
        // In date order (a collection year's census is dated September, its demand figures the March before).
        var dates = lines.Skip(1).Select(l => l.Split(',')[1]).ToList();
        Assert.Equal(dates.Order(StringComparer.Ordinal), dates);
        Assert.Contains(dates, d => d.EndsWith("-03", StringComparison.Ordinal));
        Assert.Contains(dates, d => d.EndsWith("-09", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(Sim.Run(dir, "history-check", "r", "--data", Repo.Path("data"), "--format", "json").Stdout);
        Assert.Equal(lines.Length - 1, json.RootElement.GetArrayLength());
        Assert.All(json.RootElement.EnumerateArray(), r => Assert.True(r.GetProperty("inside_80").ValueKind is JsonValueKind.True or JsonValueKind.False));
    }

    [Fact]
    public void Compare_as_json_prints_only_the_comparison_rows()
    {
        var dir = Repo.TempDirectory();
        var result = Sim.Run(dir, "compare", Repo.Path("scenarios", "sefton-2022-23.yaml"), "--strategies", "partner", "--replicas", "20", "--horizon", "36",
            "--out", "cmp", "--engine", "reference", "--format", "json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var document = JsonDocument.Parse(result.Stdout);
        var rows = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(File.ReadAllLines(Path.Combine(dir, "cmp", "comparison.csv")).Length - 1, rows.Count);
        Assert.Contains(rows, r => r.GetProperty("strategy").GetString() == "partner" && r.GetProperty("measure").GetString() == "p_good_by_end");
        Assert.Contains("strategy partner: done", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Comparison: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_stops_the_run_exits_143_and_leaves_no_results_directory()
    {
        var dir = Repo.TempDirectory();
        var result = await Sim.InterruptRunAsync(dir, "TERM", Repo.Path("scenarios", "sefton-2022-23.yaml"), "--replicas", "100000", "--horizon", "240");
        Assert.Equal(143, result.ExitCode);
        Assert.Contains("interrupted: no results were written", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
        Assert.Empty(Directory.GetDirectories(dir, ".out.caresim-*"));
        Assert.Equal("", result.Stdout);
    }
    [Theory]
    [InlineData("grains")]
    [InlineData("reference")]
    public async Task A_run_interrupted_before_its_engine_is_ready_exits_130_and_writes_nothing(string engine)
    {
        var dir = Repo.TempDirectory();
        using var interrupted = new CancellationTokenSource();
        await interrupted.CancelAsync();

        var exit = await SimCli.RunAsync(["run", Repo.Path("scenarios", "sefton-2022-23.yaml"), "--engine", engine, "--out", Path.Combine(dir, "out"), "--quiet"], interrupted.Token);

        Assert.Equal(130, exit);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }
}
