using System.Diagnostics;
using System.Globalization;

namespace CareSim.Bench;

/// <summary>
/// Runs a command and reports its wall time from process start to exit and its peak working
/// set (VmHWM, the resident set's high-water mark, read from /proc while it runs; on systems
/// without /proc, the largest working set seen).
/// </summary>
public static class ProcessMeasure
{
    public static int Run(string[] args)
    {
        var separator = Array.IndexOf(args, "--");
        if (separator < 0 || separator == args.Length - 1)
        {
            Console.Error.WriteLine("usage: measure --label TEXT [--repeat N] [--max-seconds S] [--max-mib M] -- COMMAND ARGS...");
            return 2;
        }
        var options = Arguments.Parse(args[..separator]);
        var label = options.Text("label");
        var repeat = options.Int("repeat", 1);
        var maxSeconds = options.Double("max-seconds", 0);
        var maxMib = options.Int("max-mib", 0);
        var command = args[(separator + 1)..];

        var runs = new List<(double Seconds, long PeakBytes)>();
        for (var r = 0; r < repeat; r++)
        {
            var (exit, seconds, peak, output) = RunOnce(command);
            if (exit != 0)
            {
                Console.Error.WriteLine($"{label}: exit code {exit}\n{output}");
                return 1;
            }
            runs.Add((seconds, peak));
        }
        var walls = runs.Select(r => r.Seconds).Order().ToArray();
        var peakMib = runs.Max(r => r.PeakBytes) / (1024.0 * 1024);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"  {label,-44} wall {walls[0],6:0.00} s (median {walls[walls.Length / 2]:0.00}, {repeat} runs)   peak working set {peakMib,5:0} MiB");
        var verdicts = new List<string>();
        if (maxSeconds > 0) verdicts.Add(string.Create(CultureInfo.InvariantCulture, $"<= {maxSeconds} s: {(walls[0] <= maxSeconds ? "met" : "NOT met")}"));
        if (maxMib > 0) verdicts.Add($"< {maxMib} MiB: {(peakMib < maxMib ? "met" : "NOT met")}");
        Console.WriteLine(verdicts.Count == 0 ? line : $"{line}   target {string.Join(", ", verdicts)}");
        return 0;
    }

    private static (int Exit, double Seconds, long PeakBytes, string Output) RunOnce(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command[1..]) start.ArgumentList.Add(arg);
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
        return (process.ExitCode, seconds, peak, stdout.Result + stderr.Result);
    }

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
