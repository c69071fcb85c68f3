using System.Text;

namespace CareSim.Data.Csv;

/// <summary>
/// A CSV file read into memory: a header and rows. Columns are looked up by name (trimmed,
/// case-insensitive, first occurrence wins), never by position.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);

    public CsvTable(string path, IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (name.Length > 0)
                _index.TryAdd(name, i);
        }
    }

    public string Path { get; }
    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<string[]> Rows { get; }

    public bool Has(string column) => _index.ContainsKey(column);

    public int? IndexOf(string column) => _index.TryGetValue(column, out var i) ? i : null;

    /// <summary>The first of the alternative names present in the header, or null.</summary>
    public string? FirstPresent(IEnumerable<string> alternatives) => alternatives.FirstOrDefault(Has);

    /// <summary>The cell of a row in the named column; empty when the column or cell is absent.</summary>
    public string Cell(string[] row, string column)
    {
        if (!_index.TryGetValue(column, out var i) || i >= row.Length)
            return "";
        return row[i].Trim();
    }

    public static CsvTable Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var records = CsvParser.Parse(reader).ToList();
        if (records.Count == 0)
            return new CsvTable(path, [], []);
        var header = records[0].Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
        var rows = new List<string[]>(records.Count - 1);
        foreach (var record in records.Skip(1))
        {
            if (record.All(string.IsNullOrWhiteSpace))
                continue;
            if (record.Length < header.Length)
            {
                var padded = new string[header.Length];
                Array.Fill(padded, "");
                Array.Copy(record, padded, record.Length);
                rows.Add(padded);
            }
            else
            {
                rows.Add(record);
            }
        }
        return new CsvTable(path, header, rows);
    }
}

/// <summary>RFC 4180 CSV parsing: quoted fields, doubled quotes, commas and newlines inside quotes.</summary>
public static class CsvParser
{
    public static IEnumerable<string[]> Parse(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            any = true;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"':
                    inQuotes = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    if (reader.Peek() == '\n')
                        reader.Read();
                    goto case '\n';
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return fields.ToArray();
                    fields.Clear();
                    any = false;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }
        if (any)
        {
            fields.Add(field.ToString());
            yield return fields.ToArray();
        }
    }
}

/// <summary>Writes CSV with LF line endings, UTF-8 without a byte-order mark, quoting only when needed.</summary>
public static class CsvWriter
{
    public static string Escape(string value)
    {
        if (value.IndexOfAny([',', '"', '\n', '\r']) < 0)
            return value;
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', header.Select(Escape))).Append('\n');
        foreach (var row in rows)
            sb.Append(string.Join(',', row.Select(Escape))).Append('\n');
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}
