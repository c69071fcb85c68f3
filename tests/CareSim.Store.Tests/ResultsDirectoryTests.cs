using CareSim.Store;

namespace CareSim.Store.Tests;

public class ResultsDirectoryTests
{
    [Fact]
    public void Csv_fields_may_be_quoted_with_commas_quotes_and_line_breaks()
    {
        var path = Path.Combine(TestRuns.TempDirectory(), "x.csv");
        File.WriteAllText(path, "a,b,c\r\n1,\"x, \"\"y\"\"\",\"two\nlines\"\r\n\n2,,3\n");
        using var csv = ResultsCsv.Open(path);
        Assert.Equal(["a", "b", "c"], csv.Header);
        Assert.Equal(["1", "x, \"y\"", "two\nlines"], csv.Next()!);
        Assert.Equal(["2", "", "3"], csv.Next()!);
        Assert.Null(csv.Next());
    }

    [Fact]
    public void Csv_with_a_wrong_field_count_is_an_error_naming_file_and_line()
    {
        var path = Path.Combine(TestRuns.TempDirectory(), "x.csv");
        File.WriteAllText(path, "a,b\n1,2\n3\n");
        using var csv = ResultsCsv.Open(path);
        csv.Next();
        var error = Assert.Throws<InvalidDataException>(() => csv.Next());
        Assert.Contains("x.csv:3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strategy_and_report_names_resolve_only_to_the_directory_s_own_entries()
    {
        var dir = await TestRuns.ComparisonAsync(Path.Combine(TestRuns.TempDirectory(), "comparison"));
        Directory.CreateDirectory(Path.Combine(dir, "report"));
        File.WriteAllText(Path.Combine(dir, "report", "fan.svg"), "<svg/>");
        File.WriteAllText(Path.Combine(dir, "report", "secret.txt"), "no");
        File.WriteAllText(Path.Combine(dir, "secret.png"), "no");
        var results = ResultsDirectory.Open(dir);

        Assert.Equal(RunKind.Comparison, results.Kind);
        Assert.NotNull(results.Strategy("more_staff"));
        foreach (var name in new[] { "..", "../comparison", "/etc", "more_staff/..", "MORE_STAFF", "nope", "", ".hidden" })
            Assert.Null(results.Strategy(name));

        Assert.Equal(["fan.svg"], results.ReportFiles());
        Assert.NotNull(results.ReportFile("fan.svg"));
        foreach (var name in new[] { "secret.txt", "../secret.png", "..", "FAN.SVG", "fan.svg/", "%2e%2e" })
            Assert.Null(results.ReportFile(name));
    }
}
