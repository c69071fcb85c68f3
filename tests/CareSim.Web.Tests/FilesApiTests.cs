using System.Net;
using System.Text.Json;
using CareSim.Store.Tests;

namespace CareSim.Web.Tests;

/// <summary>The server without a store: runs and comparisons read from the results directories under its results root.</summary>
public sealed class FilesApiTests(FilesServerFixture server) : IClassFixture<FilesServerFixture>
{
    /// <summary>Puts the comparison fixture (the format of sim compare) under the results root as a run id, with a report folder.</summary>
    private async Task<string> PlaceComparisonAsync()
    {
        var id = Guid.NewGuid().ToString("N");
        var dir = await TestRuns.ComparisonAsync(Path.Combine(server.ResultsRoot, id));
        Directory.CreateDirectory(Path.Combine(dir, "report"));
        File.WriteAllText(Path.Combine(dir, "report", "fan.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        File.WriteAllText(Path.Combine(dir, "report", "report.md"), "# Report\n");
        File.WriteAllText(Path.Combine(dir, "report", "notes.txt"), "not served");
        return id;
    }

    [Fact]
    public async Task Runs_are_read_from_their_results_directories()
    {
        var id = await server.SubmitAsync();
        Assert.Equal("completed", (await server.EventsAsync(id))[^1].Event);
        var series = await server.GetJsonAsync($"/api/runs/{id}/series?authority=E08000014&metric=caseload");
        Assert.Equal("files", series.GetProperty("source").GetString());
        Assert.Equal(12, series.GetProperty("points").GetArrayLength());
        Assert.Equal("files", (await server.GetJsonAsync($"/api/runs/{id}/outcomes")).GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_comparison_directory_serves_its_table_strategies_their_series_and_report_files()
    {
        var id = await PlaceComparisonAsync();
        var runs = await server.GetJsonAsync("/api/runs");
        var listed = runs.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);
        Assert.Equal("comparison", listed.GetProperty("kind").GetString());
        Assert.Equal("completed", listed.GetProperty("status").GetString());

        var comparison = await server.GetJsonAsync($"/api/runs/{id}/comparison");
        var rows = comparison.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(6, rows.Count);
        var cost = rows.Single(r => r.GetProperty("strategy").GetString() == "more_staff" && r.GetProperty("measure").GetString() == "cost");
        Assert.Equal("GBP m, total", cost.GetProperty("unit").GetString());
        Assert.Equal(8.25, cost.GetProperty("ci_low").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows.First(r => r.GetProperty("strategy").GetString() == "baseline").GetProperty("p_beats_baseline").ValueKind);

        var strategies = await server.GetJsonAsync($"/api/runs/{id}/strategies");
        Assert.Equal(["baseline", "more_staff"], strategies.GetProperty("strategies").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var series = await server.GetJsonAsync($"/api/runs/{id}/strategies/more_staff/series?authority=E08000012&metric=morale");
        Assert.Equal(12, series.GetProperty("points").GetArrayLength());
        Assert.Equal("more_staff", series.GetProperty("strategy").GetString());

        var report = await server.GetJsonAsync($"/api/runs/{id}/report");
        Assert.Equal(["fan.svg", "report.md"], report.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        using var svg = await server.Client.GetAsync($"/api/runs/{id}/report/fan.svg");
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("/report/notes.txt")]
    [InlineData("/report/..%2Fmanifest.json")]
    [InlineData("/report/%2E%2E%2F%2E%2E%2Fmanifest.json")]
    [InlineData("/report/FAN.SVG")]
    [InlineData("/report/.hidden.png")]
    [InlineData("/strategies/..%2Fstrategies%2Fbaseline/series?authority=E08000012&metric=morale")]
    [InlineData("/strategies/nope/series?authority=E08000012&metric=morale")]
    [InlineData("/strategies/%2E%2E/series?authority=E08000012&metric=morale")]
    public async Task Names_from_requests_never_reach_the_file_system_unchecked(string path)
    {
        var id = await PlaceComparisonAsync();
        using var response = await server.Client.GetAsync($"/api/runs/{id}{path}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Submissions_beyond_the_queue_get_429()
    {
        // One runs at once and one may wait: of several submitted together, some are refused.
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => server.SubmitYamlAsync(TestRuns.Scenario, "?replicas=200&horizon_months=36", key: null)));
        var codes = responses.Select(r => r.StatusCode).ToList();
        Assert.Contains(HttpStatusCode.TooManyRequests, codes);
        Assert.Contains(HttpStatusCode.Accepted, codes);
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(ApiEndpoints.RetryAfterSeconds), refused.Headers.RetryAfter!.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        foreach (var accepted in responses.Where(r => r.StatusCode == HttpStatusCode.Accepted))
        {
            var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            Assert.Equal("completed", (await server.EventsAsync(id))[^1].Event);
        }
        foreach (var r in responses) r.Dispose();
    }
}
