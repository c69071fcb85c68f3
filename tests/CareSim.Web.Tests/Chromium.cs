using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CareSim.Web.Tests;

/// <summary>
/// Debian's Chromium, headless, driven through the DevTools protocol over a WebSocket (no Node,
/// no browser download). The path comes from CARESIM_TEST_CHROMIUM or .tmp/services.env
/// (scripts/services.sh), else /usr/bin/chromium.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static string ExecutablePath()
    {
        var path = Environment.GetEnvironmentVariable("CARESIM_TEST_CHROMIUM");
        if (string.IsNullOrWhiteSpace(path))
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulation.sln"))) dir = dir.Parent;
            var env = dir is null ? null : Path.Combine(dir.FullName, ".tmp", "services.env");
            if (env is not null && File.Exists(env))
                path = File.ReadAllLines(env).Where(l => l.StartsWith("CARESIM_TEST_CHROMIUM=", StringComparison.Ordinal)).Select(l => l["CARESIM_TEST_CHROMIUM=".Length..]).LastOrDefault();
        }
        if (string.IsNullOrWhiteSpace(path)) path = "/usr/bin/chromium";
        if (!File.Exists(path)) throw new InvalidOperationException($"Chromium not found at {path}: run 'scripts/services.sh start' (or ./test.sh)");
        return path;
    }

    public static async Task<Chromium> StartAsync(int width = 1280, int height = 1700)
    {
        var profile = Path.Combine(Path.GetTempPath(), "caresim-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var info = new ProcessStartInfo(ExecutablePath()) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
                     $"--user-data-dir={profile}", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
                     $"--window-size={width},{height}", "about:blank",
                 })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new Chromium(process, profile);
        try
        {
            await browser.ConnectAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync()
    {
        // Chromium writes the port it chose to DevToolsActivePort in the profile.
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(portFile) || new FileInfo(portFile).Length == 0)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Chromium exited with code {_process.ExitCode}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Chromium did not open its DevTools port within 30 s");
            await Task.Delay(100);
        }
        var port = int.Parse(File.ReadAllLines(portFile)[0], System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        JsonElement page = default;
        while (page.ValueKind == JsonValueKind.Undefined)
        {
            var targets = await http.GetFromJsonAsync<JsonElement>("/json/list");
            page = targets.EnumerateArray().FirstOrDefault(t => t.GetProperty("type").GetString() == "page");
            if (page.ValueKind == JsonValueKind.Undefined)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("Chromium has no page target");
                await Task.Delay(100);
            }
        }
        await _socket.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), CancellationToken.None);
        _receiving = Task.Run(ReceiveAsync);
        await SendAsync("Page.enable");
        await SendAsync("Runtime.enable");
        await SendAsync("Log.enable");
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var root = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
                if (root.TryGetProperty("method", out var method)) RecordError(method.GetString(), root);
                if (root.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var waiter))
                {
                    if (root.TryGetProperty("error", out var error)) waiter.TrySetException(new InvalidOperationException(error.ToString()));
                    else waiter.TrySetResult(root.GetProperty("result"));
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested || _socket.State != WebSocketState.Open)
        {
        }
        foreach (var waiter in _pending.Values) waiter.TrySetException(new InvalidOperationException("DevTools connection closed"));
    }

    private readonly ConcurrentQueue<string> _errors = new();

    /// <summary>What the page reported as errors: uncaught exceptions, console.error, failed loads (404s included) and other error log entries.</summary>
    public IReadOnlyList<string> Errors => _errors.ToList();

    private void RecordError(string? method, JsonElement message)
    {
        if (!message.TryGetProperty("params", out var p)) return;
        switch (method)
        {
            case "Runtime.exceptionThrown":
                _errors.Enqueue("exception: " + p.GetProperty("exceptionDetails").ToString());
                break;
            case "Runtime.consoleAPICalled" when p.GetProperty("type").GetString() is "error" or "assert":
                _errors.Enqueue("console.error: " + p.GetProperty("args").ToString());
                break;
            case "Log.entryAdded" when p.GetProperty("entry").GetProperty("level").GetString() == "error":
                var entry = p.GetProperty("entry");
                _errors.Enqueue($"log: {entry.GetProperty("text").GetString()} {(entry.TryGetProperty("url", out var url) ? url.GetString() : "")}");
                break;
        }
    }

    /// <summary>Sends a DevTools command and returns its result.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var waiter = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiter;
        var json = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["id"] = id,
            ["method"] = method,
            ["params"] = parameters is null ? new JsonObject() : JsonSerializer.SerializeToNode(parameters),
        });
        await _send.WaitAsync();
        try
        {
            await _socket.SendAsync(json, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _send.Release();
        }
        return await waiter.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public Task NavigateAsync(string url) => SendAsync("Page.navigate", new { url });

    /// <summary>Evaluates a JavaScript expression in the page and returns its value (as JSON).</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var exception)) throw new InvalidOperationException(exception.ToString());
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Waits until <paramref name="expression"/> is true in the page.</summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            JsonElement value = default;
            try
            {
                value = await EvaluateAsync(expression);
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                // The page may not be there yet (a navigation in progress).
            }
            if (value.ValueKind == JsonValueKind.True) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"'{expression}' not true after {timeout.TotalSeconds} s; body state: {await EvaluateAsync("document.body && document.body.dataset.state")}; " +
                    $"error: {await EvaluateAsync("(document.getElementById('run-error') || {}).textContent")}");
            await Task.Delay(100);
        }
    }

    /// <summary>A PNG of the whole page.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true });
        return Convert.FromBase64String(result.GetProperty("data").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", new CancellationTokenSource(TimeSpan.FromSeconds(2)).Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        _socket.Dispose();
        await _receiving;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
        _stop.Dispose();
        _send.Dispose();
    }
}
