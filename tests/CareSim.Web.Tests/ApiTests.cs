using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CareSim.Engine.Results;
using CareSim.Store;
using CareSim.Store.Tests;

namespace CareSim.Web.Tests;

public sealed class ApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_submitted_run_completes_streams_its_progress_and_reads_back_through_the_API_and_SQL()
    {
        var id = await server.SubmitAsync();
        Assert.Matches("^[0-9a-f]{32}$", id);

        var events = await server.EventsAsync(id);
        Assert.Equal("completed", events[^1].Event);
        Assert.Equal("completed", events[^1].Data.GetProperty("status").GetString());
        Assert.Equal(1.0, events[^1].Data.GetProperty("progress").GetDouble());
        Assert.All(events[..^1], e => Assert.Equal("status", e.Event));

        var run = await server.GetJsonAsync($"/api/runs/{id}");
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(20, run.GetProperty("replicas").GetInt32());

        // The API's series comes from the store, and matches the run's own results directory and SQL.
        var series = await server.GetJsonAsync($"/api/runs/{id}/series?authority=E08000012&metric=practice_quality");
        Assert.Equal("store", series.GetProperty("source").GetString());
        var points = series.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(12, points.Count);
        var fromFiles = ResultsDirectory.Open(Path.Combine(server.ResultsRoot, id)).ReadSeries("E08000012", "practice_quality");
        Assert.Equal(fromFiles.Select(p => p.Month), points.Select(p => p.GetProperty("month").GetString()));
        Assert.Equal(fromFiles.Select(p => p.P50!.Value), points.Select(p => p.GetProperty("p50").GetDouble()));
        var sql = await server.Database!.RowsAsync(
            "SELECT p50 FROM summary_series WHERE run_id = @id AND authority = 'E08000012' AND metric = 'practice_quality' ORDER BY month",
            ("id", Guid.ParseExact(id, "N")));
        Assert.Equal(fromFiles.Select(p => p.P50!.Value), sql.Select(r => (double)r[0]!));
        Assert.Equal("completed", await server.Database.ScalarAsync<string>("SELECT status FROM runs WHERE id = @id", ("id", Guid.ParseExact(id, "N"))));
        Assert.Equal(TestRuns.Scenario, await server.Database.ScalarAsync<string>(
            "SELECT s.yaml FROM scenarios s JOIN runs r ON r.scenario_sha256 = s.sha256 WHERE r.id = @id", ("id", Guid.ParseExact(id, "N"))));

        var outcomes = await server.GetJsonAsync($"/api/runs/{id}/outcomes");
        Assert.Equal(ResultsDirectory.Open(Path.Combine(server.ResultsRoot, id)).ReadOutcomes().Count(), outcomes.GetProperty("outcomes").GetArrayLength());
        Assert.Contains(outcomes.GetProperty("outcomes").EnumerateArray(), o => o.GetProperty("outcome").GetString() == "months_to_good");
        var cdf = await server.GetJsonAsync($"/api/runs/{id}/outcome-cdf");
        Assert.True(cdf.GetProperty("points").GetArrayLength() > 0);
        var totals = await server.GetJsonAsync($"/api/runs/{id}/totals");
        Assert.Equal(2, totals.GetProperty("totals").GetArrayLength());

        var list = await server.GetJsonAsync("/api/runs");
        Assert.Contains(list.GetProperty("runs").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_run_submitted_as_JSON_with_overrides_uses_them()
    {
        using var response = await server.SubmitJsonAsync($$"""{"scenario": {{JsonScenario}}, "replicas": 12, "seed": 77, "horizon_months": 6}""");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        Assert.NotNull(response.Headers.Location);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        Assert.Equal($"/api/runs/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("completed", (await server.EventsAsync(id))[^1].Event);
        var run = await server.GetJsonAsync($"/api/runs/{id}");
        Assert.Equal((12, 77UL, 6), (run.GetProperty("replicas").GetInt32(), run.GetProperty("seed").GetUInt64(), run.GetProperty("horizon_months").GetInt32()));
        var series = await server.GetJsonAsync($"/api/runs/{id}/series?authority=E08000014&metric=sw_fte");
        Assert.Equal(6, series.GetProperty("points").GetArrayLength());

        // And the YAML text inside JSON, as a string.
        using var asText = await server.SubmitJsonAsync(JsonSerializer.Serialize(new { scenario = TestRuns.Scenario, replicas = 5 }));
        Assert.Equal(HttpStatusCode.Accepted, asText.StatusCode);
    }

    /// <summary>A scenario as a JSON object (JSON is YAML, so the loader reads it as it is).</summary>
    private const string JsonScenario = """
        {
          "name": "json test", "start": "2021-04", "horizon_months": 12, "replicas": 20, "seed": 3,
          "authorities": [
            { "code": "E08000014", "name": "Sefton", "region": "North West",
              "initial": { "population": 52920, "referrals_per_10k": 483, "cin_per_10k": 409, "cpp_per_10k": 47.6, "cla_per_10k": 116,
                           "sw_fte": 143.1, "agency_fte": 17.6, "vacancy_fte": 16, "caseload": 20.4, "quality": 0.45 } }
          ]
        }
        """;

    public static TheoryData<string, string, string, int, string> BadScenarios => new()
    {
        // name, YAML, query, status, text expected in the errors (path or message)
        { "malformed YAML", "name: [unclosed\nstart: 2021-04\n", "", 400, "" },
        { "unknown field", TestRuns.Scenario.Replace("horizon_months: 12", "horizon_month: 12", StringComparison.Ordinal), "", 400, "horizon_months" },
        { "wrong type", TestRuns.Scenario.Replace("replicas: 20", "replicas: many", StringComparison.Ordinal), "", 400, "replicas" },
        { "replicas over the limit", TestRuns.Scenario, "?replicas=201", 400, "between 1 and 200" },
        { "horizon over the limit", TestRuns.Scenario, "?horizon_months=37", 400, "between 1 and 36" },
        { "query not a number", TestRuns.Scenario, "?replicas=ten", 400, "expected an integer" },
        { "parameter files", TestRuns.Scenario + "parameter_files: [/etc/passwd]\n", "", 400, "parameter_files" },
    };

    [Theory]
    [MemberData(nameof(BadScenarios))]
    public async Task Bad_submissions_get_problem_json_with_what_was_wrong(string name, string yaml, string query, int status, string expected)
    {
        using var response = await server.SubmitYamlAsync(yaml, query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{name}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        Assert.NotEmpty(errors);
        Assert.Contains(expected, body, StringComparison.Ordinal);
        foreach (var error in errors)
            foreach (var field in new[] { "file", "line", "column", "path", "message" }) Assert.True(error.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task Scenario_errors_carry_line_column_and_path()
    {
        using var response = await server.SubmitYamlAsync(TestRuns.Scenario.Replace("replicas: 20", "replicas: many", StringComparison.Ordinal));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0];
        Assert.Equal(("scenario", 4, 11, "replicas"),
            (error.GetProperty("file").GetString(), error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32(), error.GetProperty("path").GetString()));
    }

    [Theory]
    [InlineData("""{"scenario": "name: x", "replicas": "ten"}""", "replicas")]
    [InlineData("""{"scenario": "name: x", "colour": "red"}""", "colour")]
    [InlineData("""{"replicas": 3}""", "scenario")]
    [InlineData("""{"scenario": 42}""", "scenario")]
    [InlineData("""{"scenario": """, "")]
    public async Task Bad_JSON_envelopes_are_400_problems(string json, string expected)
    {
        using var response = await server.SubmitJsonAsync(json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(expected, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_need_the_API_key_when_one_is_configured()
    {
        using var missing = await server.SubmitYamlAsync(TestRuns.Scenario, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
        using var wrong = await server.SubmitYamlAsync(TestRuns.Scenario, key: "not-the-key");
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType!.MediaType);
        // Reads stay open.
        using var read = await server.Client.GetAsync("/api/runs");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Bodies_over_the_limit_get_413_with_or_without_a_content_length()
    {
        var big = TestRuns.Scenario + "\n# " + new string('x', 70_000) + "\n";
        using var sized = await server.SubmitYamlAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        Assert.Equal("application/problem+json", sized.Content.Headers.ContentType!.MediaType);

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) };
        request.Content.Headers.ContentType = new("application/yaml");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
        using var chunked = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal("application/problem+json", chunked.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Other_media_types_get_415()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = new ByteArrayContent([1, 2, 3]) };
        request.Content.Headers.ContentType = new("application/octet-stream");
        request.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("/api/runs/not-an-id")]
    [InlineData("/api/runs/..%2F..%2Fetc")]
    [InlineData("/api/runs/0123456789abcdef0123456789abcdeg/series?authority=a&metric=sw_fte")]
    [InlineData("/api/runs/0123456789abcdef0123456789abcdef0/report")]
    [InlineData("/api/runs/{0123456789abcdef0123456789abcdef}/events")]
    public async Task Bad_run_ids_are_400_problems_before_anything_is_looked_up(string path)
    {
        using var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Invalid run id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/runs/%2e%2e/outcomes")]
    [InlineData("/api/runs/..%2f..%2f/outcomes")]
    [InlineData("/api/runs/%2e%2e%2f%2e%2e%2fetc%2fpasswd/report/x.png")]
    public async Task Dot_segments_never_reach_a_handler(string path)
    {
        using var response = await server.Client.GetAsync(path);
        Assert.InRange((int)response.StatusCode, 400, 404);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Unknown_runs_metrics_and_authorities_are_problems()
    {
        using var unknown = await server.Client.GetAsync($"/api/runs/{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);

        var id = await server.SubmitAsync("?horizon_months=3");
        await server.EventsAsync(id);
        using var metric = await server.Client.GetAsync($"/api/runs/{id}/series?authority=E08000014&metric=happiness");
        Assert.Equal(HttpStatusCode.BadRequest, metric.StatusCode);
        using var missing = await server.Client.GetAsync($"/api/runs/{id}/series?metric=sw_fte");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        using var authority = await server.Client.GetAsync($"/api/runs/{id}/series?authority=E99999999&metric=sw_fte");
        Assert.Equal(HttpStatusCode.NotFound, authority.StatusCode);
        using var comparison = await server.Client.GetAsync($"/api/runs/{id}/comparison");
        Assert.Equal(HttpStatusCode.NotFound, comparison.StatusCode);
        Assert.Equal("application/problem+json", comparison.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Concurrent_submissions_all_complete_with_their_own_results_and_at_most_the_limit_run_at_once()
    {
        var seeds = Enumerable.Range(100, 6).ToList();
        var ids = await Task.WhenAll(seeds.Select(seed => server.SubmitAsync($"?seed={seed}")));
        Assert.Equal(6, ids.Distinct().Count());

        var maxRunning = 0;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                var runs = await server.GetJsonAsync("/api/runs");
                maxRunning = Math.Max(maxRunning, runs.GetProperty("runs").EnumerateArray().Count(r => r.GetProperty("status").GetString() == "running"));
                await Task.Delay(20);
            }
        });
        var endings = await Task.WhenAll(ids.Select(server.EventsAsync));
        await watching.CancelAsync();
        await watcher;

        Assert.All(endings, e => Assert.Equal("completed", e[^1].Event));
        Assert.InRange(maxRunning, 0, 2);
        var finals = new HashSet<double>();
        for (var i = 0; i < ids.Length; i++)
        {
            var run = await server.GetJsonAsync($"/api/runs/{ids[i]}");
            Assert.Equal((ulong)seeds[i], run.GetProperty("seed").GetUInt64());
            var manifest = RunManifest.FromJson(File.ReadAllText(Path.Combine(server.ResultsRoot, ids[i], "manifest.json")));
            Assert.Equal((ulong)seeds[i], manifest.Seed);
            Assert.Equal(ids[i], manifest.Extra!["run_id"]);
            var series = await server.GetJsonAsync($"/api/runs/{ids[i]}/series?authority=E08000014&metric=practice_quality");
            finals.Add(series.GetProperty("points")[11].GetProperty("mean").GetDouble());
            Assert.Equal(ResultsDirectory.Open(Path.Combine(server.ResultsRoot, ids[i])).ReadSeries("E08000014", "practice_quality")[11].Mean,
                series.GetProperty("points")[11].GetProperty("mean").GetDouble());
        }
        Assert.Equal(6, finals.Count); // different seeds, different results: none was mixed up with another
        var stored = await server.Database!.ScalarAsync<long>(
            "SELECT count(DISTINCT run_id) FROM summary_series WHERE run_id = ANY(@ids)", ("ids", ids.Select(i => Guid.ParseExact(i, "N")).ToArray()));
        Assert.Equal(6, stored);
    }

    [Fact]
    public async Task A_comparison_in_the_store_serves_its_table_and_each_strategy_as_a_run()
    {
        var id = Guid.NewGuid();
        var dir = await TestRuns.ComparisonAsync(Path.Combine(TestRuns.TempDirectory(), "comparison"));
        await using (var store = await PostgresResultsStore.OpenAsync(server.Database!.ConnectionString))
            await store.LoadAsync(id, dir);

        var runs = await server.GetJsonAsync("/api/runs");
        Assert.Equal("comparison", runs.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("id").GetString() == id.ToString("N")).GetProperty("kind").GetString());
        var comparison = await server.GetJsonAsync($"/api/runs/{id:N}/comparison");
        Assert.Equal("store", comparison.GetProperty("source").GetString());
        Assert.Equal(6, comparison.GetProperty("rows").GetArrayLength());
        var strategies = (await server.GetJsonAsync($"/api/runs/{id:N}/strategies")).GetProperty("strategies").EnumerateArray().ToList();
        var staff = strategies.Single(s => s.GetProperty("name").GetString() == "more_staff");
        var strategyRun = staff.GetProperty("run_id").GetString()!;
        var direct = await server.GetJsonAsync($"/api/runs/{strategyRun}/series?authority=E08000012&metric=morale");
        var viaComparison = await server.GetJsonAsync($"/api/runs/{id:N}/strategies/more_staff/series?authority=E08000012&metric=morale");
        Assert.Equal(direct.GetProperty("points").ToString(), viaComparison.GetProperty("points").ToString());
        Assert.Equal(12, direct.GetProperty("points").GetArrayLength());
        Assert.Equal(id.ToString("N"), (await server.GetJsonAsync($"/api/runs/{strategyRun}")).GetProperty("parent").GetString());
    }

    [Fact]
    public async Task A_comparison_directory_under_the_results_root_is_listed_beside_the_store_s_runs()
    {
        var id = Guid.NewGuid().ToString("N");
        await TestRuns.ComparisonAsync(Path.Combine(server.ResultsRoot, id));
        var runs = await server.GetJsonAsync("/api/runs");
        Assert.Contains(runs.GetProperty("runs").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Equal("files", (await server.GetJsonAsync($"/api/runs/{id}/comparison")).GetProperty("source").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_endpoints()
    {
        var document = await server.GetJsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/runs", "/api/runs/{id}", "/api/runs/{id}/events", "/api/runs/{id}/series", "/api/runs/{id}/outcomes",
                     "/api/runs/{id}/comparison", "/api/runs/{id}/strategies/{strategy}/series", "/api/runs/{id}/report/{file}" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        Assert.True(paths.GetProperty("/api/runs").TryGetProperty("post", out _));
    }

    [Fact]
    public async Task The_Orleans_dashboard_is_mounted_at_orleans()
    {
        using var response = await server.Client.GetAsync("/orleans/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_dashboard_page_and_its_scripts_are_served_from_the_assembly()
    {
        using var page = await server.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        foreach (var asset in new[] { "/dashboard/app.js", "/dashboard/charts.js", "/dashboard/app.css" })
        {
            Assert.Contains(asset, html, StringComparison.Ordinal);
            using var response = await server.Client.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }
}
