using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace CareSim.Bench;

/// <summary>
/// Runs a command and reports its wall time from process start to exit, its CPU time, its peak
/// working set (VmHWM, the resident set's high-water mark, read from /proc while it runs; on
/// systems without /proc, the largest working set seen) and how many cores other processes kept
/// busy meanwhile. With --phases, the command runs with CARESIM_PHASES=1 and the median time of
/// each phase it marks is printed too (where a run's wall time goes: start-up, silo, months, files).
/// </summary>
public static class ProcessMeasure
{
    public static int Run(string[] args)
    {
        var separator = Array.IndexOf(args, "--");
        if (separator < 0 || separator == args.Length - 1)
        {
            Console.Error.WriteLine("usage: measure --label TEXT [--repeat N] [--max-seconds S] [--max-mib M] [--phases 1] -- COMMAND ARGS...");
            return 2;
        }
        var options = Arguments.Parse(args[..separator]);
        var label = options.Text("label");
        var repeat = options.Int("repeat", 1);
        var maxSeconds = options.Double("max-seconds", 0);
        var maxMib = options.Int("max-mib", 0);
        var phases = options.Int("phases", 0) == 1;
        var command = args[(separator + 1)..];

        var runs = new List<MeasuredRun>();
        for (var r = 0; r < repeat; r++)
        {
            var run = RunOnce(command, phases);
            if (run.Exit != 0)
            {
                Console.Error.WriteLine($"{label}: exit code {run.Exit}\n{run.Output}");
                return 1;
            }
            runs.Add(run);
        }
        var walls = runs.Select(r => r.Seconds).Order().ToArray();
        var peakMib = runs.Max(r => r.PeakBytes) / (1024.0 * 1024);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"  {label,-44} wall {walls[0],6:0.00} s (median {walls[walls.Length / 2]:0.00}, {repeat} runs)   peak working set {peakMib,5:0} MiB"
            + $"   cpu {Median(runs.Select(r => r.CpuSeconds)):0.00} s   other processes {Median(runs.Select(r => r.Others)):0.00} cores");
        var verdicts = new List<string>();
        if (maxSeconds > 0) verdicts.Add(string.Create(CultureInfo.InvariantCulture, $"<= {maxSeconds} s: {(walls[0] <= maxSeconds ? "met" : "NOT met")}"));
        if (maxMib > 0) verdicts.Add($"< {maxMib} MiB: {(peakMib < maxMib ? "met" : "NOT met")}");
        Console.WriteLine(verdicts.Count == 0 ? line : $"{line}   target {string.Join(", ", verdicts)}");
        if (phases) PrintPhases(runs);
        return 0;
    }

    /// <summary>One run of the command: exit code, wall and CPU seconds, peak bytes, cores other processes kept busy, what it printed, its phases.</summary>
    private sealed record MeasuredRun(int Exit, double Seconds, double CpuSeconds, long PeakBytes, double Others, string Output, List<Phase> Phases);

    /// <summary>A phase mark: milliseconds of wall and CPU time since the process started.</summary>
    private sealed record Phase(string Name, double WallMs, double CpuMs);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }

    /// <summary>Per phase (in the order of the first run), the median wall and CPU milliseconds it took, from the mark before.</summary>
    private static void PrintPhases(List<MeasuredRun> runs)
    {
        var names = runs[0].Phases.Select(p => p.Name).ToList();
        Console.WriteLine("    phase (median of the runs; milliseconds since the mark before)   wall     cpu");
        double Delta(MeasuredRun run, int k, Func<Phase, double> of) =>
            run.Phases.FindIndex(p => p.Name == names[k]) is var i and >= 0
                ? of(run.Phases[i]) - (k == 0 ? 0 : run.Phases.FindIndex(p => p.Name == names[k - 1]) is var j and >= 0 ? of(run.Phases[j]) : double.NaN)
                : double.NaN;
        for (var k = 0; k < names.Count; k++)
        {
            var wall = Median(runs.Select(r => Delta(r, k, p => p.WallMs)));
            var cpu = Median(runs.Select(r => Delta(r, k, p => p.CpuMs)));
            var phase = (k == 0 ? "process start to " : "") + names[k];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {phase,-62}{wall,7:0}  {cpu,6:0}"));
        }
    }

    private static List<Phase> ParsePhases(string stderr)
    {
        // "phase     123 ms wall      95 ms cpu  NAME  (gc 3/1/0 12 ms)" (CareSim.Engine.Running.PhaseLog)
        var phases = new List<Phase>();
        foreach (var line in stderr.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 8 || parts[0] != "phase" || parts[2] != "ms" || parts[3] != "wall") continue;
            var name = string.Join(' ', parts[7..]);
            if (name.IndexOf(" (gc ", StringComparison.Ordinal) is var gc and >= 0) name = name[..gc];
            phases.Add(new Phase(name, double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[4], CultureInfo.InvariantCulture)));
        }
        return phases;
    }

    private static MeasuredRun RunOnce(string[] command, bool phases)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command[1..]) start.ArgumentList.Add(arg);
        if (phases) start.Environment["CARESIM_PHASES"] = "1";
        // The measured `sim` starts as a user's would, not with the vector width this benchmark set for itself.
        CareSim.Engine.Running.VectorWidth.ForChild(start.Environment);
        var machine = MachineLoad.BusySeconds();
        var children = ChildrenCpuSeconds();
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var status = $"/proc/{process.Id}/status";
        long peak = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, ReadHighWaterMark(status) ?? WorkingSet(process));
            Thread.Sleep(2);
        }
        process.WaitForExit();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var cpu = ChildrenCpuSeconds() - children;
        var others = machine is { } before && MachineLoad.BusySeconds() is { } after ? Math.Max(0, (after - before - cpu) / seconds) : double.NaN;
        return new MeasuredRun(process.ExitCode, seconds, cpu, peak, others, stdout.Result + stderr.Result, ParsePhases(stderr.Result));
    }

    /// <summary>User and system CPU seconds of this process's children that have exited (getrusage; NaN where there is none).</summary>
    private static double ChildrenCpuSeconds()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        // struct rusage on 64-bit Linux: ru_utime and ru_stime (seconds, microseconds each), then 14 longs.
        var usage = new long[18];
        try
        {
            return GetRusage(RusageChildren, usage) == 0 ? usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6 : double.NaN;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return double.NaN;
        }
    }

    private const int RusageChildren = -1;

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, [Out] long[] usage);

    private static long? ReadHighWaterMark(string statusFile)
    {
        try
        {
            foreach (var line in File.ReadLines(statusFile))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var kib = long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                return kib * 1024;
            }
        }
        catch (IOException)
        {
            // The process has just exited.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    private static long WorkingSet(Process process)
    {
        try
        {
            process.Refresh();
            return process.HasExited ? 0 : process.PeakWorkingSet64;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }
}
