namespace CareSim.TestSupport;

/// <summary>Builds CSV text from a header line and rows given by column name (other cells empty).</summary>
public static class Csv
{
    public static string Text(string header, IEnumerable<IReadOnlyDictionary<string, string>> rows)
    {
        var columns = header.Split(',');
        var lines = new List<string> { header };
        foreach (var row in rows)
        {
            foreach (var key in row.Keys)
            {
                if (!columns.Contains(key))
                    throw new ArgumentException($"Column '{key}' is not in the header '{header}'.");
            }
            lines.Add(string.Join(',', columns.Select(c => row.TryGetValue(c, out var v) ? Escape(v) : "")));
        }
        return string.Join('\n', lines) + "\n";
    }

    public static Dictionary<string, string> Row(params (string Column, object Value)[] cells)
    {
        var row = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, value) in cells)
            row[column] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        return row;
    }

    public static Dictionary<string, string> With(this Dictionary<string, string> row, params (string Column, object Value)[] cells)
    {
        var copy = new Dictionary<string, string>(row, StringComparer.Ordinal);
        foreach (var (column, value) in cells)
            copy[column] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        return copy;
    }

    private static string Escape(string v) => v.Contains(',') || v.Contains('"') ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
}
