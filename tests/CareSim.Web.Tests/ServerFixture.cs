using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CareSim.Store.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CareSim.Web.Tests;

/// <summary>A real <c>sim serve</c> (Kestrel on a free loopback port, in-process silo) over a fresh database on the test PostgreSQL server.</summary>
public class ServerFixture : IAsyncLifetime
{
    public const string ApiKey = "test-key-1234";

    private WebApplication? _app;

    public TestDatabase? Database { get; private set; }

    public HttpClient Client { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public string ResultsRoot { get; } = TestRuns.TempDirectory();

    protected virtual bool UseStore => true;

    protected virtual Dictionary<string, string?> Settings => new()
    {
        ["CareSim:ApiKey"] = ApiKey,
        ["CareSim:MaxReplicas"] = "200",
        ["CareSim:MaxHorizonMonths"] = "36",
        ["CareSim:MaxConcurrentRuns"] = "2",
        ["CareSim:MaxRequestBodyBytes"] = "65536",
        ["CareSim:BlockSize"] = "8",
    };

    public async Task InitializeAsync()
    {
        var settings = Settings;
        settings["urls"] = "http://127.0.0.1:0";
        settings["CareSim:ResultsRoot"] = ResultsRoot;
        if (UseStore)
        {
            Database = new TestDatabase();
            await Database.InitializeAsync();
            settings["CareSim:ResultsConnectionString"] = Database.ConnectionString;
        }
        _app = await CareSimServer.BuildAsync([], settings);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>Stops the server (the database stays until <see cref="DisposeAsync"/>).</summary>
    public async Task StopServerAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await StopServerAsync();
        if (Database is not null) await Database.DisposeAsync();
    }

    /// <summary>Submits the test scenario as YAML (with the API key) and returns the response.</summary>
    public Task<HttpResponseMessage> SubmitYamlAsync(string yaml, string query = "", string? key = ApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs" + query) { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") };
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> SubmitJsonAsync(string json, string? key = ApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return Client.SendAsync(request);
    }

    /// <summary>Submits and returns the new run's id (asserting 202).</summary>
    public async Task<string> SubmitAsync(string query = "")
    {
        using var response = await SubmitYamlAsync(TestRuns.Scenario, query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Reads the run's Server-Sent Events to the end; returns (event, status) pairs.</summary>
    public async Task<List<(string Event, JsonElement Data)>> EventsAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{id}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<(string, JsonElement)>();
        string name = "message";
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone()));
                name = "message";
            }
        }
        return events;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}

/// <summary>The same server without a store: results come from the results directories (and a comparison placed there).</summary>
public sealed class FilesServerFixture : ServerFixture
{
    protected override bool UseStore => false;

    protected override Dictionary<string, string?> Settings => new()
    {
        ["CareSim:MaxConcurrentRuns"] = "1",
        ["CareSim:MaxQueuedRuns"] = "1",
        ["CareSim:BlockSize"] = "8",
    };
}

/// <summary>One database for the tests of a class.</summary>
public sealed class TestDatabaseFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public Task InitializeAsync() => Database.InitializeAsync();

    public Task DisposeAsync() => Database.DisposeAsync();
}

/// <summary>A server that runs one long run at a time, for what happens when it stops.</summary>
public sealed class SlowServerFixture : ServerFixture
{
    protected override Dictionary<string, string?> Settings => new()
    {
        ["CareSim:ApiKey"] = ApiKey,
        ["CareSim:MaxConcurrentRuns"] = "1",
        ["CareSim:MaxReplicas"] = "100000",
        ["CareSim:BlockSize"] = "1000",
    };
}
