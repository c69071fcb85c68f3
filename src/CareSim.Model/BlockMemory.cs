namespace CareSim.Model;

/// <summary>
/// The per-replica arrays a block allocates when it is built (its state, and the messages its parts
/// exchange), reusable from one run to the next in the same process. Fresh memory costs a page fault
/// per 4 KiB when first touched (about 3.5 us on the machine of docs/performance.md: most of the cost
/// of building a block), memory reused from an earlier run only a clear.
/// </summary>
/// <remarks>
/// Outside a <see cref="Reuse"/> scope <see cref="Array{T}"/> is <c>new T[length]</c> (the grain
/// engine, tests). Inside one, on the thread that opened it, arrays come from what earlier scopes
/// handed back (cleared: the same zeros as a new array, so the numbers cannot change), and closing the
/// scope hands back every array taken in it: the caller promises that nothing reads them afterwards.
/// Arrays a run hands to its sinks (metric frames, outcomes) are not taken from here: a sink may keep
/// them. What is kept between runs is bounded by <see cref="MaxKeptBytes"/>.
/// </remarks>
public static class BlockMemory
{
    /// <summary>The most that is kept between runs (a run of England at 1,000 replicas hands back about 200 MB).</summary>
    public const long MaxKeptBytes = 1L << 30;

    [ThreadStatic] private static List<Array>? t_taken;

    private static readonly object Gate = new();
    private static readonly Dictionary<(Type Type, int Length), Stack<Array>> Kept = [];
    private static long s_keptBytes;

    /// <summary>A zeroed array of <paramref name="length"/> elements: new, or inside a <see cref="Reuse"/> scope one handed back by an earlier scope.</summary>
    public static T[] Array<T>(int length) where T : unmanaged
    {
        var taken = t_taken;
        if (taken is null) return new T[length];
        T[]? array = null;
        lock (Gate)
        {
            if (Kept.TryGetValue((typeof(T), length), out var stack) && stack.Count > 0)
            {
                array = (T[])stack.Pop();
                s_keptBytes -= Bytes(array);
            }
        }
        if (array is null) array = new T[length];
        else System.Array.Clear(array);
        taken.Add(array);
        return array;
    }

    /// <summary>
    /// On this thread, until the scope is disposed, <see cref="Array{T}"/> reuses arrays; disposing it
    /// hands back those taken in it, for the next scope (on any thread). Nothing may read them after.
    /// </summary>
    public static Scope Reuse()
    {
        var outer = t_taken;
        t_taken = [];
        return new Scope(outer);
    }

    private static long Bytes(Array array) => Buffer.ByteLength(array);

    private static void HandBack(List<Array> arrays)
    {
        lock (Gate)
        {
            foreach (var array in arrays)
            {
                var bytes = Bytes(array);
                if (s_keptBytes + bytes > MaxKeptBytes) break;
                var key = (array.GetType().GetElementType()!, array.Length);
                if (!Kept.TryGetValue(key, out var stack)) Kept[key] = stack = new Stack<Array>();
                stack.Push(array);
                s_keptBytes += bytes;
            }
        }
    }

    /// <summary>A <see cref="Reuse"/> scope: dispose it once nothing reads the arrays taken in it.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly List<Array>? _outer;

        internal Scope(List<Array>? outer) => _outer = outer;

        public void Dispose()
        {
            var taken = t_taken;
            t_taken = _outer;
            if (taken is not null) HandBack(taken);
        }
    }
}
