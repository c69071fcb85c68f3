using FsCheck;
using FsCheck.Xunit;

namespace CareSim.Scenarios.Tests;

/// <summary>Bad input never throws, and every error has a position.</summary>
public class RobustnessTests
{
    private static readonly string[] Junk = ["", "x", "-1", "0", "[]", "{}", "~", "1e400", "\"q\"", "[a, {b: c}]", "2021-04", "true"];

    private static void AssertWellFormed(ScenarioLoadResult result)
    {
        if (result.IsValid)
        {
            Assert.NotNull(result.Plan);
            return;
        }
        Assert.Null(result.Plan);
        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, e =>
        {
            Assert.Equal("test.yaml", e.File);
            Assert.True(e.Line >= 1 && e.Column >= 1, e.ToString());
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        });
    }

    /// <summary>Every variant of the full scenario with one line deleted or one value replaced by junk.</summary>
    public static TheoryData<int> Lines()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < TestScenarios.Full.Split('\n').Length; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Deleting_a_line_or_replacing_its_value_never_throws(int line)
    {
        var lines = TestScenarios.Full.Split('\n');
        AssertWellFormed(TestScenarios.Load(string.Join('\n', lines.Where((_, i) => i != line))));

        var colon = lines[line].IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0) return;
        foreach (var junk in Junk)
        {
            var mutated = lines.ToArray();
            mutated[line] = lines[line][..(colon + 2)] + junk;
            AssertWellFormed(TestScenarios.Load(string.Join('\n', mutated)));
        }
    }

    [Property(MaxTest = 300)]
    public void Arbitrary_text_never_throws(NonNull<string> text) =>
        AssertWellFormed(TestScenarios.Load(text.Get));

    [Property(MaxTest = 200)]
    public void Truncated_scenarios_never_throw(PositiveInt cut) =>
        AssertWellFormed(TestScenarios.Load(TestScenarios.Full[..(cut.Get % TestScenarios.Full.Length)]));

    [Property]
    public bool Edit_distance_is_symmetric_and_bounded(NonNull<string> a, NonNull<string> b)
    {
        var d = NameSuggestions.Distance(a.Get, b.Get);
        return d == NameSuggestions.Distance(b.Get, a.Get)
            && d <= Math.Max(a.Get.Length, b.Get.Length)
            && d >= Math.Abs(a.Get.Length - b.Get.Length)
            && (d == 0) == (a.Get == b.Get);
    }

    [Theory]
    [InlineData("horizon_month", "horizon_months")]
    [InlineData("sed", "seed")]
    [InlineData("nmae", "name")]
    [InlineData("autorities", "authorities")]
    [InlineData("zzz", null)]
    [InlineData("date", null)]
    public void Suggestions_only_for_close_names(string typo, string? expected)
    {
        string[] names = ["name", "description", "start", "horizon_months", "replicas", "seed", "authorities"];
        Assert.Equal(expected, NameSuggestions.Closest(typo, names));
    }
}
