using System.Globalization;
using System.Text.RegularExpressions;

namespace CareSim.Data.Import;

/// <summary>Parsing of the free-text dates of the Ofsted judgements file.</summary>
public static partial class OfstedDates
{
    private static readonly Dictionary<string, int> s_months = BuildMonths();

    private static Dictionary<string, int> BuildMonths()
    {
        var months = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;
        for (var i = 0; i < 12; i++)
        {
            var full = names[i].ToLowerInvariant();
            months[full] = i + 1;
            months[full[..3]] = i + 1;
        }
        months["sept"] = 9;
        return months;
    }

    [GeneratedRegex(@"^(\d{1,2})/(\d{1,2})/(\d{4})$")]
    private static partial Regex SlashDate();

    [GeneratedRegex(@"\s*(?:–|—|-|\bto\b|\buntil\b)\s*")]
    private static partial Regex RangeSeparator();

    [GeneratedRegex(@"^(\d{1,2})(?:st|nd|rd|th)?$")]
    private static partial Regex DayToken();

    /// <summary>
    /// The first day of an inspection from texts like "21 february to 4 march 2022",
    /// "29 april – 22 may 2014", "10 to 21 july 2023", "9–24 november 2017", "6 november 2017" or
    /// "12/09/2016" (day/month/year). Null when the text is empty or not understood.
    /// </summary>
    public static DateOnly? ParseInspectionStart(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var t = text.Trim().ToLowerInvariant().Replace(',', ' ');
        var slash = SlashDate().Match(t);
        if (slash.Success)
            return Make(Int(slash.Groups[3].Value), Int(slash.Groups[2].Value), Int(slash.Groups[1].Value));

        var parts = RangeSeparator().Split(t, 2);
        var start = ParsePart(parts[0]);
        var end = parts.Length > 1 ? ParsePart(parts[1]) : (Day: null, Month: null, Year: null);
        if (start.Day is null)
            return null;
        var month = start.Month ?? end.Month;
        var year = start.Year ?? end.Year;
        if (month is null || year is null)
            return null;
        if (start.Year is null && end.Month is not null && start.Month > end.Month)
            year--; // "15 december to 10 january 2020" started in 2019
        return Make(year.Value, month.Value, start.Day.Value);
    }

    /// <summary>A publication date: ISO "2022-05-09" or "09/05/2022" (day/month/year).</summary>
    public static DateOnly? ParsePublished(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var t = text.Trim();
        if (DateOnly.TryParseExact(t, ["yyyy-MM-dd", "yyyy-M-d", "dd/MM/yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        if (t.Length > 10 && DateOnly.TryParseExact(t[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            return date; // "2022-05-09T00:00:00"
        return ParseInspectionStart(t);
    }

    private static (int? Day, int? Month, int? Year) ParsePart(string part)
    {
        int? day = null, month = null, year = null;
        foreach (var token in part.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var d = DayToken().Match(token);
            if (d.Success && day is null)
                day = Int(d.Groups[1].Value);
            else if (token.Length == 4 && token.All(char.IsAsciiDigit))
                year = Int(token);
            else if (s_months.TryGetValue(token.TrimEnd('.'), out var m))
                month = m;
        }
        return (day, month, year);
    }

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    private static DateOnly? Make(int year, int month, int day)
    {
        if (year is < 1900 or > 2200 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return null;
        return new DateOnly(year, month, day);
    }
}
