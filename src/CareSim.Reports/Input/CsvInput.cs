using System.Globalization;
using CareSim.Data.Csv;
using CareSim.Model.Time;

namespace CareSim.Reports.Input;

/// <summary>
/// A CSV file of a results directory read with checks: the required columns must be present
/// (by name, in any order; extra columns are ignored) and every cell read through it is checked,
/// so that an error names the file, line, column and what was expected.
/// </summary>
internal sealed class CsvInput
{
    private readonly CsvTable _table;

    private CsvInput(CsvTable table, string displayPath)
    {
        _table = table;
        DisplayPath = displayPath;
    }

    /// <summary>The path as shown in messages.</summary>
    public string DisplayPath { get; }

    public int RowCount => _table.Rows.Count;

    public bool Has(string column) => _table.Has(column);

    /// <summary>Reads a CSV file that must exist, have the columns <paramref name="required"/> and at least one row.</summary>
    /// <param name="what">What the file is, for messages (e.g. "written by 'sim run'").</param>
    public static CsvInput Read(string path, IReadOnlyList<string> required, string what)
    {
        if (!File.Exists(path))
            throw new ReportInputException($"{path}: file not found; expected {what} with columns {string.Join(",", required)}.");
        CsvTable table;
        try
        {
            table = CsvTable.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidDataException)
        {
            throw new ReportInputException($"{path}: cannot be read ({e.Message}); expected {what}.", e);
        }
        if (table.Header.Count == 0)
            throw new ReportInputException($"{path}: the file is empty; expected {what} with columns {string.Join(",", required)}.");
        var missing = required.Where(c => !table.Has(c)).ToList();
        if (missing.Count > 0)
            throw new ReportInputException($"{path}, line 1: missing column(s) {string.Join(", ", missing)}; expected {what} with columns {string.Join(",", required)} (the header is: {string.Join(",", table.Header)}).");
        if (table.Rows.Count == 0)
            throw new ReportInputException($"{path}: no data rows after the header; expected {what}.");
        return new CsvInput(table, path);
    }

    /// <summary>Line number in the file of row <paramref name="row"/> (1 is the header; blank lines are not counted).</summary>
    public static int Line(int row) => row + 2;

    public string Text(int row, string column, bool required = true)
    {
        var cell = _table.Cell(_table.Rows[row], column);
        if (required && cell.Length == 0) throw Bad(row, column, "is empty; expected a value");
        return cell;
    }

    public double Number(int row, string column)
    {
        var cell = Text(row, column, required: false);
        if (cell.Length == 0) throw Bad(row, column, "is empty; expected a number");
        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Bad(row, column, $"'{cell}' is not a number");
    }

    /// <summary>A number, or null when the cell (or the column) is empty.</summary>
    public double? OptionalNumber(int row, string column)
    {
        var cell = Text(row, column, required: false);
        if (cell.Length == 0) return null;
        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Bad(row, column, $"'{cell}' is not a number (or empty)");
    }

    public int Integer(int row, string column)
    {
        var cell = Text(row, column, required: false);
        return int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Bad(row, column, cell.Length == 0 ? "is empty; expected a whole number" : $"'{cell}' is not a whole number");
    }

    public SimMonth Month(int row, string column)
    {
        var cell = Text(row, column, required: false);
        return cell.Length == 7 && SimMonth.TryParse(cell, out var m)
            ? m
            : throw Bad(row, column, cell.Length == 0 ? "is empty; expected a month (YYYY-MM)" : $"'{cell}' is not a month (YYYY-MM)");
    }

    public ReportInputException Bad(int row, string column, string problem) =>
        new($"{DisplayPath}, line {Line(row)}, column {column}: {problem}.");

    public ReportInputException BadRow(int row, string problem) =>
        new($"{DisplayPath}, line {Line(row)}: {problem}.");
}
