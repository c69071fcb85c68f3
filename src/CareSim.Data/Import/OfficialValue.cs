using System.Globalization;

namespace CareSim.Data.Import;

/// <summary>Parsing of numeric cells of the official statistics, with suppression codes.</summary>
public static class OfficialValue
{
    /// <summary>DfE/ONS symbols for values that are not available: c confidential, k and "low" fewer than
    /// 0.5 (rounds to zero), u low reliability, x not available, z not applicable, ".", ".." and ":"
    /// not available.</summary>
    public static IReadOnlyList<string> SuppressionCodes { get; } = ["c", "k", "u", "x", "z", "low", ":", ".", ".."];

    public const string EmptyCode = "(empty)";
    public const string OtherCode = "(other)";

    /// <summary>Parses a numeric cell; when it is not a number, returns null and the code it was counted under.</summary>
    public static double? Parse(string cell, out string? missingCode)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            missingCode = EmptyCode;
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            missingCode = null;
            return value;
        }
        var lower = text.ToLowerInvariant();
        missingCode = SuppressionCodes.Contains(lower) ? lower : OtherCode;
        return null;
    }

    /// <summary>
    /// The year a DfE time_period refers to: "2023" is 2023; "202223" and "2022/23" (financial or
    /// academic years) are their end year, 2023. Null when not a period.
    /// </summary>
    public static int? ParseYear(string timePeriod)
    {
        var t = timePeriod.Trim().Replace("/", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!t.All(char.IsAsciiDigit))
            return null;
        if (t.Length == 4)
            return int.Parse(t, CultureInfo.InvariantCulture);
        if (t.Length == 6)
        {
            var start = int.Parse(t[..4], CultureInfo.InvariantCulture);
            var endTwo = int.Parse(t[4..], CultureInfo.InvariantCulture);
            return (start + 1) % 100 == endTwo ? start + 1 : null;
        }
        return null;
    }
}
