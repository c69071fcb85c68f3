using System.Net;
using System.Text.Json;
using CareSim.Store.Tests;

namespace CareSim.Web.Tests;

/// <summary>A server without a store whose replica limit is the format's, so that only its memory bounds a run.</summary>
public sealed class LimitsServerFixture : ServerFixture
{
    protected override bool UseStore => false;

    protected override Dictionary<string, string?> Settings => new()
    {
        ["CareSim:ApiKey"] = ApiKey,
        ["CareSim:MaxReplicas"] = "10000000",
        ["CareSim:MaxRequestBodyBytes"] = "262144",
    };
}

/// <summary>Bodies that would crash a reader or exhaust the server get a 4xx problem, and the server stays up.</summary>
public sealed class InputLimitApiTests(LimitsServerFixture server) : IClassFixture<LimitsServerFixture>
{
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task AssertServerUpAsync()
    {
        using var response = await server.Client.GetAsync("/api/runs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("name: x\ndescription: ")]
    [InlineData("parameter_files: ")] // also read, for the parameter-files check, before the loader
    public async Task Deeply_nested_yaml_gets_a_400_with_its_position_and_the_server_stays_up(string prefix)
    {
        using var response = await server.SubmitYamlAsync(prefix + new string('[', 50_000) + new string(']', 50_000));
        var error = (await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors")[0];
        Assert.Equal("scenario", error.GetProperty("file").GetString());
        Assert.StartsWith("nesting deeper than 64 levels", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertServerUpAsync();
    }

    [Fact]
    public async Task Deeply_nested_json_gets_a_400_and_the_server_stays_up()
    {
        using var asObject = await server.SubmitJsonAsync("{\"scenario\": " + new string('[', 50_000) + new string(']', 50_000) + "}");
        var problem = await ProblemAsync(asObject, HttpStatusCode.BadRequest);
        Assert.Contains("nested deeper than 65 levels", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var asText = await server.SubmitJsonAsync(JsonSerializer.Serialize(new { scenario = "parameter_files: " + new string('[', 50_000) }));
        var error = (await ProblemAsync(asText, HttpStatusCode.BadRequest)).GetProperty("errors")[0];
        Assert.Equal(("scenario", 1, 18 + 64 - 1), (error.GetProperty("file").GetString(), error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32()));
        await AssertServerUpAsync();
    }

    [Fact]
    public async Task A_run_that_cannot_fit_in_memory_gets_a_422_with_the_estimate()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulation.sln"))) dir = dir.Parent;
        var yaml = await File.ReadAllTextAsync(Path.Combine(dir!.FullName, "scenarios", "liverpool-city-region.yaml"));
        using var response = await server.SubmitYamlAsync(yaml, "?replicas=10000000");
        var error = (await ProblemAsync(response, HttpStatusCode.UnprocessableEntity)).GetProperty("errors")[0];
        Assert.Equal("replicas", error.GetProperty("path").GetString());
        Assert.Matches(@"^the run needs about 1\d\d\.\d GiB of memory \(10,000,000 replicas x 6 authorities\) and this machine has .* available; at most [\d,]+ replicas fit",
            error.GetProperty("message").GetString());
        using var list = await server.Client.GetAsync("/api/runs");
        Assert.DoesNotContain("liverpool", await list.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        using var small = await server.SubmitYamlAsync(TestRuns.Scenario, "?replicas=10");
        Assert.Equal(HttpStatusCode.Accepted, small.StatusCode);
    }

    [Theory]
    [InlineData("{\"scenario\": \"x\", \"replicas\": \"many\"}", "replicas", "expected a whole number")]
    [InlineData("{\"scenario\": \"x\", \"replicas\": 1e99}", "replicas", "expected a whole number")]
    [InlineData("{\"scenario\": \"x\", \"seed\": -1}", "seed", "expected a whole number of 0 or more")]
    [InlineData("{\"scenario_yaml\": \"x\"}", "scenario_yaml", "unknown field 'scenario_yaml'; the fields are scenario, replicas, seed and horizon_months")]
    public async Task A_bad_envelope_is_a_400_in_plain_words(string body, string path, string message)
    {
        using var response = await server.SubmitJsonAsync(body);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var error = problem.GetProperty("errors")[0];
        Assert.Equal(path, error.GetProperty("path").GetString());
        Assert.StartsWith(message + " (line 1, byte ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(".NET", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
