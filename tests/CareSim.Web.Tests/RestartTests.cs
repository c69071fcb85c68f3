using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CareSim.Store.Tests;

namespace CareSim.Web.Tests;

/// <summary><c>sim serve</c> as a separate process, which a test can kill with SIGKILL.</summary>
public sealed class SimServe : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SimServe(Process process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static async Task<SimServe> StartAsync(string workingDirectory, params string[] args)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "sim.dll"), "serve", "--urls", $"http://127.0.0.1:{port}" }.Concat(args))
            info.ArgumentList.Add(a);
        var serve = new SimServe(Process.Start(info)!, port);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        serve._process.OutputDataReceived += (_, e) =>
        {
            lock (serve._output) serve._output.AppendLine(e.Data);
            if (e.Data?.StartsWith("Listening on", StringComparison.Ordinal) == true) listening.TrySetResult();
        };
        serve._process.ErrorDataReceived += (_, e) =>
        {
            lock (serve._output) serve._output.AppendLine(e.Data);
        };
        serve._process.BeginOutputReadLine();
        serve._process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            await serve.DisposeAsync();
            throw new TimeoutException("sim serve did not start: " + serve.Output);
        }
        return serve;
    }

    /// <summary>SIGKILL: the server gets no chance to clean up.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Client.Dispose();
        _process.Dispose();
    }
}

/// <summary>A server killed with SIGKILL in the middle of a run, then started again on the same store and results folder.</summary>
public sealed class RestartTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private static async Task<JsonElement> JsonAsync(HttpClient client, string path) =>
        JsonDocument.Parse(await client.GetStringAsync(path)).RootElement.Clone();

    private static async Task<string> SubmitAsync(HttpClient client, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs" + query) { Content = new StringContent(TestRuns.Scenario, Encoding.UTF8, "application/yaml") };
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task A_run_killed_with_the_server_is_marked_failed_after_a_restart_with_no_leftovers()
    {
        var dir = TestRuns.TempDirectory();
        var root = Path.Combine(dir, "results", "serve");
        string[] settings = ["--results", fixture.Database.ConnectionString, "--max-replicas", "100000", "--max-horizon", "120", "--max-concurrent-runs", "1"];
        string running, queued;
        await using (var first = await SimServe.StartAsync(dir, settings))
        {
            running = await SubmitAsync(first.Client, "?replicas=30000&horizon_months=120&label=killed");
            queued = await SubmitAsync(first.Client, "?replicas=20&label=waiting");
            // Mid-run: running, with a staging folder in the results root.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!((await JsonAsync(first.Client, $"/api/runs/{running}")).GetProperty("progress").GetDouble() > 0
                     && Directory.EnumerateFileSystemEntries(root, $".{running}.caresim-*").Any()))
            {
                Assert.True(DateTime.UtcNow < deadline, "the run did not start: " + first.Output);
                await Task.Delay(100);
            }
            await first.KillAsync();
        }
        // What a killed server leaves: the run 'running' in the store and its staging folder.
        Assert.Equal("running", await fixture.Database.ScalarAsync<string>("SELECT status FROM runs WHERE id = @id", ("id", Guid.ParseExact(running, "N"))));
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(root, ".*"));

        await using var second = await SimServe.StartAsync(dir, settings);
        foreach (var id in new[] { running, queued })
        {
            var run = await JsonAsync(second.Client, $"/api/runs/{id}");
            Assert.Equal("failed", run.GetProperty("status").GetString());
            Assert.Contains("stopped before it completed", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal("killed", (await JsonAsync(second.Client, $"/api/runs/{running}")).GetProperty("label").GetString());
        Assert.Equal(0, (await JsonAsync(second.Client, "/api/runs?status=running")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await JsonAsync(second.Client, "/api/runs?status=queued")).GetProperty("total").GetInt32());
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM runs WHERE status IN ('queued', 'running')"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root)); // no staging folder, no half-written results
        // Its event stream ends at once, with the terminal event.
        var events = (await second.Client.GetStringAsync($"/api/runs/{running}/events")).Replace("\r", "", StringComparison.Ordinal);
        Assert.Equal(["failed"], events.Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l[7..]));
        Assert.Matches("(^|\n)id: \\d+\n", events);

        // The restarted server runs new runs.
        var again = await SubmitAsync(second.Client, "?replicas=20");
        Assert.Contains("event: completed", await second.Client.GetStringAsync($"/api/runs/{again}/events"), StringComparison.Ordinal);
    }
}
