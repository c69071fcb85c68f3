using System.Globalization;

namespace CareSim.TestSupport;

/// <summary>What a test that sends signals to a child process needs to know about its environment.</summary>
public static class Signals
{
    /// <summary>
    /// Whether this process ignores SIGINT. Children inherit an ignored signal through exec, and a
    /// program must respect it (a shell starts background jobs that way so that Ctrl+C in the
    /// terminal does not reach them): a test run started in the background without job control
    /// (`./test.sh &` in a script) cannot test Ctrl+C. Read from /proc (Linux).
    /// </summary>
    public static bool SigIntIgnored()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return false;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if (line is null) return false;
        var mask = ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (mask & (1UL << (2 - 1))) != 0; // SIGINT is signal 2: bit 1
    }

    /// <summary>A message for an assertion that a Ctrl+C was obeyed: names the cause when the environment ignores SIGINT.</summary>
    public static string WhyCtrlCMayBeIgnored() => SigIntIgnored()
        ? "SIGINT is ignored by this test run's environment (inherited, e.g. `./test.sh &` from a script), so its children ignore Ctrl+C too: run the tests in the foreground"
        : "";
}
