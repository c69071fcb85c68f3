using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CareSim.Grains.Abstractions.Serialization;

/// <summary>
/// Columns of doubles (one array per column, all of one length) as one block of bytes, for the
/// messages that cross silos: a header (column count, length), then each column's values as
/// they lie in memory (IEEE 754 bits, little-endian on every platform .NET runs Orleans on), so
/// the numbers arrive bit for bit.
/// </summary>
public static class PackedColumns
{
    private const int HeaderBytes = 8;

    public static byte[] Pack(double[][] columns)
    {
        var length = columns.Length == 0 ? 0 : columns[0].Length;
        var bytes = new byte[HeaderBytes + (long)columns.Length * length * sizeof(double)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, columns.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), length);
        var offset = HeaderBytes;
        foreach (var column in columns)
        {
            if (column.Length != length) throw new ArgumentException($"columns differ in length ({column.Length}, expected {length})", nameof(columns));
            MemoryMarshal.AsBytes(column.AsSpan()).CopyTo(bytes.AsSpan(offset));
            offset += length * sizeof(double);
        }
        return bytes;
    }

    public static double[][] Unpack(byte[] bytes)
    {
        if (bytes.Length < HeaderBytes) throw new InvalidDataException("packed columns: no header");
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        if (count < 0 || length < 0 || bytes.Length != HeaderBytes + (long)count * length * sizeof(double))
            throw new InvalidDataException($"packed columns: {bytes.Length} bytes do not hold {count} columns of {length} values");
        var columns = new double[count][];
        var offset = HeaderBytes;
        for (var c = 0; c < count; c++)
        {
            columns[c] = new double[length];
            bytes.AsSpan(offset, length * sizeof(double)).CopyTo(MemoryMarshal.AsBytes(columns[c].AsSpan()));
            offset += length * sizeof(double);
        }
        return columns;
    }
}
