using System.Buffers;
using System.Runtime.InteropServices;
using CareSim.Model.Outputs;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace CareSim.Grains.Abstractions.Serialization;

/// <summary>
/// A block's metrics for a month as they cross from a silo to the runner: the frame's columns are
/// written straight from the authority block's arrays into the message, and read straight into
/// the arrays of a frame from <see cref="MetricFramePool"/>. No intermediate byte array on either
/// side (a block of 1,000 replicas is 288 KB a frame, which would be a large-object-heap array per
/// authority and month), and the runner's frames are reused month after month.
/// </summary>
/// <remarks>
/// Wire form (length-prefixed): the number of metrics, the number of replicas, then each metric's
/// values as they lie in memory (IEEE 754 bits, little-endian on every platform .NET runs Orleans
/// on), so the numbers arrive bit for bit.
/// </remarks>
[RegisterSerializer]
public sealed class MetricFrameCodec : IFieldCodec<MetricFrame>
{
    private const int HeaderBytes = 2 * sizeof(int);

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, MetricFrame? value) where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value) || value is null) return; // null, or sent before in this message
        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(MetricFrame), WireType.LengthPrefixed);
        var columns = value.Values;
        writer.WriteVarUInt32(checked((uint)(HeaderBytes + (long)columns.Length * value.Count * sizeof(double))));
        writer.WriteInt32(columns.Length);
        writer.WriteInt32(value.Count);
        foreach (var column in columns)
        {
            if (column.Length != value.Count) throw new ArgumentException($"a metric frame's columns differ in length ({column.Length}, expected {value.Count})", nameof(value));
            writer.Write(MemoryMarshal.AsBytes(column.AsSpan()));
        }
    }

    public MetricFrame ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference) return ReferenceCodec.ReadReference<MetricFrame, TInput>(ref reader, field)!;
        field.EnsureWireType(WireType.LengthPrefixed);
        var referenceId = ReferenceCodec.CreateRecordPlaceholder(reader.Session);
        var length = reader.ReadVarUInt32();
        var metrics = reader.ReadInt32();
        var count = reader.ReadInt32();
        if (metrics != MetricCatalog.Count || count < 0 || length != HeaderBytes + (long)metrics * count * sizeof(double))
            throw new InvalidDataException($"metric frame: {length} bytes do not hold {metrics} metrics of {count} replicas (expected {MetricCatalog.Count} metrics)");
        var frame = MetricFramePool.Rent(count);
        foreach (var column in frame.Values) reader.ReadBytes(MemoryMarshal.AsBytes(column.AsSpan()));
        ReferenceCodec.RecordObject(reader.Session, frame, referenceId);
        return frame;
    }
}

/// <summary>Copies a metric frame (for calls inside one silo that are not marked immutable).</summary>
[RegisterCopier]
public sealed class MetricFrameCopier : IDeepCopier<MetricFrame>
{
    public MetricFrame? DeepCopy(MetricFrame? input, CopyContext context)
    {
        if (input is null) return null;
        if (context.TryGetCopy<MetricFrame>(input, out var copy)) return copy;
        copy = new MetricFrame(input.Values.Select(column => (double[])column.Clone()).ToArray());
        context.RecordCopy(input, copy);
        return copy;
    }
}
