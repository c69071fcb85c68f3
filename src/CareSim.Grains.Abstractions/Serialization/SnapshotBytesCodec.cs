using System.Buffers;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace CareSim.Grains.Abstractions.Serialization;

/// <summary>
/// Writes a model block's snapshot (<see cref="SnapshotBytes"/>) as one length-prefixed run of
/// bytes, straight from the grain's capture buffer into the serializer's output (a checkpoint's
/// tens of megabytes go to grain storage in one copy), and reads it into an array of its own.
/// (Orleans' generic codec for a <see cref="ReadOnlyMemory{T}"/> in an array writes each byte
/// as a field of its own: two and a half times the bytes, at a fraction of the speed.)
/// </summary>
[RegisterSerializer]
public sealed class SnapshotBytesCodec : IFieldCodec<SnapshotBytes>
{
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, SnapshotBytes value) where TBufferWriter : IBufferWriter<byte>
    {
        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(SnapshotBytes), WireType.LengthPrefixed);
        writer.WriteVarUInt32(checked((uint)value.Length));
        writer.Write(value.Memory.Span);
    }

    public SnapshotBytes ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        field.EnsureWireType(WireType.LengthPrefixed);
        var length = reader.ReadVarUInt32();
        if (reader.Length >= 0 && length > reader.Length - reader.Position) throw new InvalidDataException($"a block snapshot of {length} bytes is longer than the {reader.Length - reader.Position} bytes left");
        var bytes = new byte[length];
        reader.ReadBytes(bytes);
        return new SnapshotBytes(bytes);
    }
}

/// <summary>Copies a snapshot's bytes (a copy must not share a capture buffer that the next checkpoint reuses).</summary>
[RegisterCopier]
public sealed class SnapshotBytesCopier : IDeepCopier<SnapshotBytes>
{
    public SnapshotBytes DeepCopy(SnapshotBytes input, CopyContext context) => new(input.Memory.ToArray());
}
