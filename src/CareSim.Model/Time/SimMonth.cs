using System.Globalization;

namespace CareSim.Model.Time;

/// <summary>A calendar month (year and month), the simulation's unit of time.</summary>
public readonly record struct SimMonth(int Year, int Month) : IComparable<SimMonth>
{
    /// <summary>Months since January of year 0; makes arithmetic and comparison trivial.</summary>
    public int Ordinal => Year * 12 + (Month - 1);

    public static SimMonth FromOrdinal(int ordinal)
    {
        var year = (int)Math.Floor(ordinal / 12.0);
        return new SimMonth(year, ordinal - year * 12 + 1);
    }

    public static SimMonth FromDate(DateOnly date) => new(date.Year, date.Month);

    public SimMonth AddMonths(int months) => FromOrdinal(Ordinal + months);

    /// <summary>Number of months from <paramref name="earlier"/> to this month.</summary>
    public int MonthsSince(SimMonth earlier) => Ordinal - earlier.Ordinal;

    public int CompareTo(SimMonth other) => Ordinal.CompareTo(other.Ordinal);

    public static bool operator <(SimMonth a, SimMonth b) => a.Ordinal < b.Ordinal;
    public static bool operator >(SimMonth a, SimMonth b) => a.Ordinal > b.Ordinal;
    public static bool operator <=(SimMonth a, SimMonth b) => a.Ordinal <= b.Ordinal;
    public static bool operator >=(SimMonth a, SimMonth b) => a.Ordinal >= b.Ordinal;

    public override string ToString() => $"{Year:D4}-{Month:D2}";

    /// <summary>Parses "YYYY-MM" or "YYYY-MM-DD" (the day is ignored: the model steps in months).</summary>
    public static bool TryParse(string? text, out SimMonth month)
    {
        month = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (text.Length == 7 && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d1))
        {
            month = FromDate(d1);
            return true;
        }
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d2))
        {
            month = FromDate(d2);
            return true;
        }
        return false;
    }

    public static SimMonth Parse(string text) =>
        TryParse(text, out var m) ? m : throw new FormatException($"'{text}' is not a month (expected YYYY-MM or YYYY-MM-DD)");
}
