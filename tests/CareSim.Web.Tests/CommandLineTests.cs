using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CareSim.Store.Tests;
using Npgsql;

namespace CareSim.Web.Tests;

/// <summary>The built <c>sim</c> as a separate process: <c>sim run --results</c> and <c>sim serve</c> as the README shows them.</summary>
public sealed class CommandLineTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "sim.dll");

    private static Process Start(string workingDirectory, params string[] args) => Start(workingDirectory, null, args);

    private static Process Start(string workingDirectory, Dictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? []) info.Environment[name] = value;
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Sim_run_with_results_loads_the_run_and_the_same_run_id_again_replaces_it()
    {
        var dir = TestRuns.TempDirectory();
        var scenario = Path.Combine(dir, "store-test.yaml");
        await File.WriteAllTextAsync(scenario, TestRuns.Scenario);
        var id = Guid.NewGuid();
        var db = fixture.Database;

        var first = await RunAsync(dir, "run", scenario, "--results", db.ConnectionString, "--run-id", id.ToString(), "--out", "first", "--engine", "reference");
        Assert.True(first.Code == 0, first.Stderr + first.Stdout);
        Assert.Contains($"Stored as run {id:N}", first.Stderr, StringComparison.Ordinal); // a note: standard output holds only the headline
        var rows = await db.ScalarAsync<long>("SELECT count(*) FROM summary_series WHERE run_id = @id", ("id", id));
        Assert.Equal(File.ReadAllLines(Path.Combine(dir, "first", "summary.csv")).Length - 1, rows);

        var second = await RunAsync(dir, "run", scenario, "--results", db.ConnectionString, "--run-id", id.ToString("N"), "--out", "second", "--seed", "9", "--quiet");
        Assert.True(second.Code == 0, second.Stderr + second.Stdout);
        Assert.Equal(rows, await db.ScalarAsync<long>("SELECT count(*) FROM summary_series WHERE run_id = @id", ("id", id)));
        Assert.Equal(9m, await db.ScalarAsync<decimal>("SELECT seed FROM runs WHERE id = @id", ("id", id)));
        Assert.Equal(id.ToString("N"), JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "second", "manifest.json"))).RootElement
            .GetProperty("extra").GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task Sim_run_with_an_unreachable_store_fails_before_running()
    {
        var dir = TestRuns.TempDirectory();
        var scenario = Path.Combine(dir, "store-test.yaml");
        await File.WriteAllTextAsync(scenario, TestRuns.Scenario);
        var closed = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { Port = ClosedPort(), Timeout = 3 }.ConnectionString;
        var result = await RunAsync(dir, "run", scenario, "--results", closed, "--out", "out", "--quiet");
        Assert.Equal(1, result.Code);
        Assert.Contains("cannot open the results store", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));

        var malformed = await RunAsync(dir, "run", scenario, "--results", "Host=x;Nonsense=1", "--quiet");
        Assert.Equal(2, malformed.Code);
        var badId = await RunAsync(dir, "run", scenario, "--results", fixture.Database.ConnectionString, "--run-id", "../x", "--quiet");
        Assert.Equal(2, badId.Code);
    }

    [Fact]
    public async Task Sim_serve_runs_a_submitted_run_and_shows_it_through_the_API()
    {
        var dir = TestRuns.TempDirectory();
        var port = ClosedPort();
        // Settings also come from the environment (CareSim__...), beside the command line's options.
        using var serve = Start(dir, new Dictionary<string, string> { ["CareSim__MaxReplicas"] = "50" },
            "serve", "--urls", $"http://127.0.0.1:{port}", "--results", fixture.Database.ConnectionString, "--api-key", "k");
        var output = new StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        serve.OutputDataReceived += (_, e) =>
        {
            lock (output) output.AppendLine(e.Data);
            if (e.Data?.StartsWith("Listening on", StringComparison.Ordinal) == true) listening.TrySetResult();
        };
        serve.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs?horizon_months=6") { Content = new StringContent(TestRuns.Scenario, Encoding.UTF8, "application/yaml") };
            request.Headers.Add("X-Api-Key", "k");
            using var submitted = await client.SendAsync(request);
            var body = await submitted.Content.ReadAsStringAsync();
            Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, body + output);
            var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;

            var events = await client.GetStringAsync($"/api/runs/{id}/events");
            Assert.Contains("event: completed", events, StringComparison.Ordinal);
            var series = JsonDocument.Parse(await client.GetStringAsync($"/api/runs/{id}/series?authority=E08000014&metric=cost")).RootElement;
            Assert.Equal(6, series.GetProperty("points").GetArrayLength());
            Assert.Equal("store", series.GetProperty("source").GetString());
            Assert.True(File.Exists(Path.Combine(dir, "results", "serve", id, "manifest.json")));
            Assert.Contains("<title>CareSim results</title>", await client.GetStringAsync("/"), StringComparison.Ordinal);

            using var tooMany = new HttpRequestMessage(HttpMethod.Post, "/api/runs?replicas=51") { Content = new StringContent(TestRuns.Scenario, Encoding.UTF8, "application/yaml") };
            tooMany.Headers.Add("X-Api-Key", "k");
            using var refused = await client.SendAsync(tooMany);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("between 1 and 50", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
