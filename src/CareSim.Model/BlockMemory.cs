namespace CareSim.Model;

/// <summary>
/// The per-replica arrays a block allocates when it is built (its state, and the messages its parts
/// exchange), reusable from one run to the next in the same process. Fresh memory costs a page fault
/// per 4 KiB when first touched (about 3.5 us on the machine of docs/performance.md: most of the cost
/// of building a block), memory reused from an earlier run only a clear.
/// </summary>
/// <remarks>
/// <para>
/// Outside a building scope <see cref="Array{T}"/> is <c>new T[length]</c> (tests, tools). Inside one,
/// on the thread that opened it, arrays come from what earlier owners handed back (cleared: the same
/// zeros as a new array, so the numbers cannot change), and are recorded by the scope's owner, a
/// <see cref="Lease"/>, which hands them back when nothing reads them any more. Two kinds of owner:
/// the reference engine's run (<see cref="Reuse"/>: a scope on its one thread for the whole run, handed
/// back at its end) and a grain's block (a <see cref="Lease"/> the grain keeps: a scope around the
/// block's construction only, which is synchronous, since the grain's next turn may run on another
/// thread; handed back when the grain drops the block).
/// </para>
/// <para>
/// Arrays a run hands to its sinks (metric frames, outcomes) are not taken from here: a sink may keep
/// them. What is kept between owners is bounded by <see cref="MaxKeptBytes"/>; <see cref="LetGo"/>
/// gives it all to the collector (an idle cluster silo).
/// </para>
/// </remarks>
public static class BlockMemory
{
    /// <summary>The most that is kept between runs (a run of England at 1,000 replicas hands back about 200 MB).</summary>
    public const long MaxKeptBytes = 1L << 30;

    /// <summary>The lease whose building scope is open on this thread (null: arrays are new).</summary>
    [ThreadStatic] private static Lease? t_building;

    /// <summary>Open <see cref="Fresh"/> scopes on this thread: while any is, every array is new.</summary>
    [ThreadStatic] private static int t_fresh;

    private static readonly object Gate = new();
    private static readonly Dictionary<(Type Type, int Length), Stack<Array>> Kept = [];
    private static long s_keptBytes;

    /// <summary>
    /// A zeroed array of <paramref name="length"/> elements: new, or inside a building scope one handed
    /// back by an earlier owner, recorded by the scope's lease.
    /// </summary>
    public static T[] Array<T>(int length) where T : unmanaged
    {
        var lease = t_building;
        if (lease is null || t_fresh > 0) return new T[length];
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
        lease.Add(array);
        return array;
    }

    /// <summary>
    /// On this thread, until the scope is disposed, <see cref="Array{T}"/> reuses arrays; disposing it
    /// hands back those taken in it, for the next owner (on any thread). Nothing may read them after.
    /// </summary>
    public static Scope Reuse()
    {
        var lease = new Lease();
        return new Scope(lease, lease.Build());
    }

    /// <summary>
    /// On this thread, until the scope is disposed, every array is new, even inside building scopes
    /// (<see cref="Reuse"/>, a lease's): a run as a single process builds it, in memory never used
    /// before (the benchmark's fresh-memory trials; tests comparing with fresh runs).
    /// </summary>
    public static FreshScope Fresh()
    {
        t_fresh++;
        return default;
    }

    /// <summary>Bytes kept for later owners now (all element types and lengths).</summary>
    public static long KeptBytes
    {
        get
        {
            lock (Gate) return s_keptBytes;
        }
    }

    /// <summary>How many arrays of <typeparamref name="T"/> and <paramref name="length"/> are kept for later owners now.</summary>
    public static int KeptArrays<T>(int length) where T : unmanaged
    {
        lock (Gate) return Kept.TryGetValue((typeof(T), length), out var stack) ? stack.Count : 0;
    }

    /// <summary>Forgets every kept array (the collector takes them): a process with no run for a while need not keep a run's memory.</summary>
    public static void LetGo()
    {
        lock (Gate)
        {
            Kept.Clear();
            s_keptBytes = 0;
        }
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

    /// <summary>
    /// The arrays one owner took from <see cref="BlockMemory"/> (a grain's block, a reference run), handed
    /// back together once nothing reads them. Not thread-safe: one owner uses it at a time (a grain's turns
    /// are one at a time, whichever threads they run on).
    /// </summary>
    public sealed class Lease
    {
        private List<Array> _taken = [];

        /// <summary>Arrays taken and not yet handed back.</summary>
        public int Count => _taken.Count;

        /// <summary>
        /// Until the scope is disposed, <see cref="Array{T}"/> on this thread reuses arrays and records them
        /// here. Dispose it on the same thread, with no await in between: a grain's next turn, or the rest of
        /// an async method, may run on another thread, where the scope does not hold (its arrays would be new).
        /// </summary>
        public Building Build()
        {
            var outer = t_building;
            t_building = this;
            return new Building(outer);
        }

        /// <summary>
        /// Hands back every array taken so far, for later owners (cleared when they take them); the lease can
        /// take again after. The caller promises that nothing reads those arrays any more: the block is dropped,
        /// and whoever was given its messages (the arrays it passes to other blocks) has dropped them too.
        /// </summary>
        public void HandBack()
        {
            if (_taken.Count == 0) return;
            var taken = _taken;
            _taken = [];
            BlockMemory.HandBack(taken);
        }

        internal void Add(Array array) => _taken.Add(array);
    }

    /// <summary>A lease's building scope (<see cref="Lease.Build"/>): dispose it on the thread that opened it.</summary>
    public readonly struct Building : IDisposable
    {
        private readonly Lease? _outer;

        internal Building(Lease? outer) => _outer = outer;

        public void Dispose() => t_building = _outer;
    }

    /// <summary>A <see cref="Reuse"/> scope: dispose it once nothing reads the arrays taken in it.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly Lease? _lease;
        private readonly Building _building;

        internal Scope(Lease lease, Building building)
        {
            _lease = lease;
            _building = building;
        }

        public void Dispose()
        {
            _building.Dispose();
            _lease?.HandBack();
        }
    }

    /// <summary>A <see cref="Fresh"/> scope: dispose it on the thread that opened it.</summary>
    public readonly struct FreshScope : IDisposable
    {
        public void Dispose() => t_fresh--;
    }
}
