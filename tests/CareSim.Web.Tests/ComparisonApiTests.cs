using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CareSim.Store.Tests;

namespace CareSim.Web.Tests;

/// <summary>Scenarios of the web tests.</summary>
public static class WebScenarios
{
    /// <summary>The store test's scenario with a decision point and one strategy (a partner council from then), over 24 months.</summary>
    public static readonly string WithStrategy = TestRuns.Scenario
        .Replace("horizon_months: 12", "horizon_months: 24\nhistory_until: 2022-01", StringComparison.Ordinal)
        + "strategies:\n  - name: partner\n    description: A partner council from the decision point.\n    events:\n      - {offset_months: 0, event: partnership}\n";
}

/// <summary>Comparisons submitted over HTTP, followed like runs and loaded into the store; downloads, caching, CORS and links.</summary>
public sealed class ComparisonApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<HttpResponseMessage> SubmitComparisonAsync(string query, string body = "", string mediaType = "text/yaml")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/comparisons" + query)
        {
            Content = new StringContent(body.Length == 0 ? WebScenarios.WithStrategy : body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        request.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
        return await server.Client.SendAsync(request);
    }

    [Fact]
    public async Task A_comparison_submitted_over_HTTP_runs_is_followed_like_a_run_and_is_loaded_into_the_store()
    {
        using var submitted = await SubmitComparisonAsync("?strategies=partner&by=2022-12&worlds=2&world_replicas=10&label=partner%20or%20not");
        var body = await submitted.Content.ReadAsStringAsync();
        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        Assert.Equal("comparison", JsonDocument.Parse(body).RootElement.GetProperty("kind").GetString());
        Assert.Equal($"/api/runs/{id}", submitted.Headers.Location!.OriginalString);

        var events = await server.EventsAsync(id);
        Assert.Equal("completed", events[^1].Event);
        var run = await server.GetJsonAsync($"/api/runs/{id}");
        Assert.Equal(("comparison", "partner or not"), (run.GetProperty("kind").GetString(), run.GetProperty("label").GetString()));

        // Its table and strategies come from the store; each strategy's results are a run of their own there.
        var comparison = await server.GetJsonAsync($"/api/runs/{id}/comparison");
        Assert.Equal("store", comparison.GetProperty("source").GetString());
        var rows = comparison.GetProperty("rows").EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("strategy").GetString() == "partner" && r.GetProperty("measure").GetString() == "p_good_by_2022-12");
        var strategies = (await server.GetJsonAsync($"/api/runs/{id}/strategies")).GetProperty("strategies").EnumerateArray().ToList();
        Assert.Equal(["baseline", "partner"], strategies.Select(s => s.GetProperty("name").GetString()));
        var partnerRun = strategies[1].GetProperty("run_id").GetString()!;
        var partnerFiles = CareSim.Store.ResultsDirectory.Open(Path.Combine(server.ResultsRoot, id, "strategies", "partner"));
        Assert.Equal(partnerFiles.ReadOutcomes().Count(o => o.Authority == "E08000014"), (await server.GetJsonAsync($"/api/runs/{partnerRun}/outcomes")).GetProperty("outcomes").EnumerateArray()
            .Count(o => o.GetProperty("authority").GetString() == "E08000014"));
        var series = await server.GetJsonAsync($"/api/runs/{id}/strategies/partner/series?authority=E08000014&metric=support");
        Assert.Equal(24, series.GetProperty("points").GetArrayLength());
        var db = server.Database!;
        Assert.Equal(rows.Count, await db.ScalarAsync<long>("SELECT count(*) FROM comparisons WHERE run_id = @id", ("id", Guid.ParseExact(id, "N"))));
        Assert.Equal("comparison", await db.ScalarAsync<string>("SELECT kind FROM runs WHERE id = @id", ("id", Guid.ParseExact(id, "N"))));

        // Views that do not apply to a comparison: 404 problems, never 500.
        foreach (var view in new[] { "outcomes", "outcome-cdf", "totals", "series?authority=E08000014&metric=support" })
        {
            using var response = await server.Client.GetAsync($"/api/runs/{id}/{view}");
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, view + ": " + (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }

        // Its files: the table (CSV and Parquet), the regret across worlds.
        var files = (await server.GetJsonAsync($"/api/runs/{id}/files")).GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Contains("comparison.csv", files);
        Assert.Contains("comparison.parquet", files);
        Assert.Contains("regret.csv", files);
        var csv = await server.Client.GetStringAsync($"/api/runs/{id}/files/comparison.csv");
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(server.ResultsRoot, id, "comparison.csv")), csv);
    }

    [Fact]
    public async Task A_comparison_as_JSON_and_bad_comparisons()
    {
        using var json = await SubmitComparisonAsync("", JsonSerializer.Serialize(new { scenario = WebScenarios.WithStrategy, strategies = "all", by = new[] { "2022-06" }, replicas = 10 }),
            "application/json");
        var body = await json.Content.ReadAsStringAsync();
        Assert.True(json.StatusCode == HttpStatusCode.Accepted, body);
        Assert.Equal("completed", (await server.EventsAsync(JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!))[^1].Event);

        foreach (var (query, field) in new[] { ("", "strategies"), ("?strategies=nope", "strategies"), ("?strategies=partner&by=2019-01", "by"),
                     ("?strategies=partner&by=June", "by"), ("?strategies=partner&rank_by=height", "rank_by"), ("?strategies=partner&worlds=101", "worlds") })
        {
            using var response = await SubmitComparisonAsync(query);
            var problem = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, query + ": " + problem);
            Assert.Equal(field, JsonDocument.Parse(problem).RootElement.GetProperty("errors")[0].GetProperty("path").GetString());
            Assert.DoesNotContain("--", problem, StringComparison.Ordinal); // the API's terms, not the command line's
        }
    }

    [Fact]
    public async Task Completed_results_carry_an_ETag_are_cached_for_good_and_answer_304()
    {
        var id = await server.SubmitAsync();
        Assert.Equal("completed", (await server.EventsAsync(id))[^1].Event);
        var path = $"/api/runs/{id}/series?authority=E08000014&metric=caseload";
        using var first = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;
        Assert.Contains("immutable", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await server.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        // A download of a table: the file as written, as an attachment.
        using var download = await server.Client.GetAsync($"/api/runs/{id}/files/outcomes.csv");
        Assert.Equal("text/csv", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("outcomes.csv", download.Content.Headers.ContentDisposition!.FileName);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(server.ResultsRoot, id, "outcomes.csv")), await download.Content.ReadAsByteArrayAsync());
        Assert.NotNull(download.Headers.ETag);
        using var parquet = await server.Client.GetAsync($"/api/runs/{id}/files/summary.parquet");
        Assert.Equal("application/vnd.apache.parquet", parquet.Content.Headers.ContentType!.MediaType);

        // Not for results that are not there yet, nor for errors.
        using var missing = await server.Client.GetAsync($"/api/runs/{id}/series?authority=X&metric=caseload");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Null(missing.Headers.ETag);
    }

    [Fact]
    public async Task Links_under_a_report_or_a_results_directory_are_never_followed()
    {
        var id = await server.SubmitAsync();
        Assert.Equal("completed", (await server.EventsAsync(id))[^1].Event);
        var dir = Path.Combine(server.ResultsRoot, id);
        var outside = Path.Combine(TestRuns.TempDirectory(), "secret.md");
        await File.WriteAllTextAsync(outside, "secret");
        Directory.CreateDirectory(Path.Combine(dir, "report"));
        await File.WriteAllTextAsync(Path.Combine(dir, "report", "report.md"), "# Report\n");
        File.CreateSymbolicLink(Path.Combine(dir, "report", "leak.md"), outside);
        File.CreateSymbolicLink(Path.Combine(dir, "leak.csv"), outside);

        var report = await server.GetJsonAsync($"/api/runs/{id}/report");
        Assert.Equal(["report.md"], report.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        foreach (var path in new[] { $"/api/runs/{id}/report/leak.md", $"/api/runs/{id}/files/leak.csv" })
        {
            using var response = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A report folder that is itself a link: nothing listed.
        Directory.Delete(Path.Combine(dir, "report"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(dir, "report"), Path.GetDirectoryName(outside)!);
        Assert.Equal(0, (await server.GetJsonAsync($"/api/runs/{id}/report")).GetProperty("files").GetArrayLength());
    }
}

/// <summary>A server that lets one other origin's pages call it (CORS).</summary>
public sealed class CorsServerFixture : ServerFixture
{
    public const string Origin = "https://dashboard.example";

    protected override bool UseStore => false;

    protected override Dictionary<string, string?> Settings => new() { ["CareSim:CorsOrigins"] = Origin, ["CareSim:ApiKey"] = ApiKey };
}

public sealed class CorsTests(CorsServerFixture server) : IClassFixture<CorsServerFixture>
{
    [Fact]
    public async Task The_configured_origin_may_call_the_API_and_others_may_not()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/runs/0123456789abcdef0123456789abcdef");
        preflight.Headers.Add("Origin", CorsServerFixture.Origin);
        preflight.Headers.Add("Access-Control-Request-Method", "DELETE");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-api-key");
        using var allowed = await server.Client.SendAsync(preflight);
        Assert.True(allowed.IsSuccessStatusCode, ((int)allowed.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(CorsServerFixture.Origin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("DELETE", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);

        using var get = new HttpRequestMessage(HttpMethod.Get, "/api/metrics");
        get.Headers.Add("Origin", CorsServerFixture.Origin);
        using var fromAllowed = await server.Client.SendAsync(get);
        Assert.Equal(CorsServerFixture.Origin, fromAllowed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var other = new HttpRequestMessage(HttpMethod.Get, "/api/metrics");
        other.Headers.Add("Origin", "https://elsewhere.example");
        using var fromOther = await server.Client.SendAsync(other);
        Assert.False(fromOther.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
