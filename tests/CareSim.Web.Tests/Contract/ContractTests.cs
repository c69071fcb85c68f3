using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CareSim.Store.Tests;

namespace CareSim.Web.Tests.Contract;

/// <summary>A server with a store and a key that runs one run at a time and queues one: enough to see every status.</summary>
public sealed class ContractServerFixture : ServerFixture
{
    protected override Dictionary<string, string?> Settings => new()
    {
        ["CareSim:ApiKey"] = ApiKey,
        ["CareSim:MaxReplicas"] = "100000",
        ["CareSim:MaxHorizonMonths"] = "120",
        ["CareSim:MaxConcurrentRuns"] = "1",
        ["CareSim:MaxQueuedRuns"] = "1",
        ["CareSim:MaxRequestBodyBytes"] = "65536",
        ["CareSim:BlockSize"] = "1000",
    };
}

/// <summary>
/// Every endpoint's real responses (successes and errors) checked against the OpenAPI document
/// the server serves, with a JSON Schema validator: declared statuses, media types and bodies.
/// </summary>
public sealed class ContractTests(ContractServerFixture server) : IClassFixture<ContractServerFixture>
{
    private async Task<OpenApiContract> ContractAsync()
    {
        using var response = await server.Client.GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        return new OpenApiContract(await response.Content.ReadAsStringAsync());
    }

    private HttpRequestMessage Post(string path, string body, string mediaType, string? key = ServerFixture.ApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return request;
    }

    private async Task<JsonNode?> SendAsync(OpenApiContract contract, string template, HttpRequestMessage request, HttpStatusCode expected)
    {
        using var response = await server.Client.SendAsync(request);
        var body = await contract.CheckAsync(request.Method.Method, template, response);
        Assert.True(response.StatusCode == expected, $"{request.Method} {request.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode} {body?.ToJsonString()}");
        return body;
    }

