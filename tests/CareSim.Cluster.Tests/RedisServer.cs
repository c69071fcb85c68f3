using System.Diagnostics;
using System.Globalization;

namespace CareSim.Cluster.Tests;

/// <summary>
/// A Redis server of a test's own (redis-server on a free loopback port), so that the test can
/// restart it, with or without its data, without touching the Redis the other tests share.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly string _directory = Repo.TempDirectory();
    private readonly bool _persistent;
    private Process? _process;

    /// <param name="persistent">An append-only file synced on every write (docs/cluster.md, "Redis"); otherwise no persistence at all.</param>
    public RedisServer(bool persistent)
    {
        _persistent = persistent;
        Port = Repo.FreePort();
        Start();
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    private void Start()
    {
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args = ["--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--dir", _directory, "--save", ""];
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var arg in _persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : new[] { "--appendonly", "no" }) info.ArgumentList.Add(arg);
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Cli("PING") != "PONG")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"redis-server on port {Port} did not answer");
            Thread.Sleep(50);
        }
    }

    /// <summary>Stops the server and starts it again on the same port: without persistence, with nothing in it.</summary>
    public void Restart()
    {
        Stop();
        Start();
    }

    /// <summary>Runs a redis-cli command; its output (trimmed), or null when the server does not answer.</summary>
    public string? Cli(params string[] command)
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture) }.Concat(command)) info.ArgumentList.Add(arg);
        using var cli = Process.Start(info)!;
        var output = cli.StandardOutput.ReadToEnd().Trim();
        cli.WaitForExit();
        return cli.ExitCode == 0 && !output.StartsWith("Could not connect", StringComparison.Ordinal) ? output : null;
    }

    private void Stop()
    {
        if (_process is null) return;
        // SHUTDOWN saves (and syncs the append-only file) when persistence is on; SIGKILL if it will not go.
        Cli("SHUTDOWN", _persistent ? "SAVE" : "NOSAVE");
        if (!_process.WaitForExit(10_000)) _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        try
        {
            if (_process is { HasExited: false }) _process.Kill();
            _process?.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
        }
    }
}
