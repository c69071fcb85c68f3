using System.Text;

namespace CareSim.Scenarios.Tests;

/// <summary>Input that would exhaust the reader's stack or memory gets one located error (docs/scenarios.md#limits).</summary>
public class LimitTests
{
    private static void AssertError(ScenarioError error, int line, int column, string path, string messageStart)
    {
        Assert.Equal((line, column, path), (error.Line, error.Column, error.Path));
        Assert.StartsWith(messageStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fifty_thousand_nested_lists_are_an_error_at_the_first_level_too_deep()
    {
        var yaml = "name: " + new string('[', 50_000) + new string(']', 50_000);
        AssertError(TestScenarios.SingleError(yaml), 1, 7 + ScenarioLimits.MaxDepth - 1, "",
            $"nesting deeper than {ScenarioLimits.MaxDepth} levels");

        var unclosed = TestScenarios.SingleError(new string('[', 50_000));
        AssertError(unclosed, 1, ScenarioLimits.MaxDepth + 1, "", "nesting deeper than 64 levels");
        Assert.Equal("test.yaml:1:65: nesting deeper than 64 levels (lists and mappings inside each other); a scenario needs far fewer", unclosed.ToString());
    }

    [Fact]
    public void Nesting_at_the_limit_is_read_and_validated_normally()
    {
        // The top-level mapping is level 1, so 63 lists inside it reach the limit exactly.
        var yaml = TestScenarios.Minimal + "\ndescription: " + new string('[', ScenarioLimits.MaxDepth - 1) + new string(']', ScenarioLimits.MaxDepth - 1);
        var error = TestScenarios.SingleError(yaml);
        Assert.Equal(("description", "expected a string, got a list"), (error.Path, error.Message));
    }

    [Fact]
    public void Deep_block_mappings_are_an_error_too()
    {
        var yaml = new StringBuilder();
        for (var i = 0; i < 100; i++) yaml.Append(' ', i).Append("k:\n");
        AssertError(TestScenarios.SingleError(yaml.ToString()), ScenarioLimits.MaxDepth + 1, ScenarioLimits.MaxDepth + 1, "", "nesting deeper than 64 levels");
    }

    [Fact]
    public void Aliases_that_multiply_the_document_are_an_error()
    {
        // "Billion laughs": each level repeats the one before ten times.
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 9; i++)
            yaml.Append($"a{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10)) + "]\n");
        var error = TestScenarios.SingleError(yaml.ToString());
        Assert.Equal("", error.Path);
        Assert.Equal((6, "more than 1,000,000 values once aliases are expanded; a scenario needs far fewer"), (error.Line, error.Message));
    }

    [Fact]
    public void Aliases_that_nest_deeper_than_the_limit_are_an_error()
    {
        var yaml = new StringBuilder("a0: &a0 " + new string('[', 40) + new string(']', 40) + "\n");
        yaml.Append("a1: &a1 " + new string('[', 30) + "*a0" + new string(']', 30) + "\n");
        AssertError(TestScenarios.SingleError(yaml.ToString()), 2, 39, "", "nesting deeper than 64 levels once the alias '*a0' is expanded");
    }

    [Fact]
    public void A_document_over_the_size_limit_is_an_error_before_it_is_parsed()
    {
        var yaml = TestScenarios.Minimal + "\ndescription: \"" + new string('x', ScenarioLimits.MaxDocumentBytes) + "\"";
        var error = TestScenarios.SingleError(yaml);
        Assert.Equal((1, 1, "", "the document is 4.0 MiB; a scenario may be at most 4 MiB"), (error.Line, error.Column, error.Path, error.Message));
    }

    [Fact]
    public void A_file_over_the_size_limit_is_not_read()
    {
        var path = Path.Combine(Path.GetTempPath(), $"caresim-big-{Guid.NewGuid():N}.yaml");
        try
        {
            using (var file = File.Create(path)) file.SetLength(ScenarioLimits.MaxDocumentBytes * 3L);
            var error = Assert.Single(ScenarioLoader.Load(path).Errors);
            Assert.Equal($"{path}: cannot read the scenario file: the document is 12.0 MiB; a scenario may be at most 4 MiB", error.ToString());
            Assert.False(ScenarioLoader.IsStrategiesFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Too_many_authorities_or_timeline_events_are_an_error_at_the_list()
    {
        var authority = TestScenarios.Minimal[TestScenarios.Minimal.IndexOf("  - code: E1", StringComparison.Ordinal)..].Replace("    initial:", "    initial: &base", StringComparison.Ordinal);
        var many = new StringBuilder(TestScenarios.Minimal[..TestScenarios.Minimal.IndexOf("  - code: E1", StringComparison.Ordinal)]).Append(authority);
        for (var i = 0; i < ScenarioLimits.MaxAuthorities; i++) many.Append($"\n  - {{code: X{i}, name: X, region: R, initial: *base}}");
        var error = TestScenarios.SingleError(many.ToString());
        Assert.Equal((5, 3, "authorities", "expected at most 1,000 items, got 1,001"), (error.Line, error.Column, error.Path, error.Message));

        var events = TestScenarios.Minimal + "\n    timeline:\n" + string.Concat(Enumerable.Repeat("      - {date: 2021-05, event: partnership}\n", ScenarioLimits.MaxEvents + 1));
        error = TestScenarios.SingleError(events);
        Assert.Equal((20, 7, "authorities[0].timeline", "expected at most 10,000 items, got 10,001"), (error.Line, error.Column, error.Path, error.Message));
    }
}
