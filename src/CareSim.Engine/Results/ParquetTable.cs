using Parquet;
using Parquet.Schema;

namespace CareSim.Engine.Results;

/// <summary>
/// A Parquet file written as a stream of row groups: rows are buffered column by column and
/// flushed as a row group on <see cref="Flush"/>, so memory holds one row group, never the file.
/// Columns are strings (dictionary-encoded: codes and names repeat), dates (Parquet DATE, e.g.
/// the first day of a month), 32-bit integers, booleans (0/1 indicators) or nullable doubles
/// (censored values are null). <see cref="Metadata"/> goes into the file's key-value metadata.
/// </summary>
public sealed class ParquetTable : IDisposable
{
    private readonly FileStream _stream;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly List<string>[] _strings;
    private readonly ColumnBuffer<int>[] _ints;
    private readonly ColumnBuffer<double?>[] _doubles;
    private readonly ColumnBuffer<DateOnly>[] _dates;
    private readonly ColumnBuffer<bool>[] _booleans;

    public ParquetTable(string path, IReadOnlyList<(string Name, Type Type)> columns, IReadOnlyDictionary<string, string>? metadata = null)
    {
        _fields = columns.Select(c => c.Type == typeof(string) ? new DataField<string>(c.Name)
            : c.Type == typeof(int) ? new DataField<int>(c.Name)
            : c.Type == typeof(double) ? new DataField<double?>(c.Name)
            : c.Type == typeof(DateOnly) ? new DataField<DateOnly>(c.Name)
            : c.Type == typeof(bool) ? (DataField)new DataField<bool>(c.Name)
            : throw new ArgumentException($"unsupported column type {c.Type}", nameof(columns))).ToArray();
        _strings = columns.Select(c => c.Type == typeof(string) ? new List<string>() : null!).ToArray();
        _ints = columns.Select(c => c.Type == typeof(int) ? new ColumnBuffer<int>() : null!).ToArray();
        _doubles = columns.Select(c => c.Type == typeof(double) ? new ColumnBuffer<double?>() : null!).ToArray();
        _dates = columns.Select(c => c.Type == typeof(DateOnly) ? new ColumnBuffer<DateOnly>() : null!).ToArray();
        _booleans = columns.Select(c => c.Type == typeof(bool) ? new ColumnBuffer<bool>() : null!).ToArray();
        var options = new ParquetOptions();
        for (var c = 0; c < columns.Count; c++)
            if (columns[c].Type == typeof(string)) options.ColumnEncodingHints[_fields[c].Path.ToString()] = EncodingHint.Dictionary;
        _stream = File.Create(path);
        _writer = ParquetWriter.CreateAsync(new ParquetSchema(_fields), _stream, options).GetAwaiter().GetResult();
        if (metadata is not null) _writer.CustomMetadata = metadata.ToDictionary(p => p.Key, p => p.Value);
    }

    public int BufferedRows { get; private set; }

    public void Add(int column, string value) => _strings[column].Add(value);

    public void Add(int column, int value) => _ints[column].Add(value);

    public void Add(int column, double? value) => _doubles[column].Add(value);

    public void Add(int column, DateOnly value) => _dates[column].Add(value);

    public void Add(int column, bool value) => _booleans[column].Add(value);

    /// <summary>Marks the end of a row (every column must have had one value).</summary>
    public void EndRow() => BufferedRows++;

    /// <summary>Writes the buffered rows as one row group.</summary>
    public void Flush()
    {
        if (BufferedRows == 0) return;
        using (var group = _writer.CreateRowGroup())
        {
            for (var c = 0; c < _fields.Length; c++)
            {
                var field = _fields[c];
                if (_strings[c] is { } strings) group.WriteAsync(field, strings, null).GetAwaiter().GetResult();
                else if (_ints[c] is { } ints) group.WriteAsync<int>(field, ints.Values, null).GetAwaiter().GetResult();
                else if (_dates[c] is { } dates) group.WriteAsync<DateOnly>(field, dates.Values, null).GetAwaiter().GetResult();
                else if (_booleans[c] is { } booleans) group.WriteAsync<bool>(field, booleans.Values, null).GetAwaiter().GetResult();
                else group.WriteAsync<double>(field, _doubles[c].Values, null).GetAwaiter().GetResult();
            }
        }
        foreach (var list in _strings) list?.Clear();
        foreach (var list in _ints) list?.Clear();
        foreach (var list in _doubles) list?.Clear();
        foreach (var list in _dates) list?.Clear();
        foreach (var list in _booleans) list?.Clear();
        BufferedRows = 0;
    }

    /// <summary>A column's values of the rows buffered: an array reused from row group to row group (no copy to write it).</summary>
    private sealed class ColumnBuffer<T>
    {
        private T[] _values = new T[1024];
        private int _count;

        public ReadOnlyMemory<T> Values => _values.AsMemory(0, _count);

        public void Add(T value)
        {
            if (_count == _values.Length) Array.Resize(ref _values, 2 * _count);
            _values[_count++] = value;
        }

        public void Clear() => _count = 0;
    }

    public void Dispose()
    {
        Flush();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream.Dispose();
    }
}
