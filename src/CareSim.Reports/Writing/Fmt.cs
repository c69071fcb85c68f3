using System.Globalization;
using CareSim.Model.Time;

namespace CareSim.Reports.Writing;

/// <summary>Number, share and date formatting for reports (invariant culture, British month names).</summary>
public static class Fmt
{
    private static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>A share as a whole percentage: "63%"; "under 1%" and "over 99%" instead of a misleading 0% or 100%.</summary>
    public static string Percent(double share)
    {
        if (double.IsNaN(share)) return "n/a";
        if (share > 0 && share < 0.005) return "under 1%";
        if (share < 1 && share > 0.995) return "over 99%";
        return (share * 100).ToString("0", C) + "%";
    }

    /// <summary>A number with a precision that suits its size: 1,234 / 123 / 12.3 / 1.23 / 0.12 / 0.012.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value)) return "n/a";
        if (double.IsInfinity(value)) return value > 0 ? "infinity" : "-infinity";
        var a = Math.Abs(value);
        var text = a >= 100 ? value.ToString("#,##0", C)
            : a >= 10 ? value.ToString("0.0", C)
            : a >= 0.1 ? value.ToString("0.00", C)
            : a == 0 ? "0"
            : value.ToString("0.###", C);
        return text == "-0" || text == "-0.0" || text == "-0.00" ? text[1..] : text;
    }

    /// <summary>A number with a sign: "+1.2", "-3", "0".</summary>
    public static string Signed(double value)
    {
        var text = Number(value);
        return value > 0 && text != "0" ? "+" + text : text;
    }

    public static string Count(int value) => value.ToString("#,##0", C);

    public static string Fixed(double value, string format) => double.IsNaN(value) ? "n/a" : value.ToString(format, C);

    public static string MonthName(SimMonth month) => $"{MonthNames[month.Month - 1]} {month.Year}";

    public static string ShortMonth(SimMonth month) => $"{MonthNames[month.Month - 1][..3]} {month.Year}";

    public static string Date(DateOnly date) => $"{date.Day} {MonthNames[date.Month - 1]} {date.Year}";

    public static string Months(double months) =>
        months == 1 ? "1 month" : $"{(months == Math.Floor(months) ? months.ToString("#,##0", C) : Number(months))} months";

    /// <summary>A timestamp from the manifest ("2026-11-22T21:16:25.03+00:00") as "2026-11-22 21:16 UTC"; other text as it is.</summary>
    public static string Timestamp(string text) =>
        DateTimeOffset.TryParse(text, C, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", C) + " UTC"
            : text;

    /// <summary>The last day of a month as a DateTime (model values are the state at the end of their month).</summary>
    public static DateTime EndOf(SimMonth month) => new(month.Year, month.Month, DateTime.DaysInMonth(month.Year, month.Month));

    /// <summary>Text for a Markdown table cell (pipes escaped, no line breaks).</summary>
    public static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');

    /// <summary>"snake_case_name" -> "snake case name".</summary>
    public static string Words(string name) => name.Replace('_', ' ').Replace('.', ' ');
}
