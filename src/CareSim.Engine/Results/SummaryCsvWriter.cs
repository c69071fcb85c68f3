using System.Globalization;
using System.Text;
using CareSim.Engine.Summaries;
using CareSim.Model.Time;

namespace CareSim.Engine.Results;

/// <summary>
/// summary.csv: one line per summary row, formatted straight into UTF-8 bytes (doubles as the
/// shortest text that reads back to the same bits, as <see cref="ResultsWriter.Format(double)"/>
/// gives them) and written in large chunks. The same text as formatting strings, without
/// building and encoding them: the file is about 95 MB for England over ten years.
/// </summary>
internal sealed class SummaryCsvWriter : IDisposable
{
    private const int ChunkBytes = 1 << 16;
    private const int LongestNumber = 32; // "-1.2345678901234567E-308" and the like

    private readonly FileStream _file;
    private readonly byte[] _buffer = new byte[ChunkBytes * 2];
    private int _used;
    private SimMonth _month;
    private byte[] _monthText = [];
    private readonly Dictionary<string, byte[]> _texts = new(StringComparer.Ordinal); // authority codes and metric names
    private readonly byte[] _lastNumber = new byte[LongestNumber]; // the text of the last number formatted
    private int _lastNumberLength;
    private long _lastNumberBits;

    public SummaryCsvWriter(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        Append(Encoding.UTF8.GetBytes("authority,month,metric,mean," + string.Join(',', Quantiles.ColumnNames) + "\n"));
    }

    public void Write(IReadOnlyList<SummaryRow> rows)
    {
        foreach (var row in rows)
        {
            if (_monthText.Length == 0 || row.Month != _month)
            {
                _month = row.Month;
                _monthText = Encoding.UTF8.GetBytes(row.Month.ToString());
            }
            Append(TextOf(row.Authority));
            Append((byte)',');
            Append(_monthText);
            Append((byte)',');
            Append(TextOf(row.Metric));
            Append((byte)',');
            Append(row.Mean);
            foreach (var q in row.Quantiles)
            {
                Append((byte)',');
                Append(q);
            }
            Append((byte)'\n');
            if (_used >= ChunkBytes) FlushBuffer();
        }
    }

    private byte[] TextOf(string text)
    {
        if (!_texts.TryGetValue(text, out var bytes)) _texts[text] = bytes = Encoding.UTF8.GetBytes(text);
        return bytes;
    }

    private void Append(byte value)
    {
        EnsureRoom(1);
        _buffer[_used++] = value;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        EnsureRoom(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    /// <remarks>
    /// A value with the same bits as the last one formatted is copied, not formatted again: the
    /// quantiles of a 0/1 or few-valued metric mostly repeat along a row.
    /// </remarks>
    private void Append(double value)
    {
        EnsureRoom(LongestNumber);
        var bits = BitConverter.DoubleToInt64Bits(value);
        if (_lastNumberLength > 0 && bits == _lastNumberBits)
        {
            _lastNumber.AsSpan(0, _lastNumberLength).CopyTo(_buffer.AsSpan(_used));
            _used += _lastNumberLength;
            return;
        }
        if (!value.TryFormat(_buffer.AsSpan(_used), out var written, "R", CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"could not format {value}");
        _buffer.AsSpan(_used, written).CopyTo(_lastNumber);
        _lastNumberLength = written;
        _lastNumberBits = bits;
        _used += written;
    }

    private void EnsureRoom(int bytes)
    {
        if (_used + bytes > _buffer.Length) FlushBuffer();
        if (bytes > _buffer.Length) throw new ArgumentException($"a field of {bytes} bytes is longer than the buffer", nameof(bytes));
    }

    private void FlushBuffer()
    {
        _file.Write(_buffer, 0, _used);
        _used = 0;
    }

    public void Dispose()
    {
        try
        {
            FlushBuffer();
        }
        finally
        {
            _file.Dispose();
        }
    }
}
