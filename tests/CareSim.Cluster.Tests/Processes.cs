using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CareSim.Cluster.Tests;

/// <summary>Paths in the repository, the test services (scripts/services.sh) and the built `sim`.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Scenario(string name) => Path.Combine(Root, "scenarios", name);

    /// <summary>The built `sim` (copied beside the tests by the project reference).</summary>
    public static string SimDll { get; } = Path.Combine(AppContext.BaseDirectory, "sim.dll");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulation.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Simulation.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A setting of the test services: the environment variable, else .tmp/services.env (written by scripts/services.sh start).</summary>
    public static string Service(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        var env = Path.Combine(Root, ".tmp", "services.env");
        if (string.IsNullOrWhiteSpace(value) && File.Exists(env))
            value = File.ReadAllLines(env).Where(l => l.StartsWith(variable + "=", StringComparison.Ordinal)).Select(l => l[(variable.Length + 1)..]).LastOrDefault();
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException($"{variable} is not set: run 'scripts/services.sh start' (or ./test.sh) first");
        return value;
    }

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "caresim-cluster-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A `sim` process (a silo or a client), its output collected as it comes.</summary>
public sealed class SimProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly ConcurrentQueue<string> _lines = new();

    private SimProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Name { get; private init; } = "sim";

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static SimProcess Start(string name, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Repo.SimDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        // Only what the test gives: no cluster settings leak in from the environment of the test run.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("CareSim__", StringComparison.OrdinalIgnoreCase)).ToList()) info.Environment.Remove(key);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var sim = new SimProcess(process) { Name = name };
        process.OutputDataReceived += (_, e) => sim.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sim.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sim;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        _lines.Enqueue(line);
    }

    /// <summary>Waits until a line containing <paramref name="text"/> was written; fails if the process exits first or time runs out.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return;
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before writing '{text}':\n{Output}");
            await Task.Delay(50);
        }
        throw new TimeoutException($"{Name} did not write '{text}' within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Name} did not finish within {timeout.TotalSeconds:0} s:\n{Output}");
        }
        _process.WaitForExit(); // the output's last lines
        return _process.ExitCode;
    }

    /// <summary>kill -9: the process ends at once, without closing anything.</summary>
    public void KillHard()
    {
        _process.Kill(); // SIGKILL on Linux
        _process.WaitForExit();
    }

    /// <summary>SIGINT: Ctrl+C.</summary>
    public void Interrupt()
    {
        Assert.False(CareSim.TestSupport.Signals.SigIntIgnored(), CareSim.TestSupport.Signals.WhyCtrlCMayBeIgnored());
        Signal("INT");
    }

    /// <summary>
    /// SIGINT while the process is stopped (SIGSTOP, then SIGCONT): it cannot run on between the
    /// test's decision and the signal, so a fast run is interrupted where the test saw it.
    /// </summary>
    public void InterruptWhereItIs()
    {
        Assert.False(CareSim.TestSupport.Signals.SigIntIgnored(), CareSim.TestSupport.Signals.WhyCtrlCMayBeIgnored());
        Signal("STOP");
        Signal("INT");
        Signal("CONT");
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGTERM: what `docker stop` sends; the process shuts down gracefully.</summary>
    public void Terminate() => Signal("TERM");

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
