using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using CareSim.Model;
using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Outputs;
using CareSim.Model.Workforce;

namespace CareSim.Grains.Checkpoints;

/// <summary>
/// Captures a model block's state (an <c>AuthorityBlock</c>, <c>WorkforceBlock</c>,
/// <c>LabourMarketBlock</c> or <c>CommissionerBlock</c>) as bytes, and restores it into a block
/// freshly constructed from the same plan and replica range. Random numbers are counter-based
/// (keyed by seed, replica, month and stream), so a block restored at a month boundary continues
/// exactly as the original would have: the checkpoints of the grain engine rest on this.
/// </summary>
/// <remarks>
/// <para>
/// The state is found by reflection, once per type (cached), so the model classes need no
/// snapshot code of their own and new fields are picked up without changes here. Every instance
/// field is walked, private and inherited ones included: primitives, enums, strings, nullable
/// values, structs, arrays (jagged too), <see cref="List{T}"/> and owned objects (their fields, in
/// turn). Doubles are stored as their bits, so a restored block is bit-for-bit the original.
/// </para>
/// <para>
/// The one exception: a <c>readonly</c> field whose type (or array element type) is a class of
/// the plan (<c>CareSim.Model.Plan</c>) or the parameters (<c>CareSim.Model.Parameters</c>) holds
/// input the constructor took from the plan (the authority's plan, its parameters, its events by
/// month). The fresh block already has it, so it is skipped. A list of plan objects that grows
/// during the run (the programmes started so far) is state and is stored by value.
/// </para>
/// <para>
/// The other: a <c>readonly</c> field holding one of the model's monthly messages (its metrics,
/// its workforce drivers and report, its market submission, allocations and accounts, its
/// commissioner report and directives; <see cref="MonthlyMessages"/>) is the block's output
/// buffer: the block writes it in full every month before reading it ("valid until the next
/// month"), so a block restored at a month boundary recomputes it. These are close to half of an
/// authority block's bytes; skipping them keeps checkpoints to the state that cannot be
/// recomputed. A next month's inputs (an authority's allocation and directive) are stored by the
/// checkpoint beside the blocks. BlockSnapshotTests checks that restored blocks continue bit for bit.
/// </para>
/// <para>
/// And a field marked <see cref="ScratchAttribute"/> is working memory a method fills and reads within
/// one call (e.g. the commissioner's view of its reports' arrays): not state, not stored.
/// </para>
/// <para>
/// Restoring writes into the fresh block's own arrays and objects where their lengths and types
/// match (so arrays the constructor shares between fields stay shared), and creates new ones
/// where they do not. A type this cannot store (a delegate, a dictionary, an interface-typed
/// field, a recursive type) fails at the first capture with the field's name.
/// </para>
/// </remarks>
public static class BlockSnapshot
{
    private const uint Magic = 0x4B4E4253; // "SBNK"
    private const int FormatVersion = 2; // 2: monthly output buffers are not stored

    private static readonly ConcurrentDictionary<Type, Layout> Layouts = new();

    /// <summary>The model's per-month messages: a block's own ones are output buffers, rewritten every month (not stored).</summary>
    public static IReadOnlySet<Type> MonthlyMessages { get; } = new HashSet<Type>
    {
        typeof(MetricFrame), typeof(WorkforceDrivers), typeof(WorkforceReport), typeof(MarketSubmission), typeof(MarketAllocation),
        typeof(MarketAccounts), typeof(CommissionerReport), typeof(CommissionerDirective),
    };

    /// <summary>The block's state as bytes (a header naming the type and its field layout, then the values).</summary>
    public static byte[] Capture(object block)
    {
        using var stream = new MemoryStream();
        return Capture(block, stream).ToArray();
    }

