using System.Diagnostics;
using System.Globalization;

namespace CareSim.Engine.Running;

/// <summary>
/// Where a command's time goes, from the start of its process: with the environment variable
/// CARESIM_PHASES=1 each phase marked prints one line on standard error (wall and CPU
/// milliseconds since the process started; garbage collections of each generation and their
/// pauses so far). bench/run.sh uses it to break start-up down
/// (docs/performance.md); otherwise it does nothing.
/// </summary>
public static class PhaseLog
{
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("CARESIM_PHASES") == "1";

    private static readonly DateTime ProcessStart = Enabled ? Process.GetCurrentProcess().StartTime.ToUniversalTime() : default;

    public static void Mark(string phase)
    {
        if (!Enabled) return;
        var wall = (DateTime.UtcNow - ProcessStart).TotalMilliseconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        var pauses = GC.GetTotalPauseDuration().TotalMilliseconds;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"phase {wall,7:0} ms wall {cpu,7:0} ms cpu  {phase}  (gc {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} {pauses:0} ms)"));
    }
}
