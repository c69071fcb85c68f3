using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CareSim.Store.Tests;

namespace CareSim.Web.Tests;

/// <summary>Cancelling and removing runs, labels, and listing with filters, order and pages.</summary>
public sealed class RunLifecycleTests(SlowServerFixture server) : IClassFixture<SlowServerFixture>
{
    private Task<HttpResponseMessage> DeleteAsync(string id, string? key = ServerFixture.ApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/runs/{id}");
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return server.Client.SendAsync(request);
    }

    /// <summary>The raw event stream: (id, event) of each event.</summary>
    private async Task<List<(string Id, string Event)>> RawEventsAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{id}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<(string, string)>();
        string eventId = "", name = "";
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal)) eventId = line[4..];
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.Length == 0 && name.Length > 0)
            {
                events.Add((eventId, name));
                (eventId, name) = ("", "");
            }
        }
        return events;
    }

    private async Task WaitForAsync(string id, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await server.GetJsonAsync($"/api/runs/{id}")).GetProperty("status").GetString() != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {id} is not {status}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Delete_cancels_a_running_and_a_queued_run_then_removes_them()
    {
        var running = await server.SubmitAsync("?replicas=30000&horizon_months=120");
        var queued = await server.SubmitAsync("?replicas=30000&horizon_months=120");
        await WaitForAsync(running, "running");
        var stream = RawEventsAsync(running);

        using (var noKey = await DeleteAsync(running, key: null)) Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        using (var cancelQueued = await DeleteAsync(queued))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancelQueued.StatusCode);
            Assert.Equal("cancelled", JsonDocument.Parse(await cancelQueued.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        }
        using (var cancelRunning = await DeleteAsync(running)) Assert.Equal(HttpStatusCode.Accepted, cancelRunning.StatusCode);
        await WaitForAsync(running, "cancelled");

        // The stream ends with the terminal event; every event has an id, increasing.
        var events = await stream;
        Assert.Equal("cancelled", events[^1].Event);
        Assert.All(events[..^1], e => Assert.Equal("status", e.Event));
        var ids = events.Select(e => int.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(["cancelled"], (await RawEventsAsync(queued)).Select(e => e.Event));

        var db = server.Database!;
        foreach (var id in new[] { running, queued })
        {
            var run = await server.GetJsonAsync($"/api/runs/{id}");
            Assert.Contains("cancelled through the API", run.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal("cancelled", await db.ScalarAsync<string>("SELECT status FROM runs WHERE id = @id", ("id", Guid.ParseExact(id, "N"))));
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(server.ResultsRoot, $"*{running}*"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(server.ResultsRoot, $".{running}*"));

        // A finished run: removed (204), then gone (404).
        using (var remove = await DeleteAsync(running)) Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        using (var gone = await server.Client.GetAsync($"/api/runs/{running}")) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM runs WHERE id = @id", ("id", Guid.ParseExact(running, "N"))));
    }

    [Fact]
    public async Task Delete_removes_a_completed_run_s_results_but_not_a_folder_the_server_did_not_write()
    {
        var id = await server.SubmitAsync("?replicas=20&horizon_months=12");
        Assert.Equal("completed", (await server.EventsAsync(id))[^1].Event);
        Assert.True(Directory.Exists(Path.Combine(server.ResultsRoot, id)));
        // A file the user put into the run's folder since: refused, and every file left as it is.
        var notes = Path.Combine(server.ResultsRoot, id, "my-notes.txt");
        File.WriteAllText(notes, "mine");
        using (var refusedForNotes = await DeleteAsync(id)) Assert.Equal(HttpStatusCode.Conflict, refusedForNotes.StatusCode);
        Assert.Equal("mine", File.ReadAllText(notes));
        Assert.True(File.Exists(Path.Combine(server.ResultsRoot, id, "summary.csv")));
        File.Delete(notes);
        using (var remove = await DeleteAsync(id)) Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(server.ResultsRoot, id)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(server.ResultsRoot, $"*{id}*"));
        Assert.Equal(0L, await server.Database!.ScalarAsync<long>("SELECT count(*) FROM summary_series WHERE run_id = @id", ("id", Guid.ParseExact(id, "N"))));

        // A comparison placed under the root by hand (sim compare --out) is the user's: refused, and left as it is.
        var comparison = Guid.NewGuid().ToString("N");
        await TestRuns.ComparisonAsync(Path.Combine(server.ResultsRoot, comparison));
        using var refused = await DeleteAsync(comparison);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.True(File.Exists(Path.Combine(server.ResultsRoot, comparison, "comparison.csv")));
    }

    [Fact]
    public async Task Runs_carry_their_label_and_the_list_filters_sorts_and_pages()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var a = await server.SubmitAsync($"?replicas=20&label=a-{tag}");
        using (var json = await server.SubmitJsonAsync(JsonSerializer.Serialize(new { scenario = TestRuns.Scenario, replicas = 10, label = $"b-{tag}" })))
            Assert.Equal(HttpStatusCode.Accepted, json.StatusCode);
        var c = await server.SubmitAsync($"?replicas=20&label=a-{tag}");
        foreach (var id in new[] { a, c }) Assert.Equal("completed", (await server.EventsAsync(id))[^1].Event);
        Assert.Equal($"a-{tag}", (await server.GetJsonAsync($"/api/runs/{a}")).GetProperty("label").GetString());

        var labelled = await server.GetJsonAsync($"/api/runs?label=a-{tag}");
        Assert.Equal(2, labelled.GetProperty("total").GetInt32());
        Assert.Equal([c, a], labelled.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString())); // newest first
        var oldestFirst = await server.GetJsonAsync($"/api/runs?label=a-{tag}&sort=created");
        Assert.Equal([a, c], oldestFirst.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var page = await server.GetJsonAsync($"/api/runs?label=a-{tag}&limit=1&offset=1");
        Assert.Equal((2, 1, 1), (page.GetProperty("total").GetInt32(), page.GetProperty("limit").GetInt32(), page.GetProperty("offset").GetInt32()));
        Assert.Equal(a, page.GetProperty("runs")[0].GetProperty("id").GetString());

        var completed = await server.GetJsonAsync("/api/runs?status=completed&kind=run&scenario=STORE&limit=200");
        Assert.All(completed.GetProperty("runs").EnumerateArray(), r => Assert.Equal("completed", r.GetProperty("status").GetString()));
        Assert.Contains(completed.GetProperty("runs").EnumerateArray(), r => r.GetProperty("id").GetString() == a);
        var sorted = await server.GetJsonAsync("/api/runs?sort=label&limit=200");
        var labels = sorted.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("label").GetString()).Where(l => l is not null).ToList();
        Assert.Equal(labels.Order(StringComparer.CurrentCulture), labels);

        foreach (var bad in new[] { "status=done", "sort=colour", "limit=0", "limit=100000", "offset=-1", "page=2" })
        {
            using var response = await server.Client.GetAsync($"/api/runs?{bad}");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, bad);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
        using var longLabel = await server.SubmitYamlAsync(TestRuns.Scenario, $"?label={new string('x', 201)}");
        Assert.Equal(HttpStatusCode.BadRequest, longLabel.StatusCode);
        Assert.Contains("label", await longLabel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
