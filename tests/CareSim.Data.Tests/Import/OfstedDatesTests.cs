using CareSim.Data.Import;

namespace CareSim.Data.Tests.Import;

public sealed class OfstedDatesTests
{
    [Theory]
    [InlineData("21 february to 4 march 2022", "2022-02-21")]
    [InlineData("29 april – 22 may 2014", "2014-04-29")]
    [InlineData("10 to 21 july 2023", "2023-07-10")]
    [InlineData("6 november 2017", "2017-11-06")]
    [InlineData("14 november to 25 november 2022", "2022-11-14")]
    [InlineData("19 november–30 november 2018", "2018-11-19")]
    [InlineData("9–24 november 2017", "2017-11-09")]
    [InlineData("19 november-11 december 2013", "2013-11-19")]
    [InlineData("3 june – 25 june 2014", "2014-06-03")]
    [InlineData("12/09/2016", "2016-09-12")]
    [InlineData("1/06/2015", "2015-06-01")]
    [InlineData("15 December to 10 January 2020", "2019-12-15")]
    [InlineData("  2 July 2018 ", "2018-07-02")]
    [InlineData("1st to 12th sept 2019", "2019-09-01")]
    public void Inspection_start_dates_are_parsed(string text, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), OfstedDates.ParseInspectionStart(text));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("spring 2019")]
    [InlineData("31 february 2019")]
    [InlineData("to be confirmed")]
    public void Unreadable_inspection_dates_give_null(string? text) => Assert.Null(OfstedDates.ParseInspectionStart(text));

    [Theory]
    [InlineData("2022-05-09", "2022-05-09")]
    [InlineData("09/05/2022", "2022-05-09")]
    [InlineData("2022-05-09T00:00:00", "2022-05-09")]
    public void Publication_dates_are_parsed(string text, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), OfstedDates.ParsePublished(text));
}
