namespace CareSim.Reports.Tests;

/// <summary>A missing or malformed input gives a clear error naming the file and what was expected, and writes nothing.</summary>
public class BadInputTests
{
    private static readonly Charts.ChartSize Small = new(400, 300);

    /// <summary>Builds a report expecting failure; checks the message and that nothing was written.</summary>
    private static ReportInputException Fails(Fixture fixture, params string[] expectedInMessage)
    {
        var before = Snapshot(Path.GetDirectoryName(fixture.Directory)!);
        var error = Assert.Throws<ReportInputException>(() =>
            ReportBuilder.Build(new ReportOptions(fixture.Directory) { ChartSize = Small }));
        foreach (var text in expectedInMessage) Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(Path.GetDirectoryName(fixture.Directory)!));
        return error;
    }

    /// <summary>Every file and folder below a folder (hidden staging folders included).</summary>
    private static List<string> Snapshot(string directory) =>
        Directory.GetFileSystemEntries(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void A_missing_results_directory_is_named()
    {
        var dir = Path.Combine(Fixture.TempDirectory(), "nowhere");
        var error = Assert.Throws<ReportInputException>(() => ReportBuilder.Build(new ReportOptions(dir)));
        Assert.Contains(dir, error.Message, StringComparison.Ordinal);
        Assert.Contains("results directory not found", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    [Theory]
    [InlineData("summary.csv")]
    [InlineData("outcomes.csv")]
    [InlineData("outcome_cdf.csv")]
    [InlineData("totals.csv")]
    [InlineData("manifest.json")]
    public void A_missing_file_is_named(string file)
    {
        var fixture = Fixture.Create();
        File.Delete(fixture.PathOf(file));
        Fails(fixture, fixture.PathOf(file), "file not found", "expected");
    }

    [Fact]
    public void A_bad_header_lists_the_missing_and_expected_columns()
    {
        var fixture = Fixture.Create();
        var lines = File.ReadAllLines(fixture.PathOf("summary.csv"));
        lines[0] = lines[0].Replace("p05", "q05", StringComparison.Ordinal);
        File.WriteAllLines(fixture.PathOf("summary.csv"), lines);
        Fails(fixture, "summary.csv, line 1: missing column(s) p05", "authority,month,metric,mean,p05,p10,p25,p50,p75,p90,p95");
    }

    [Fact]
    public void A_bad_number_gives_file_line_and_column()
    {
        var fixture = Fixture.Create();
        var lines = File.ReadAllLines(fixture.PathOf("summary.csv"));
        var cells = lines[4].Split(',');
        cells[3] = "lots";
        lines[4] = string.Join(',', cells);
        File.WriteAllLines(fixture.PathOf("summary.csv"), lines);
        Fails(fixture, "summary.csv, line 5, column mean: 'lots' is not a number");
    }

    [Fact]
    public void A_bad_month_is_reported()
    {
        var fixture = Fixture.Create();
        var lines = File.ReadAllLines(fixture.PathOf("summary.csv"));
        lines[2] = lines[2].Replace("2023-01", "Jan 2023", StringComparison.Ordinal);
        File.WriteAllLines(fixture.PathOf("summary.csv"), lines);
        Fails(fixture, "summary.csv, line 3, column month: 'Jan 2023' is not a month (YYYY-MM)");
    }

    [Fact]
    public void An_authority_the_manifest_does_not_list_is_reported()
    {
        var fixture = Fixture.Create();
        File.AppendAllText(fixture.PathOf("outcomes.csv"), "E99999999,months_to_good,200,18,0.5,,,,,\n");
        Fails(fixture, "outcomes.csv, line 4, column authority: 'E99999999' is not an authority of the run");
    }

    [Fact]
    public void Invalid_json_in_the_manifest_is_reported()
    {
        var fixture = Fixture.Create();
        File.WriteAllText(fixture.PathOf("manifest.json"), "{ \"scenario\": ");
        Fails(fixture, "manifest.json: not valid JSON", "expected the manifest 'sim run' writes");
    }

    [Fact]
    public void A_manifest_without_start_is_reported()
    {
        var fixture = Fixture.Create();
        var json = File.ReadAllText(fixture.PathOf("manifest.json")).Replace("\"start\": \"2023-01\",", "", StringComparison.Ordinal);
        File.WriteAllText(fixture.PathOf("manifest.json"), json);
        Fails(fixture, "manifest.json: missing \"start\"; expected the first month");
    }

    [Fact]
    public void A_gap_in_the_cdf_months_is_reported()
    {
        var fixture = Fixture.Create();
        var lines = File.ReadAllLines(fixture.PathOf("outcome_cdf.csv")).ToList();
        lines.RemoveAt(4); // months 0, 1, 2, then 4
        File.WriteAllLines(fixture.PathOf("outcome_cdf.csv"), lines);
        Fails(fixture, "outcome_cdf.csv, line 5, column months: 4 follows 2", "expected months 0, 1, 2, ... in order");
    }

    [Fact]
    public void An_empty_file_is_reported()
    {
        var fixture = Fixture.Create();
        File.WriteAllText(fixture.PathOf("totals.csv"), "");
        Fails(fixture, "totals.csv: the file is empty");
    }

    [Fact]
    public void A_malformed_sensitivity_csv_is_reported()
    {
        var fixture = Fixture.Create();
        File.WriteAllText(fixture.PathOf("sensitivity.csv"), "parameter,outcome,effect\nx,months_to_good,3\n");
        Fails(fixture, "sensitivity.csv, line 1: missing column(s) mu_star, mu, sigma, low, high, unit", "Morris");
    }

    [Fact]
    public void A_malformed_sobol_csv_is_reported_with_line_and_column()
    {
        var fixture = Fixture.Create();
        fixture.WriteSobol();
        var lines = File.ReadAllLines(fixture.PathOf("sobol.csv"));
        File.WriteAllLines(fixture.PathOf("sobol.csv"), [lines[0], lines[1].Replace(",0.18,0.1,0.27,", ",0.18,0.3,0.27,", StringComparison.Ordinal)]);
        Fails(fixture, "sobol.csv, line 2, column total_low: 0.3 is above total_high 0.27", "expected total_low <= total_high");
        File.WriteAllText(fixture.PathOf("sobol.csv"), "parameter,outcome,first_order\nx,months_to_good,0.3\n");
        Fails(fixture, "sobol.csv, line 1: missing column(s) first_low", "Sobol");
    }

    [Fact]
    public void A_malformed_comparison_csv_is_reported()
    {
        var fixture = Fixture.Create();
        fixture.WriteComparison();
        var lines = File.ReadAllLines(fixture.PathOf("comparison.csv"));
        lines[1] = lines[1].Replace("-3.5,", "n/a,", StringComparison.Ordinal);
        File.WriteAllLines(fixture.PathOf("comparison.csv"), lines);
        Fails(fixture, "comparison.csv, line 2, column difference: 'n/a' is not a number");
    }

    [Fact]
    public void Missing_observed_data_is_reported_and_nothing_written()
    {
        var fixture = Fixture.Create();
        var missing = Path.Combine(Fixture.TempDirectory(), "no-data");
        var error = Assert.Throws<ReportInputException>(() =>
            ReportBuilder.Build(new ReportOptions(fixture.Directory) { ObservedDirectory = missing, ChartSize = Small }));
        Assert.Contains("--observed", error.Message, StringComparison.Ordinal);
        Assert.Contains("no-data", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(fixture.Directory, "report")));
    }

    [Fact]
    public void An_output_folder_holding_something_else_is_not_replaced_without_force()
    {
        var fixture = Fixture.Create();
        var output = Path.Combine(Fixture.TempDirectory(), "busy");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        var error = Assert.Throws<ReportInputException>(() =>
            ReportBuilder.Build(new ReportOptions(fixture.Directory) { OutputDirectory = output, ChartSize = Small }));
        Assert.Contains("--force", error.Message, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName));

        var forced = ReportBuilder.Build(new ReportOptions(fixture.Directory) { OutputDirectory = output, ChartSize = Small, Force = true });
        Assert.True(File.Exists(forced.ReportPath));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "notes.txt")));
    }

    [Fact]
    public void A_failure_while_writing_leaves_no_staging_folder_and_no_new_parent()
    {
        var fixture = Fixture.Create();
        var root = Fixture.TempDirectory();
        var output = Path.Combine(root, "a", "b", "report");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        // Cancellation is noticed while the report is being written (in the staging folder, below new parent folders).
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ReportBuilder.Build(new ReportOptions(fixture.Directory) { OutputDirectory = output, ChartSize = Small }, cancelled.Token));
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void A_comparison_directory_without_comparison_csv_is_reported()
    {
        var fixture = Fixture.Create();
        var json = File.ReadAllText(fixture.PathOf("manifest.json")).Replace("\"tool\": \"sim\",", "\"kind\": \"comparison\", \"tool\": \"sim\",", StringComparison.Ordinal);
        File.WriteAllText(fixture.PathOf("manifest.json"), json);
        Fails(fixture, "comparison.csv: file not found", "comparison directory");
    }
}
