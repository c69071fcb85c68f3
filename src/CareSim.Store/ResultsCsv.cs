using System.Globalization;
using System.Text;

namespace CareSim.Store;

/// <summary>
/// Reads the CSV files of a results directory one record at a time (bounded memory): comma
/// separated, an optional double-quoted field with "" for a quote, LF or CRLF line ends, a header line.
/// </summary>
public sealed class ResultsCsv : IDisposable
{
    private readonly StreamReader _reader;
    private readonly Dictionary<string, int> _columns;
    private readonly string _path;
    private int _line = 1;

    private ResultsCsv(string path)
    {
        _path = path;
        _reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var header = ReadRecord() ?? throw new InvalidDataException($"{path}: empty file (expected a header line)");
        Header = header;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++) _columns.TryAdd(header[i], i);
    }

    public static ResultsCsv Open(string path) => new(path);

    public IReadOnlyList<string> Header { get; }

    /// <summary>The index of column <paramref name="name"/>; throws when the file has no such column.</summary>
    public int Column(string name) =>
        _columns.TryGetValue(name, out var index) ? index : throw new InvalidDataException($"{_path}: no column '{name}' (columns: {string.Join(",", Header)})");

    /// <summary>The next record, or null at the end of the file.</summary>
    public string[]? Next()
    {
        while (true)
        {
            var record = ReadRecord();
            if (record is null) return null;
            if (record is [""]) continue; // blank line
            if (record.Length != Header.Count)
                throw new InvalidDataException($"{_path}:{_line - 1}: {record.Length} fields, expected {Header.Count}");
            return record;
        }
    }

    /// <summary>Line number of the last record read (1 = header).</summary>
    public int Line => _line - 1;

    public string PathName => _path;

    public double? NullableDouble(string[] record, int column)
    {
        var text = record[column];
        if (text.Length == 0) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{_path}:{Line}: '{text}' in column {Header[column]} is not a number");
    }

    public double Double(string[] record, int column) =>
        NullableDouble(record, column) ?? throw new InvalidDataException($"{_path}:{Line}: column {Header[column]} is empty");

    public int Int(string[] record, int column) =>
        int.TryParse(record[column], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{_path}:{Line}: '{record[column]}' in column {Header[column]} is not an integer");

    private string[]? ReadRecord()
    {
        var first = _reader.Read();
        if (first < 0) return null;
        var fields = new List<string>();
        var field = new StringBuilder();
        var c = first;
        var quoted = false;
        var atFieldStart = true;
        while (true)
        {
            if (quoted)
            {
                if (c < 0) throw new InvalidDataException($"{_path}:{_line}: unterminated quoted field");
                if (c == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n') _line++;
                    field.Append((char)c);
                }
            }
            else if (c == '"' && atFieldStart)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                atFieldStart = true;
                c = _reader.Read();
                continue;
            }
            else if (c is '\n' or -1)
            {
                break;
            }
            else if (c != '\r' || _reader.Peek() != '\n')
            {
                field.Append((char)c);
            }
            atFieldStart = false;
            c = _reader.Read();
        }
        _line++;
        fields.Add(field.ToString());
        return fields.ToArray();
    }

    public void Dispose() => _reader.Dispose();
}
