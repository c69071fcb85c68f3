namespace CareSim.Model.Numerics;

/// <summary>
/// Working memory of a block's step, one array per thread (as <see cref="Randomness.CounterRng.Normals"/>' draws,
/// a separate array): a step fills it and reads it before it returns, with no await in between, so steps on other
/// threads never share it, and it stays in cache from one block to the next instead of being more fresh memory
/// per block. Its contents are whatever the thread's last step left: write before reading.
/// </summary>
public static class StepScratch
{
    [ThreadStatic] private static double[]? t_values;

    /// <summary>This thread's working memory, <paramref name="length"/> values, valid until the thread's next call.</summary>
    public static Span<double> Values(int length) => Grow(ref t_values, length);

    /// <summary>The first <paramref name="length"/> values of a thread's working array, grown (at least doubled) if it is shorter.</summary>
    internal static Span<T> Grow<T>(ref T[]? array, int length)
    {
        if (array is null || array.Length < length) array = new T[Math.Max(length, 2 * (array?.Length ?? 0))];
        return array.AsSpan(0, length);
    }
}