    private Task<JsonNode?> GetAsync(OpenApiContract contract, string template, string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        SendAsync(contract, template, new HttpRequestMessage(HttpMethod.Get, path), expected);

    [Fact]
    public async Task The_document_has_only_the_API_its_key_scheme_and_problem_json_for_every_error()
    {
        var contract = await ContractAsync();
        Assert.All(contract.Operations, o => Assert.StartsWith("/api/", o.Split(' ')[1], StringComparison.Ordinal));
        Assert.Equal("apiKey", contract.Document["components"]!["securitySchemes"]!["ApiKey"]!["type"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", contract.Document["components"]!["securitySchemes"]!["ApiKey"]!["name"]!.GetValue<string>());
        foreach (var operation in contract.Operations)
        {
            var (method, path) = (operation.Split(' ')[0], operation.Split(' ')[1]);
            var responses = contract.Operation(method, path)["responses"]!.AsObject();
            Assert.Contains("500", responses.Select(r => r.Key));
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                Assert.True(response!["content"]?["application/problem+json"] is not null, $"{operation} {status} is not problem+json");
            // Writes need the key.
            var security = contract.Operation(method, path)["security"];
            Assert.True(method == "GET" ? security is null : security?[0]?["ApiKey"] is not null, $"{operation}: security {security?.ToJsonString()}");
        }

        // Numbers are numbers (never strings or NaN), nullable where null is possible.
        var point = contract.Document["components"]!["schemas"]!["SeriesPointView"]!["properties"]!;
        Assert.Equal("""["null","number"]""", point["mean"]!["type"]!.ToJsonString());
        Assert.Equal("\"number\"", contract.Document["components"]!["schemas"]!["RunView"]!["properties"]!["progress"]!["type"]!.ToJsonString());

        // The submission: its query overrides and each body type.
        var submit = contract.Operation("POST", "/api/runs");
        Assert.Equal(["replicas", "seed", "horizon_months"], submit["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Take(3));
        Assert.Equal(["application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"],
            submit["requestBody"]!["content"]!.AsObject().Select(c => c.Key));
        Assert.Equal("\"string\"", submit["requestBody"]!["content"]!["text/yaml"]!["schema"]!["type"]!.ToJsonString());
    }

    [Fact]
    public async Task Every_endpoint_answers_as_the_document_says()
    {
        var contract = await ContractAsync();

        await GetAsync(contract, "/api/metrics", "/api/metrics");
        await GetAsync(contract, "/api/observed", "/api/observed?authority=E08000014&metric=sw_fte");
        await GetAsync(contract, "/api/observed", "/api/observed?authority=E08000014", HttpStatusCode.BadRequest);

        // Submissions: YAML (each media type), JSON, and the errors. One slot and one place in the queue: each run is followed to its end.
        async Task<string> SubmitAndWait(HttpRequestMessage request)
        {
            var id = (await SendAsync(contract, "/api/runs", request, HttpStatusCode.Accepted))!["id"]!.GetValue<string>();
            var events = await server.EventsAsync(id);
            contract.Check("GET", "/api/runs/{id}/events", 200, "text/event-stream", "");
            foreach (var (_, data) in events) contract.Validate(contract.Schema("RunView"), JsonNode.Parse(data.GetRawText()), "event");
            Assert.Equal("completed", events[^1].Event);
            return id;
        }
        var yamlRun = await SubmitAndWait(Post("/api/runs?replicas=20&seed=5", TestRuns.Scenario, "text/yaml"));
        foreach (var mediaType in new[] { "application/x-yaml", "text/plain" }) await SubmitAndWait(Post("/api/runs", TestRuns.Scenario, mediaType));
        var jsonRun = await SubmitAndWait(Post("/api/runs", new JsonObject { ["scenario"] = TestRuns.Scenario, ["replicas"] = 10 }.ToJsonString(), "application/json"));
        await SendAsync(contract, "/api/runs", Post("/api/runs", "name: [", "application/yaml"), HttpStatusCode.BadRequest);
        await SendAsync(contract, "/api/runs", Post("/api/runs?replicas=0", TestRuns.Scenario, "application/yaml"), HttpStatusCode.BadRequest);
        await SendAsync(contract, "/api/runs", Post("/api/runs?colour=red", TestRuns.Scenario, "application/yaml"), HttpStatusCode.BadRequest);
        await SendAsync(contract, "/api/runs", Post("/api/runs", TestRuns.Scenario, "application/yaml", key: null), HttpStatusCode.Unauthorized);
        await SendAsync(contract, "/api/runs", Post("/api/runs", TestRuns.Scenario, "application/yaml", key: "wrong"), HttpStatusCode.Forbidden);
        await SendAsync(contract, "/api/runs", Post("/api/runs", TestRuns.Scenario + "#" + new string('x', 70_000), "application/yaml"), HttpStatusCode.RequestEntityTooLarge);
        await SendAsync(contract, "/api/runs", Post("/api/runs", "x", "application/xml"), HttpStatusCode.UnsupportedMediaType);

        await GetAsync(contract, "/api/runs/{id}/events", $"/api/runs/{Guid.NewGuid():N}/events", HttpStatusCode.NotFound);

        await GetAsync(contract, "/api/runs", "/api/runs");
        await GetAsync(contract, "/api/runs", "/api/runs?colour=red", HttpStatusCode.BadRequest);
        await GetAsync(contract, "/api/runs/{id}", $"/api/runs/{yamlRun}");
        await GetAsync(contract, "/api/runs/{id}", $"/api/runs/{Guid.NewGuid():N}", HttpStatusCode.NotFound);
        await GetAsync(contract, "/api/runs/{id}", "/api/runs/not-a-run", HttpStatusCode.BadRequest);

        // Results.
        await GetAsync(contract, "/api/runs/{id}/series", $"/api/runs/{yamlRun}/series?authority=E08000014&metric=caseload");
        await GetAsync(contract, "/api/runs/{id}/series", $"/api/runs/{yamlRun}/series?authority=E08000014", HttpStatusCode.BadRequest);
        await GetAsync(contract, "/api/runs/{id}/series", $"/api/runs/{yamlRun}/series?authority=E08000014&metric=caseload&month=2021-04", HttpStatusCode.BadRequest);
        await GetAsync(contract, "/api/runs/{id}/series", $"/api/runs/{yamlRun}/series?authority=X&metric=caseload", HttpStatusCode.NotFound);
        await GetAsync(contract, "/api/runs/{id}/outcomes", $"/api/runs/{yamlRun}/outcomes");
        await GetAsync(contract, "/api/runs/{id}/outcome-cdf", $"/api/runs/{jsonRun}/outcome-cdf");
        await GetAsync(contract, "/api/runs/{id}/totals", $"/api/runs/{yamlRun}/totals");
        await GetAsync(contract, "/api/runs/{id}/comparison", $"/api/runs/{yamlRun}/comparison", HttpStatusCode.NotFound);
        await GetAsync(contract, "/api/runs/{id}/strategies", $"/api/runs/{yamlRun}/strategies", HttpStatusCode.NotFound);
        await GetAsync(contract, "/api/runs/{id}/report", $"/api/runs/{yamlRun}/report");
        var hexmap = await GetAsync(contract, "/api/runs/{id}/hexmap", $"/api/runs/{yamlRun}/hexmap");
        Assert.Equal(["Liverpool", "Sefton"], hexmap!["cells"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order());
        await GetAsync(contract, "/api/runs/{id}/hexmap", $"/api/runs/{Guid.NewGuid():N}/hexmap", HttpStatusCode.NotFound);

        // A comparison (as sim compare writes it) under the results root, with a report.
        var comparison = Guid.NewGuid().ToString("N");
        var dir = await TestRuns.ComparisonAsync(Path.Combine(server.ResultsRoot, comparison));
        Directory.CreateDirectory(Path.Combine(dir, "report"));
        await File.WriteAllTextAsync(Path.Combine(dir, "report", "fan.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        await GetAsync(contract, "/api/runs/{id}/comparison", $"/api/runs/{comparison}/comparison");
        await GetAsync(contract, "/api/runs/{id}/strategies", $"/api/runs/{comparison}/strategies");
        await GetAsync(contract, "/api/runs/{id}/strategies/{strategy}/series", $"/api/runs/{comparison}/strategies/more_staff/series?authority=E08000012&metric=morale");
        await GetAsync(contract, "/api/runs/{id}/strategies/{strategy}/series", $"/api/runs/{comparison}/strategies/nope/series?authority=E08000012&metric=morale", HttpStatusCode.NotFound);
        await GetAsync(contract, "/api/runs/{id}/series", $"/api/runs/{comparison}/series?authority=E08000012&metric=morale", HttpStatusCode.NotFound);
        await GetAsync(contract, "/api/runs/{id}/report", $"/api/runs/{comparison}/report");
        await GetAsync(contract, "/api/runs/{id}/report/{file}", $"/api/runs/{comparison}/report/fan.svg");
        await GetAsync(contract, "/api/runs/{id}/report/{file}", $"/api/runs/{comparison}/report/nope.svg", HttpStatusCode.NotFound);

        // Downloads, and a cached result asked for again.
        var files = await GetAsync(contract, "/api/runs/{id}/files", $"/api/runs/{jsonRun}/files");
        Assert.Contains(files!["files"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "summary.csv");
        await GetAsync(contract, "/api/runs/{id}/files/{file}", $"/api/runs/{jsonRun}/files/summary.csv");
        await GetAsync(contract, "/api/runs/{id}/files/{file}", $"/api/runs/{jsonRun}/files/nope.csv", HttpStatusCode.NotFound);
        using (var first = await server.Client.GetAsync($"/api/runs/{jsonRun}/totals"))
        {
            var again = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{jsonRun}/totals");
            again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            await SendAsync(contract, "/api/runs/{id}/totals", again, HttpStatusCode.NotModified);
        }

        // A comparison submitted over HTTP, followed to its end.
        var submitted = (await SendAsync(contract, "/api/comparisons", Post("/api/comparisons?strategies=partner&by=2022-12", WebScenarios.WithStrategy, "text/yaml"),
            HttpStatusCode.Accepted))!["id"]!.GetValue<string>();
        Assert.Equal("completed", (await server.EventsAsync(submitted))[^1].Event);
        await SendAsync(contract, "/api/comparisons", Post("/api/comparisons", WebScenarios.WithStrategy, "text/yaml"), HttpStatusCode.BadRequest);
        await SendAsync(contract, "/api/comparisons", Post("/api/comparisons",
            new JsonObject { ["scenario"] = WebScenarios.WithStrategy, ["strategies"] = "partner", ["replicas"] = 10 }.ToJsonString(), "application/json"), HttpStatusCode.Accepted);
        await GetAsync(contract, "/api/runs/{id}/comparison", $"/api/runs/{submitted}/comparison");
        await GetAsync(contract, "/api/runs/{id}/outcomes", $"/api/runs/{submitted}/outcomes", HttpStatusCode.NotFound);
        var waitAll = await GetAsync(contract, "/api/runs", "/api/runs?status=queued");
        foreach (var r in waitAll!["runs"]!.AsArray()) await server.EventsAsync(r!["id"]!.GetValue<string>());
        foreach (var r in (await GetAsync(contract, "/api/runs", "/api/runs?status=running"))!["runs"]!.AsArray()) await server.EventsAsync(r!["id"]!.GetValue<string>());

        // A long run holds the only slot, a second waits (its results: 409), a third is refused (429).
        var running = (await SendAsync(contract, "/api/runs", Post("/api/runs?replicas=20000&horizon_months=120", TestRuns.Scenario, "application/yaml"), HttpStatusCode.Accepted))!["id"]!.GetValue<string>();
        var queued = (await SendAsync(contract, "/api/runs", Post("/api/runs?replicas=20000&horizon_months=120", TestRuns.Scenario, "application/yaml"), HttpStatusCode.Accepted))!["id"]!.GetValue<string>();
        await SendAsync(contract, "/api/runs", Post("/api/runs", TestRuns.Scenario, "application/yaml"), HttpStatusCode.TooManyRequests);
        foreach (var path in new[] { "outcomes", "outcome-cdf", "totals", "comparison", "strategies" })
            await GetAsync(contract, $"/api/runs/{{id}}/{path}", $"/api/runs/{queued}/{path}", HttpStatusCode.Conflict);
        await GetAsync(contract, "/api/runs/{id}/series", $"/api/runs/{queued}/series?authority=E08000014&metric=caseload", HttpStatusCode.Conflict);
        await GetAsync(contract, "/api/runs/{id}", $"/api/runs/{running}");
        await GetAsync(contract, "/api/runs", "/api/runs?status=running&sort=-scenario&limit=5");

        // Cancelling (202), removing (204), and what cannot be removed (404, 409).
        HttpRequestMessage Delete(string id, string? key = ServerFixture.ApiKey)
        {
            var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/runs/{id}");
            if (key is not null) request.Headers.Add("X-Api-Key", key);
            return request;
        }
        await SendAsync(contract, "/api/runs/{id}", Delete(running, key: null), HttpStatusCode.Unauthorized);
        await SendAsync(contract, "/api/runs/{id}", Delete(running), HttpStatusCode.Accepted);
        await SendAsync(contract, "/api/runs/{id}", Delete(queued), HttpStatusCode.Accepted);
        await SendAsync(contract, "/api/runs/{id}", Delete(yamlRun), HttpStatusCode.NoContent);
        await SendAsync(contract, "/api/runs/{id}", Delete(yamlRun), HttpStatusCode.NotFound);
        await SendAsync(contract, "/api/runs/{id}", Delete(comparison), HttpStatusCode.Conflict);

        Assert.Empty(contract.Operations.Except(contract.Checked));
    }
}

/// <summary>The checker itself: it refuses what the document does not allow (so the contract tests can fail).</summary>
public sealed class OpenApiContractCheckerTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("""{"month":"2021-04","mean":"NaN","p05":null,"p10":null,"p25":null,"p50":null,"p75":null,"p90":null,"p95":null}""")]
    [InlineData("""{"month":"2021-04","mean":1,"p05":null,"p10":null,"p25":null,"p50":null,"p75":null,"p90":null}""")]
    [InlineData("""{"month":"2021-04","mean":1,"p05":null,"p10":null,"p25":null,"p50":null,"p75":null,"p90":null,"p95":null,"extra":1}""")]
    public async Task Values_the_document_does_not_allow_are_refused(string point)
    {
        var contract = new OpenApiContract(await server.Client.GetStringAsync("/openapi/v1.json"));
        contract.Validate(contract.Schema("SeriesPointView"),
            JsonNode.Parse("""{"month":"2021-04","mean":1.5,"p05":null,"p10":null,"p25":null,"p50":null,"p75":null,"p90":null,"p95":2}"""), "valid");
        Assert.Throws<Xunit.Sdk.XunitException>(() => contract.Validate(contract.Schema("SeriesPointView"), JsonNode.Parse(point), "invalid"));
        Assert.Throws<Xunit.Sdk.XunitException>(() => contract.Check("GET", "/api/runs/{id}", 418, "application/json", "{}"));
    }
}
