using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CareSim.Cluster.Tests;

/// <summary>`sim serve` as a client of the cluster: a run submitted through the API is simulated by the silos.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ServeOnClusterTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Sim_serve_on_the_cluster_runs_a_submitted_scenario_with_the_embedded_runs_numbers()
    {
        const int replicas = 60, horizon = 36; // past Sefton's outcomes_from (2024-01)
        var embedded = Path.Combine(cluster.WorkingDirectory, $"embedded-{Guid.NewGuid():N}");
        using (var run = SimProcess.Start("embedded run", cluster.WorkingDirectory, new Dictionary<string, string>(),
                   "run", Repo.Scenario("sefton-2022-23.yaml"), "--replicas", "60", "--horizon", "36", "--seed", "11", "--out", embedded, "--quiet"))
        {
            Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(3)) == 0, run.Output);
        }

        var port = Repo.FreePort();
        var root = Path.Combine(cluster.WorkingDirectory, $"serve-{Guid.NewGuid():N}");
        using var serve = cluster.StartClient("sim serve", "serve", "--urls", $"http://127.0.0.1:{port}", "--results-root", root);
        await serve.WaitForLineAsync("Listening on", TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var body = new ByteArrayContent(await File.ReadAllBytesAsync(Repo.Scenario("sefton-2022-23.yaml")));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        var submitted = await http.PostAsync(string.Create(CultureInfo.InvariantCulture, $"/api/runs?replicas={replicas}&horizon_months={horizon}&seed=11"), body);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        string status;
        do
        {
            await Task.Delay(200);
            var run = JsonDocument.Parse(await http.GetStringAsync($"/api/runs/{id}")).RootElement;
            status = run.GetProperty("status").GetString()!;
            Assert.True(status != "failed", run.ToString());
        }
        while (status != "completed" && DateTime.UtcNow < deadline);
        Assert.Equal("completed", status);

        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(embedded, "summary.csv")), await File.ReadAllBytesAsync(Path.Combine(root, id, "summary.csv")));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(embedded, "outcomes.csv")), await File.ReadAllBytesAsync(Path.Combine(root, id, "outcomes.csv")));
        // The Orleans dashboard, served through the cluster client.
        var dashboard = await http.GetAsync("/orleans/");
        Assert.True(dashboard.IsSuccessStatusCode, $"/orleans/ answered {(int)dashboard.StatusCode}");
        Assert.DoesNotContain("grain storage", serve.Output, StringComparison.OrdinalIgnoreCase);
    }
}
