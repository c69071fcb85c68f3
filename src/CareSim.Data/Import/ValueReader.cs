using System.Globalization;
using CareSim.Data.Csv;

namespace CareSim.Data.Import;

/// <summary>
/// Reads the numeric cells of one file's rows: suppression codes and empty cells are missing values
/// counted in the file report; a negative value is an error at its line (every value the importer
/// reads is a count, an FTE, a rate or a percentage); cells that are neither numbers nor known codes
/// are missing too, and listed in one warning by <see cref="ReportUnknownCodes"/>.
/// </summary>
internal sealed class ValueReader(CsvTable table, FileImportReport report)
{
    private readonly LocatedCounts _unknown = new();

    public CsvTable Table { get; } = table;

    /// <summary>The line of the row being read.</summary>
    public int Line { get; set; }

    /// <summary>The number in a column of the row; null when the column is absent or the value missing.</summary>
    public double? Number(string[] cells, string column)
    {
        if (!Table.Has(column))
            return null;
        var cell = Table.Cell(cells, column);
        var value = OfficialValue.Parse(cell, out var code);
        if (code is not null)
        {
            report.CountMissing(code);
            if (code == OfficialValue.OtherCode)
                _unknown.Add(cell, Line);
            return null;
        }
        if (value < 0)
        {
            report.AddError($"{column} is {cell}, but a count, FTE, rate or percentage cannot be negative", Line);
            return null;
        }
        return value;
    }

    public double? Number(string[] cells, ColumnSpec spec) => spec.Resolve(Table) is { } column ? Number(cells, column) : null;

    public void ReportUnknownCodes()
    {
        if (_unknown.Total > 0)
        {
            report.AddWarning($"{_unknown.Total} cells are neither numbers nor known suppression codes " +
                $"({string.Join(" ", OfficialValue.SuppressionCodes)}) and are treated as missing: {_unknown}", _unknown.FirstLine);
        }
    }
}

/// <summary>Texts counted with the first line each was seen on, for warnings ("'n/a' (3, first on line 5)").</summary>
internal sealed class LocatedCounts
{
    private const int MaxListed = 5;
    private readonly SortedDictionary<string, (int Count, int FirstLine)> _texts = new(StringComparer.Ordinal);

    public int Total { get; private set; }
    public int? FirstLine { get; private set; }

    public void Add(string text, int line)
    {
        var key = text.Length <= 30 ? text : text[..27] + "...";
        _texts[key] = _texts.TryGetValue(key, out var seen) ? (seen.Count + 1, seen.FirstLine) : (1, line);
        Total++;
        FirstLine ??= line;
    }

    public override string ToString()
    {
        var listed = _texts.OrderBy(t => t.Value.FirstLine).Take(MaxListed)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"'{t.Key}' ({t.Value.Count}, first on line {t.Value.FirstLine})"));
        var more = _texts.Count > MaxListed ? string.Create(CultureInfo.InvariantCulture, $" and {_texts.Count - MaxListed} other texts") : "";
        return string.Join(", ", listed) + more;
    }
}
