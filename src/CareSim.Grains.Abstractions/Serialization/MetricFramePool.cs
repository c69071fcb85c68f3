using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CareSim.Model.Outputs;

namespace CareSim.Grains.Abstractions.Serialization;

/// <summary>
/// The metric frames <see cref="MetricFrameCodec"/> reads messages into, kept for reuse: the
/// runner of a cluster run receives every block's frames every month (England in blocks of 250:
/// 608 frames of 72 KB a month), and allocating them afresh each month cost more CPU than
/// summarising them. The runner hands a month's frames back once its sink no longer reads them
/// (<c>IRunSink</c>: after <c>CompleteMonth</c> of the next month).
/// </summary>
/// <remarks>
/// Only frames this pool made are taken back; any other frame (an authority block's own, passed
/// by reference inside one process) is left alone, so a runner may hand back whatever it received.
/// </remarks>
public static class MetricFramePool
{
    private static readonly ConcurrentDictionary<int, ConcurrentBag<MetricFrame>> Free = new();
    private static readonly ConditionalWeakTable<MetricFrame, object> Made = new();
    private static readonly object Mark = new();

    /// <summary>A frame of <paramref name="count"/> replicas: one handed back earlier, or a new one. Its values are to be overwritten.</summary>
    public static MetricFrame Rent(int count)
    {
        if (Free.TryGetValue(count, out var free) && free.TryTake(out var frame)) return frame;
        frame = new MetricFrame(count);
        Made.Add(frame, Mark);
        return frame;
    }

    /// <summary>Hands back frames no longer read; frames the pool did not make are ignored.</summary>
    public static void Return(IEnumerable<MetricFrame> frames)
    {
        foreach (var frame in frames)
            if (Made.TryGetValue(frame, out _)) Free.GetOrAdd(frame.Count, _ => []).Add(frame);
    }

    /// <summary>Frames waiting to be reused, over all sizes.</summary>
    public static int Count => Free.Values.Sum(bag => bag.Count);

    /// <summary>Lets the frames waiting for reuse go (at the end of a run).</summary>
    public static void Clear() => Free.Clear();
}
