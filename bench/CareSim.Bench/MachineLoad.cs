using System.Globalization;

namespace CareSim.Bench;

/// <summary>The machine's busy CPU time from /proc/stat (all processes), to tell how much other processes took during a measurement.</summary>
public static class MachineLoad
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on Linux

    /// <summary>Seconds of CPU time spent busy (not idle or waiting for I/O) since boot, over all cores; null without /proc.</summary>
    public static double? BusySeconds()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait (steal is time taken by the hypervisor).
            var busy = fields.Take(8).Sum() - fields[3] - fields[4];
            return busy / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
