using System.Text;

namespace CareSim.Data.Csv;

/// <summary>
/// A CSV file read into memory: a header and rows. Columns are looked up by name (trimmed,
/// case-insensitive, first occurrence wins), never by position.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyList<int>? _lines;

    /// <param name="lines">The line of the file each row starts on (1-based), when known.</param>
    public CsvTable(string path, IReadOnlyList<string> header, IReadOnlyList<string[]> rows, IReadOnlyList<int>? lines = null)
    {
        if (lines is not null && lines.Count != rows.Count)
            throw new ArgumentException("One line number per row is needed.", nameof(lines));
        Path = path;
        Header = header;
        Rows = rows;
        _lines = lines;
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

    /// <summary>The line of the file row <paramref name="rowIndex"/> starts on (1-based; the header is line 1 unless lines were given).</summary>
    public int LineOf(int rowIndex) => _lines?[rowIndex] ?? rowIndex + 2;

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
        var records = CsvParser.ReadRecords(reader).ToList();
        return records.Count == 0 ? new CsvTable(path, [], []) : FromRecords(path, records, 0);
    }

    /// <summary>A table whose header is record <paramref name="headerIndex"/>; the records after it are
    /// its rows (blank ones left out, short ones padded with empty cells), with their line numbers.</summary>
    public static CsvTable FromRecords(string path, IReadOnlyList<CsvRecord> records, int headerIndex)
    {
        var header = records[headerIndex].Fields.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
        var rows = new List<string[]>(records.Count - headerIndex - 1);
        var lines = new List<int>(records.Count - headerIndex - 1);
        foreach (var record in records.Skip(headerIndex + 1))
        {
            if (record.IsBlank)
                continue;
            var fields = record.Fields;
            if (fields.Length < header.Length)
            {
                var padded = new string[header.Length];
                Array.Fill(padded, "");
                Array.Copy(fields, padded, fields.Length);
                fields = padded;
            }
            rows.Add(fields);
            lines.Add(record.Line);
        }
        return new CsvTable(path, header, rows, lines);
    }
}

/// <summary>A record of a CSV file: its fields, the line it starts on (1-based), whether a line end
/// closed it (false only for the last record of a file without a final newline) and whether the file
/// ended inside one of its quoted fields.</summary>
public sealed record CsvRecord(int Line, string[] Fields, bool Terminated, bool UnclosedQuote = false)
{
    public bool IsBlank => Fields.All(string.IsNullOrWhiteSpace);
}

/// <summary>RFC 4180 CSV parsing: quoted fields, doubled quotes, commas and newlines inside quotes.</summary>
public static class CsvParser
{
    public static IEnumerable<string[]> Parse(TextReader reader) => ReadRecords(reader).Select(r => r.Fields);

    public static IEnumerable<CsvRecord> ReadRecords(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var any = false;
        var line = 1;
        var start = 1;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (!any)
                start = line;
            any = true;
            if (ch == '\n' || (ch == '\r' && reader.Peek() != '\n'))
                line++;
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
                    {
                        reader.Read();
                        line++;
                    }
                    goto case '\n';
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return new CsvRecord(start, fields.ToArray(), Terminated: true);
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
            yield return new CsvRecord(start, fields.ToArray(), Terminated: false, UnclosedQuote: inQuotes);
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