    /// <summary>
    /// The block's state as bytes, written into <paramref name="buffer"/> from its start (its earlier
    /// contents are overwritten): a grain keeps one buffer and captures into it at every checkpoint,
    /// so a checkpoint writes into memory the previous one already touched instead of fresh arrays.
    /// The bytes returned are the buffer's and are valid until the next capture into it.
    /// </summary>
    public static ReadOnlyMemory<byte> Capture(object block, MemoryStream buffer)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(buffer);
        var layout = LayoutOf(block.GetType());
        buffer.SetLength(0);
        // A buffer's first capture: sized like the last snapshot of this type (the blocks of a run
        // are alike), not grown by doubling from nothing (each step a copy into fresh memory).
        if (buffer.Capacity < layout.LastSize) buffer.Capacity = layout.LastSize;
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(layout.Fingerprint);
            layout.Root.Write(writer, block);
        }
        layout.LastSize = (int)buffer.Length;
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>
    /// Restores <paramref name="snapshot"/> (from <see cref="Capture"/>) into <paramref name="block"/>,
    /// a block of the same type constructed from the same plan, index and replica range.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a snapshot of this type, or were written by a different version of the model.</exception>
    public static void Restore(object block, byte[] snapshot) => Restore(block, (ReadOnlyMemory<byte>)snapshot);

    /// <inheritdoc cref="Restore(object, byte[])"/>
    public static void Restore(object block, ReadOnlyMemory<byte> snapshot)
    {
        ArgumentNullException.ThrowIfNull(block);
        var type = block.GetType();
        var layout = LayoutOf(type);
        var bytes = MemoryMarshal.TryGetArray(snapshot, out var segment) ? segment : new ArraySegment<byte>(snapshot.ToArray());
        using var reader = new BinaryReader(new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false), Encoding.UTF8);
        try
        {
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != FormatVersion)
                throw new InvalidDataException($"not a snapshot of a model block ({type.Name})");
            if (reader.ReadString() != layout.Fingerprint)
                throw new InvalidDataException($"the snapshot of {type.Name} was written by a different version of the model (its fields differ); it cannot be restored");
            layout.Root.Read(reader, block);
            if (reader.BaseStream.Position != reader.BaseStream.Length)
                throw new InvalidDataException($"the snapshot of {type.Name} has {reader.BaseStream.Length - reader.BaseStream.Position} bytes left over");
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"the snapshot of {type.Name} is truncated");
        }
    }

    /// <summary>The layout description of a type's snapshot (field paths and types), for diagnostics and tests.</summary>
    public static string Describe(Type blockType) => LayoutOf(blockType).Description;

    private static Layout LayoutOf(Type type) => Layouts.GetOrAdd(type, t =>
    {
        var description = new StringBuilder();
        var root = ObjectCodec.Create(t, t.Name, description, []);
        var text = description.ToString();
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        return new Layout((ObjectCodec)root, fingerprint, text);
    });

    private sealed record Layout(ObjectCodec Root, string Fingerprint, string Description)
    {
        /// <summary>The size of the last snapshot of this type, in bytes (a new buffer's first size).</summary>
        public int LastSize { get; set; }
    }

    /// <summary>Writes and reads values of one declared type.</summary>
    private abstract class Codec
    {
        public abstract void Write(BinaryWriter writer, object? value);

        /// <summary>Reads a value; <paramref name="existing"/> is the fresh block's value, reused where possible.</summary>
        public abstract object? Read(BinaryReader reader, object? existing);

        public static Codec For(Type type, string path, StringBuilder description, HashSet<Type> open)
        {
            description.Append(path).Append(':').Append(type.FullName).Append('\n');
            if (type.IsEnum) return new EnumCodec(type, (PrimitiveCodec)For(Enum.GetUnderlyingType(type), path + "#", description, open));
            if (type.IsPrimitive) return PrimitiveCodec.Create(type, path);
            if (type == typeof(string)) return StringCodec.Instance;
            if (type == typeof(decimal)) return PrimitiveCodec.Create(type, path);
            if (Nullable.GetUnderlyingType(type) is { } inner) return new NullableCodec(For(inner, path + "?", description, open));
            if (type.IsArray)
            {
                if (type.GetArrayRank() != 1) throw Unsupported(path, type, "multi-dimensional arrays are not supported; use jagged arrays");
                return ArrayCodec.Create(type.GetElementType()!, For(type.GetElementType()!, path + "[]", description, open));
            }
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            {
                var element = type.GetGenericArguments()[0];
                return new ListCodec(type, For(element, path + "[]", description, open));
            }
            if (typeof(Delegate).IsAssignableFrom(type) || type.IsPointer || type == typeof(IntPtr) || type == typeof(UIntPtr))
                throw Unsupported(path, type, "delegates and pointers cannot be stored");
            if (type.IsInterface || type.IsAbstract || type == typeof(object))
                throw Unsupported(path, type, "the field's declared type must be concrete");
            if (typeof(IEnumerable).IsAssignableFrom(type))
                throw Unsupported(path, type, "only arrays and List<T> are supported as collections");
            return ObjectCodec.Create(type, path, description, open);
        }

        protected static NotSupportedException Unsupported(string path, Type type, string why) =>
            new($"cannot snapshot {path} ({type.Name}): {why}");
    }

    private sealed class PrimitiveCodec : Codec
    {
        private readonly TypeCode _code;

        private PrimitiveCodec(TypeCode code) => _code = code;

        public static PrimitiveCodec Create(Type type, string path)
        {
            var code = Type.GetTypeCode(type);
            return code is TypeCode.Object or TypeCode.Empty or TypeCode.DBNull or TypeCode.DateTime or TypeCode.String
                ? throw Unsupported(path, type, "not a primitive")
                : new PrimitiveCodec(code);
        }

        public override void Write(BinaryWriter writer, object? value)
        {
            switch (_code)
            {
                case TypeCode.Boolean: writer.Write((bool)value!); break;
                case TypeCode.Char: writer.Write((ushort)(char)value!); break;
                case TypeCode.SByte: writer.Write((sbyte)value!); break;
                case TypeCode.Byte: writer.Write((byte)value!); break;
                case TypeCode.Int16: writer.Write((short)value!); break;
                case TypeCode.UInt16: writer.Write((ushort)value!); break;
                case TypeCode.Int32: writer.Write((int)value!); break;
                case TypeCode.UInt32: writer.Write((uint)value!); break;
                case TypeCode.Int64: writer.Write((long)value!); break;
                case TypeCode.UInt64: writer.Write((ulong)value!); break;
                case TypeCode.Single: writer.Write(BitConverter.SingleToInt32Bits((float)value!)); break;
                case TypeCode.Double: writer.Write(BitConverter.DoubleToInt64Bits((double)value!)); break;
                case TypeCode.Decimal: writer.Write((decimal)value!); break;
                default: throw new InvalidOperationException(_code.ToString());
            }
        }

        public override object Read(BinaryReader reader, object? existing) => _code switch
        {
            TypeCode.Boolean => reader.ReadBoolean(),
            TypeCode.Char => (char)reader.ReadUInt16(),
            TypeCode.SByte => reader.ReadSByte(),
            TypeCode.Byte => reader.ReadByte(),
            TypeCode.Int16 => reader.ReadInt16(),
            TypeCode.UInt16 => reader.ReadUInt16(),
            TypeCode.Int32 => reader.ReadInt32(),
            TypeCode.UInt32 => reader.ReadUInt32(),
            TypeCode.Int64 => reader.ReadInt64(),
            TypeCode.UInt64 => reader.ReadUInt64(),
            TypeCode.Single => BitConverter.Int32BitsToSingle(reader.ReadInt32()),
            TypeCode.Double => BitConverter.Int64BitsToDouble(reader.ReadInt64()),
            TypeCode.Decimal => reader.ReadDecimal(),
            _ => throw new InvalidOperationException(_code.ToString()),
        };
    }

    private sealed class EnumCodec(Type type, PrimitiveCodec underlying) : Codec
    {
        public override void Write(BinaryWriter writer, object? value) =>
            underlying.Write(writer, Convert.ChangeType(value!, Enum.GetUnderlyingType(type), System.Globalization.CultureInfo.InvariantCulture));

        public override object Read(BinaryReader reader, object? existing) => Enum.ToObject(type, underlying.Read(reader, null));
    }

    private sealed class StringCodec : Codec
    {
        public static readonly StringCodec Instance = new();

        public override void Write(BinaryWriter writer, object? value)
        {
            writer.Write(value is not null);
            if (value is string s) writer.Write(s);
        }

        public override object? Read(BinaryReader reader, object? existing) => reader.ReadBoolean() ? reader.ReadString() : null;
    }

    private sealed class NullableCodec(Codec inner) : Codec
    {
        // A boxed Nullable<T> is either null or a boxed T.
        public override void Write(BinaryWriter writer, object? value)
        {
            writer.Write(value is not null);
            if (value is not null) inner.Write(writer, value);
        }

        public override object? Read(BinaryReader reader, object? existing) => reader.ReadBoolean() ? inner.Read(reader, null) : null;
    }

    private sealed class ArrayCodec : Codec
    {
        private readonly Type _element;
        private readonly Codec _elementCodec;
        private readonly int _primitiveSize; // > 0: copied as raw bytes

        private ArrayCodec(Type element, Codec elementCodec, int primitiveSize)
        {
            _element = element;
            _elementCodec = elementCodec;
            _primitiveSize = primitiveSize;
        }

        public static ArrayCodec Create(Type element, Codec elementCodec) =>
            new(element, elementCodec, element.IsPrimitive && element != typeof(IntPtr) && element != typeof(UIntPtr) ? Buffer.ByteLength(Array.CreateInstance(element, 1)) : 0);

        public override void Write(BinaryWriter writer, object? value)
        {
            if (value is not Array array)
            {
                writer.Write(-1);
                return;
            }
            writer.Write(array.Length);
            if (_primitiveSize > 0)
            {
                writer.Write(RawBytes(array)); // straight from the array (no copy in between)
            }
            else
            {
                for (var i = 0; i < array.Length; i++) _elementCodec.Write(writer, array.GetValue(i));
            }
        }

        /// <summary>The bytes of an array of primitives, as they lie in memory.</summary>
        private static Span<byte> RawBytes(Array array) =>
            MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array), Buffer.ByteLength(array));

        public override object? Read(BinaryReader reader, object? existing)
        {
            var length = reader.ReadInt32();
            if (length < 0) return null;
            if (_primitiveSize > 0 && (long)length * _primitiveSize > reader.BaseStream.Length - reader.BaseStream.Position) throw new EndOfStreamException();
            var array = existing is Array a && a.Length == length && a.GetType().GetElementType() == _element
                ? a
                : Array.CreateInstance(_element, length);
            if (_primitiveSize > 0)
            {
                // Straight into the array (BinaryReader reads no further ahead than asked, so its stream is where it stopped).
                reader.BaseStream.ReadExactly(RawBytes(array));
            }
            else
            {
                for (var i = 0; i < length; i++) array.SetValue(_elementCodec.Read(reader, array.GetValue(i)), i);
            }
            return array;
        }
    }

    private sealed class ListCodec(Type listType, Codec elementCodec) : Codec
    {
        public override void Write(BinaryWriter writer, object? value)
        {
            if (value is not IList list)
            {
                writer.Write(-1);
                return;
            }
            writer.Write(list.Count);
            foreach (var item in list) elementCodec.Write(writer, item);
        }

        public override object? Read(BinaryReader reader, object? existing)
        {
            var count = reader.ReadInt32();
            if (count < 0) return null;
            var list = existing as IList ?? (IList)Activator.CreateInstance(listType)!;
            var old = list.Cast<object?>().ToArray();
            list.Clear();
            for (var i = 0; i < count; i++) list.Add(elementCodec.Read(reader, i < old.Length ? old[i] : null));
            return list;
        }
    }

    /// <summary>A class or struct: its instance fields (base classes' first, each type's by name).</summary>
    private sealed class ObjectCodec : Codec
    {
        private readonly Type _type;
        private readonly (FieldInfo Field, Codec Codec)[] _fields;

        private ObjectCodec(Type type, (FieldInfo, Codec)[] fields)
        {
            _type = type;
            _fields = fields;
        }

        public static Codec Create(Type type, string path, StringBuilder description, HashSet<Type> open)
        {
            if (!open.Add(type)) throw Unsupported(path, type, "recursive types are not supported");
            try
            {
                var fields = new List<(FieldInfo, Codec)>();
                foreach (var field in InstanceFields(type))
                {
                    if (IsPlanInput(field) || IsMonthlyOutput(field) || field.IsDefined(typeof(ScratchAttribute), inherit: false)) continue;
                    fields.Add((field, For(field.FieldType, $"{path}.{field.Name}", description, open)));
                }
                return new ObjectCodec(type, [.. fields]);
            }
            finally
            {
                open.Remove(type);
            }
        }

        private static IEnumerable<FieldInfo> InstanceFields(Type type)
        {
            var chain = new Stack<Type>();
            for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType) chain.Push(t);
            foreach (var t in chain)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                             .OrderBy(f => f.Name, StringComparer.Ordinal))
                    yield return field;
            }
        }

        /// <summary>A readonly field holding a class of the plan or parameters (or an array of them): input, not state.</summary>
        private static bool IsPlanInput(FieldInfo field)
        {
            if (!field.IsInitOnly) return false;
            var type = field.FieldType;
            while (type.IsArray) type = type.GetElementType()!;
            return type.IsClass && type.Namespace is "CareSim.Model.Plan" or "CareSim.Model.Parameters";
        }

        /// <summary>A readonly field holding a monthly message (or an array of them): an output buffer the block rewrites every month.</summary>
        private static bool IsMonthlyOutput(FieldInfo field)
        {
            if (!field.IsInitOnly) return false;
            var type = field.FieldType;
            while (type.IsArray) type = type.GetElementType()!;
            return MonthlyMessages.Contains(type);
        }

        public override void Write(BinaryWriter writer, object? value)
        {
            if (!_type.IsValueType)
            {
                writer.Write(value is not null);
                if (value is null) return;
                if (value.GetType() != _type)
                    throw new NotSupportedException($"cannot snapshot a {value.GetType().Name} held as a {_type.Name}: only the declared type is stored");
            }
            foreach (var (field, codec) in _fields) codec.Write(writer, field.GetValue(value));
        }

        public override object? Read(BinaryReader reader, object? existing)
        {
            if (!_type.IsValueType && !reader.ReadBoolean()) return null;
            // Fill the fresh block's own object where there is one; otherwise a new, uninitialised one
            // (every stored field is then set from the snapshot). A struct is filled in a boxed copy.
            var target = existing is not null && existing.GetType() == _type ? existing : RuntimeHelpers.GetUninitializedObject(_type);
            foreach (var (field, codec) in _fields) field.SetValue(target, codec.Read(reader, field.GetValue(target)));
            return target;
        }
    }
}
