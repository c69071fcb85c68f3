using CareSim.Data.Import;

namespace CareSim.Data.Tests.Import;

public sealed class OfficialValueTests
{
    [Theory]
    [InlineData("c", "c")]
    [InlineData("X", "x")]
    [InlineData("z", "z")]
    [InlineData("u", "u")]
    [InlineData(".", ".")]
    [InlineData(":", ":")]
    [InlineData("low", "low")]
    [InlineData("", "(empty)")]
    [InlineData("  ", "(empty)")]
    [InlineData("n/a", "(other)")]
    [InlineData("1,234", "(other)")]
    public void Non_numbers_are_missing_with_their_code(string cell, string code)
    {
        Assert.Null(OfficialValue.Parse(cell, out var missing));
        Assert.Equal(code, missing);
    }

    [Theory]
    [InlineData("17.2", 17.2)]
    [InlineData("-3", -3)]
    [InlineData(" 0 ", 0)]
    [InlineData("1e3", 1000)]
    public void Numbers_parse_in_the_invariant_culture(string cell, double expected)
    {
        Assert.Equal(expected, OfficialValue.Parse(cell, out var missing));
        Assert.Null(missing);
    }

    [Theory]
    [InlineData("2023", 2023)]
    [InlineData("202223", 2023)]
    [InlineData("2022/23", 2023)]
    [InlineData("202224", null)]
    [InlineData("Reporting year", null)]
    public void Time_periods_give_the_year_they_end(string text, int? expected) =>
        Assert.Equal(expected, OfficialValue.ParseYear(text));
}
