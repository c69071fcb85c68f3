using System.Diagnostics;

namespace CareSim.Cli.Tests;

/// <summary>Paths in the repository and a way to run the built `sim` as a separate process.</summary>
public static class Repo
{
    public static string Root => CareSim.TestSupport.RepositoryRoot.Path;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>A fresh temporary directory for one test.</summary>
    public static string TempDirectory()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "caresim-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

public sealed record SimResult(int ExitCode, string Stdout, string Stderr);

public static class Sim
{
    private static readonly string Dll = System.IO.Path.Combine(AppContext.BaseDirectory, "sim.dll");

    public static Process Start(string workingDirectory, params string[] args) => Start(workingDirectory, new Dictionary<string, string?>(), args);

    /// <summary>Starts `sim` with <paramref name="environment"/> changed (a null value removes the variable).</summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        return Process.Start(info)!;
    }

    /// <summary>Starts `sim run ... --out out`, waits until it writes its results (out's staging folder appears), then sends it a signal (INT, TERM) and waits for it to end.</summary>
    public static async Task<SimResult> InterruptRunAsync(string workingDirectory, string signal, params string[] args)
    {
        Assert.False(signal == "INT" && CareSim.TestSupport.Signals.SigIntIgnored(), CareSim.TestSupport.Signals.WhyCtrlCMayBeIgnored());
        using var process = Start(workingDirectory, ["run", .. args, "--out", "out"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Directory.GetDirectories(workingDirectory, ".out.caresim-*").Any() && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(Directory.GetDirectories(workingDirectory, ".out.caresim-*").Any(), "the run should have started writing");
        Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new SimResult(process.ExitCode, await stdout, await stderr);
    }

    public static SimResult Run(string workingDirectory, params string[] args) => Run(workingDirectory, new Dictionary<string, string?>(), args);

    public static SimResult Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Start(workingDirectory, environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
        return new SimResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
