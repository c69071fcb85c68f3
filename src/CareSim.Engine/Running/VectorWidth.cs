using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CareSim.Engine.Running;

/// <summary>
/// The width of <see cref="Vector{T}"/>, in which the model's hot loops run. The runtime makes it 256 bits even
/// on a processor with fast 512-bit lanes, and only an environment variable read before the runtime starts
/// (<c>DOTNET_MaxVectorTBitWidth</c>) changes that: no runtimeconfig setting does (tried in .NET 10). The model's
/// vector loops give the scalar code's bits at any width (docs/model.md, "Determinism"), so the width moves
/// speed only: on the machine of docs/performance.md 512-bit lanes made the reference engine about 15% faster.
/// </summary>
public static class VectorWidth
{
    /// <summary>The runtime's variable; set by the user, it is respected as it is (256 keeps the default width).</summary>
    public const string Variable = "DOTNET_MaxVectorTBitWidth";

    /// <summary>Set beside <see cref="Variable"/> when <see cref="WidenProcess"/> set it (not the user): see <see cref="ForChild"/>.</summary>
    public const string SetBySim = "CARESIM_VECTOR_WIDTH_SET";

    /// <summary>Bits in one <see cref="Vector{T}"/> in this process.</summary>
    public static int Bits => Vector<byte>.Count * 8;

    /// <summary>
    /// Where this process's <see cref="Vector{T}"/> is narrower than the lanes the machine accelerates and nobody
    /// chose a width, starts this process again in place with the wider width: <c>execve</c> of the same program
    /// and arguments (the same process id, standard streams and working directory, so callers and signals see
    /// one process). Costs one runtime start (about 0.1 s). Returns when it does not (another platform, the
    /// width already right or chosen, or execve failed: then the run goes on at the default width).
    /// </summary>
    public static void WidenProcess()
    {
        if (!OperatingSystem.IsLinux() || !Vector512.IsHardwareAccelerated || Vector<byte>.Count >= Vector512<byte>.Count) return;
        if (Environment.GetEnvironmentVariable(Variable) is not null) return;
        string[] arguments;
        try
        {
            // The command line exactly as this process was started (`sim ...`, `dotnet sim.dll ...`, `dotnet run ...`):
            // each argument ends with a NUL (an empty argument is a lone NUL, so only the last one is dropped).
            var text = File.ReadAllText("/proc/self/cmdline");
            arguments = (text.EndsWith('\0') ? text[..^1] : text).Split('\0');
        }
        catch (IOException)
        {
            return;
        }
        // An argument that is not UTF-8 would not survive the round trip: go on at the default width.
        if (arguments.Length == 0 || arguments[0].Length == 0 || arguments.Any(a => a.Contains('\uFFFD'))) return;
        var environment = new List<string?>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment.Add($"{entry.Key}={entry.Value}");
        }
        environment.Add($"{Variable}={Vector512<byte>.Count * 8}");
        environment.Add($"{SetBySim}=1");
        environment.Add(null);
        Execve("/proc/self/exe", [.. arguments, null], [.. environment]);
    }

    /// <summary>
    /// A child process's environment as this process started with: the width this process set for itself is taken out
    /// (a child `sim` then chooses its own, and pays its own restart, as a user's would); one the user set is kept.
    /// </summary>
    public static void ForChild(IDictionary<string, string?> environment)
    {
        if (!environment.Remove(SetBySim)) return;
        environment.Remove(Variable);
    }

    // Returns only on failure.
    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static extern int Execve(string path, string?[] arguments, string?[] environment);
}
