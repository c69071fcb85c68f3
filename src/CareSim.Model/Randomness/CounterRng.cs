using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using CareSim.Model.Numerics;

namespace CareSim.Model.Randomness;

/// <summary>
/// Counter-based random numbers: every number is a pure function of
/// (seed, authority, stream, month, replica, draw). Nothing is carried between calls, so a
/// replica's numbers never depend on block size, ordering, threads, silos or on which other
/// authorities or replicas are simulated.
/// </summary>
/// <remarks>
/// The mixer is the SplitMix64 finaliser (Stafford's variant 13), applied twice: once to
/// place the replica in the (seed, authority, stream, month) key space and once per draw.
/// SplitMix64 over a counter passes BigCrush; the double application decorrelates
/// neighbouring replicas and draws.
/// </remarks>
public static class CounterRng
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const ulong DrawStep = 0xD1B54A32D192ED03UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A stable 64-bit key for an authority code (string.GetHashCode is randomised per process).</summary>
    public static ulong AuthorityKey(string code)
    {
        ulong hash = 0xCBF29CE484222325UL; // FNV-1a
        foreach (var b in Encoding.UTF8.GetBytes(code))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }
        return Mix(hash);
    }

    /// <summary>The key of one (seed, entity, stream, month) cell, shared by all replicas.</summary>
    public static ulong StreamKey(ulong seed, ulong entityKey, RandomStream stream, int month) =>
        Mix(Mix(Mix(Mix(seed) ^ entityKey) ^ ((ulong)stream * Golden)) ^ (ulong)(uint)month);

    /// <summary>The key of one replica inside a stream cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReplicaKey(ulong streamKey, int replica) => Mix(streamKey + (ulong)(uint)replica * Golden);

    /// <summary>Uniform on the open interval (0, 1), 53 bits of resolution.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Uniform(ulong replicaKey, int draw)
    {
        var bits = Mix(replicaKey + (ulong)(uint)(draw + 1) * DrawStep);
        return ((bits >> 11) + 0.5) * (1.0 / (1UL << 53));
    }

    /// <summary>Standard normal by inverse transform of one uniform (one draw per variate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Normal(ulong replicaKey, int draw) => Distributions.NormalQuantile(Uniform(replicaKey, draw));

    // Working memory of Normals, one per thread: a step fills it and reads it before it returns (no
    // await in between), so steps on other threads never share it, and it stays in cache from one
    // authority to the next instead of being one more array per block to allocate and stream.
    [ThreadStatic] private static double[]? t_normals;

    /// <summary>
    /// <see cref="Normal"/> for <paramref name="count"/> replicas of a stream cell (from
    /// <paramref name="firstReplica"/>) and several draws each, computed together:
    /// result[k * count + i] = Normal(ReplicaKey(streamKey, firstReplica + i), draws[k]), the same bits
    /// (<see cref="Distributions.NormalQuantiles"/>). The result is this thread's working memory,
    /// valid until the thread's next call.
    /// </summary>
    public static ReadOnlySpan<double> Normals(ulong streamKey, int firstReplica, int count, params ReadOnlySpan<int> draws)
    {
        var values = StepScratch.Grow(ref t_normals, count * draws.Length);
        FillUniforms(streamKey, firstReplica, count, draws, values);
        Distributions.NormalQuantiles(values);
        return values;
    }

    [ThreadStatic] private static double[]? t_uniforms; // Uniforms' working memory, as Normals'

    /// <summary>
    /// <see cref="Uniform"/> for <paramref name="count"/> replicas of a stream cell (from <paramref name="firstReplica"/>)
    /// and several draws each, computed together: result[k * count + i] = Uniform(ReplicaKey(streamKey, firstReplica + i),
    /// draws[k]), the same bits. The result is this thread's working memory, valid until the thread's next call.
    /// </summary>
    public static ReadOnlySpan<double> Uniforms(ulong streamKey, int firstReplica, int count, params ReadOnlySpan<int> draws)
    {
        var values = StepScratch.Grow(ref t_uniforms, count * draws.Length);
        FillUniforms(streamKey, firstReplica, count, draws, values);
        return values;
    }

    /// <summary>
    /// values[k * count + i] = Uniform(ReplicaKey(streamKey, firstReplica + i), draws[k]), whole vectors of replicas at
    /// a time: the mixer's 64-bit integer operations are exact in every lane, and the conversion of the 53 bits to a
    /// double is exact, so the lanes' bits are the scalar's (+ 0.5 and the scaling are the same IEEE operations).
    /// </summary>
    private static void FillUniforms(ulong streamKey, int firstReplica, int count, ReadOnlySpan<int> draws, Span<double> values)
    {
        var i = 0;
        var lanes = Vector<ulong>.Count;
        if (Vector.IsHardwareAccelerated && count >= lanes)
        {
            Span<ulong> offsets = stackalloc ulong[lanes];
            for (var l = 0; l < lanes; l++) offsets[l] = (ulong)l;
            var lane = new Vector<ulong>(offsets);
            var key = new Vector<ulong>(streamKey);
            var golden = new Vector<ulong>(Golden);
            var half = new Vector<double>(0.5);
            var scale = new Vector<double>(1.0 / (1UL << 53));
            for (; i <= count - lanes; i += lanes)
            {
                var replica = new Vector<ulong>((ulong)(uint)(firstReplica + i)) + lane; // ReplicaKey
                var rk = Mix(key + replica * golden);
                for (var k = 0; k < draws.Length; k++)
                {
                    var bits = Mix(rk + new Vector<ulong>((ulong)(uint)(draws[k] + 1) * DrawStep)); // Uniform
                    var u = (Vector.ConvertToDouble(Vector.ShiftRightLogical(bits, 11)) + half) * scale;
                    u.CopyTo(values.Slice(k * count + i, lanes));
                }
            }
        }
        for (; i < count; i++)
        {
            var rk = ReplicaKey(streamKey, firstReplica + i);
            for (var k = 0; k < draws.Length; k++) values[k * count + i] = Uniform(rk, draws[k]);
        }
    }

    /// <summary><see cref="Mix(ulong)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<ulong> Mix(Vector<ulong> z)
    {
        z = (z ^ Vector.ShiftRightLogical(z, 30)) * new Vector<ulong>(0xBF58476D1CE4E5B9UL);
        z = (z ^ Vector.ShiftRightLogical(z, 27)) * new Vector<ulong>(0x94D049BB133111EBUL);
        return z ^ Vector.ShiftRightLogical(z, 31);
    }
}
