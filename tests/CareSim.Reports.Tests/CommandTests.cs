using CareSim.Cli;

namespace CareSim.Reports.Tests;

/// <summary>`sim report` in process: exit codes and messages. One class, so the console is not shared between tests running at once.</summary>
public class CommandTests
{
    private static readonly Lock ConsoleLock = new();

    private static (int Code, string Out, string Err) Sim(params string[] args)
    {
        lock (ConsoleLock)
        {
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Console.SetOut(stdout);
            Console.SetError(stderr);
            try
            {
                var code = SimCli.RunAsync(args).GetAwaiter().GetResult();
                return (code, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }

    [Fact]
    public void Report_exits_0_and_prints_where_it_is()
    {
        var fixture = Fixture.Create();
        var output = Path.Combine(Fixture.TempDirectory(), "out");
        var (code, stdout, stderr) = Sim("report", fixture.Directory, "--out", output, "--width", "500", "--height", "300");
        Assert.True(code == 0, stderr);
        Assert.Equal("", stdout);
        Assert.Contains($"Report: {Path.Combine(output, "report.md")}", stderr, StringComparison.Ordinal);
        Assert.Equal((500, 300), Png.Read(Path.Combine(output, "E08000014-sw_fte.png")));
    }

    [Fact]
    public void Bad_input_exits_2_with_the_file_named_and_writes_nothing()
    {
        var fixture = Fixture.Create();
        File.Delete(fixture.PathOf("outcome_cdf.csv"));
        var (code, _, stderr) = Sim("report", fixture.Directory);
        Assert.Equal(2, code);
        Assert.Contains("outcome_cdf.csv", stderr, StringComparison.Ordinal);
        Assert.Contains("No report was written.", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(fixture.Directory, "report")));
    }

    [Fact]
    public void A_bad_option_exits_2()
    {
        var fixture = Fixture.Create();
        Assert.Equal(2, Sim("report", fixture.Directory, "--width", "10").Code);
        Assert.Equal(2, Sim("report").Code);
    }
}
