using System.Text.Json;
using CareSim.Store.Tests;

namespace CareSim.Web.Tests;

/// <summary>The dashboard page in headless Chromium: a run submitted through the API shows, and its charts are drawn. Screenshots go to TestResults/.</summary>
public sealed class DashboardBrowserTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    public static string ArtefactDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulation.sln"))) dir = dir.Parent;
        var path = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "TestResults");
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public async Task A_run_submitted_through_the_API_shows_on_the_dashboard_with_its_charts_drawn()
    {
        var id = await server.SubmitAsync();
        Assert.Equal("completed", (await server.EventsAsync(id))[^1].Event);

        await using var browser = await Chromium.StartAsync();
        await browser.NavigateAsync($"{server.BaseUrl}/#run={id}");
        await browser.WaitForAsync("document.body.dataset.state === 'ready'", TimeSpan.FromSeconds(30));

        // The run is listed and selected.
        Assert.True((await browser.EvaluateAsync($"!!document.querySelector('#runs tr.selected[data-run-id=\"{id}\"]')")).GetBoolean());
        Assert.Equal("store test", (await browser.EvaluateAsync("document.getElementById('run-title').textContent")).GetString());

        // Fan chart: 12 months, two bands, median and mean paths with data.
        Assert.Equal("fan", (await browser.EvaluateAsync("document.getElementById('fan-chart').dataset.rendered")).GetString());
        Assert.Equal("12", (await browser.EvaluateAsync("document.getElementById('fan-chart').dataset.points")).GetString());
        var series = await browser.EvaluateAsync("[...document.querySelectorAll('#fan-chart path[data-series]')].map(p => p.dataset.series + ':' + p.getAttribute('d').length)");
        var drawn = series.EnumerateArray().Select(e => e.GetString()!.Split(':')).ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["p05-p95", "p25-p75", "median", "mean"], drawn.Keys);
        Assert.All(drawn.Values, length => Assert.True(length > 50));

        // Grade probabilities: four stacked layers over the 12 months.
        Assert.Equal("stacked", (await browser.EvaluateAsync("document.getElementById('grade-chart').dataset.rendered")).GetString());
        Assert.Equal(4, (await browser.EvaluateAsync("document.querySelectorAll('#grade-chart path[data-series]').length")).GetInt32());
        // Outcomes table: one row per outcome of the selected authority.
        var outcomes = CareSim.Store.ResultsDirectory.Open(Path.Combine(server.ResultsRoot, id)).ReadOutcomes().Count(o => o.Authority == "E08000014");
        Assert.True(outcomes >= 2);
        Assert.Equal(outcomes, (await browser.EvaluateAsync("document.querySelectorAll('#outcomes tbody tr').length")).GetInt32());

        // Another metric and authority redraw the fan chart from the API.
        await browser.EvaluateAsync("(() => { const a = document.getElementById('authority'); a.value = 'E08000012'; a.dispatchEvent(new Event('change')); " +
                                    "const m = document.getElementById('metric'); m.value = 'caseload'; m.dispatchEvent(new Event('change')); })()");
        await browser.WaitForAsync("document.body.dataset.state === 'ready' && document.getElementById('fan-title').textContent === 'Caseload (cases per case-holding FTE) — Liverpool'", TimeSpan.FromSeconds(20));
        Assert.Equal("fan", (await browser.EvaluateAsync("document.getElementById('fan-chart').dataset.rendered")).GetString());

        // Names, not codes; readable labels; the run list tells runs apart.
        Assert.Contains("Sefton (E08000014)", (await browser.EvaluateAsync("[...document.getElementById('authority').options].map(o => o.textContent).join('|')")).GetString(), StringComparison.Ordinal);
        Assert.Equal("Children looked after", (await browser.EvaluateAsync("[...document.getElementById('metric').options].find(o => o.value === 'cla_per_10k').textContent")).GetString());
        var listed = (await browser.EvaluateAsync($"document.querySelector('#runs tr[data-run-id=\"{id}\"]').textContent")).GetString()!;
        Assert.Contains("store test", listed, StringComparison.Ordinal);
        Assert.Contains("20", listed, StringComparison.Ordinal); // replicas
        // Downloads: each table as CSV and Parquet.
        var downloads = await browser.EvaluateAsync("[...document.querySelectorAll('#download-links a')].map(a => a.getAttribute('href'))");
        Assert.Contains($"/api/runs/{id}/files/summary.csv", downloads.EnumerateArray().Select(e => e.GetString()));
        Assert.Contains($"/api/runs/{id}/files/summary.parquet", downloads.EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(browser.Errors);

        var png = await browser.ScreenshotAsync();
        Assert.True(png.Length > 10_000);
        await File.WriteAllBytesAsync(Path.Combine(ArtefactDirectory(), "dashboard-run.png"), png);
    }

    [Fact]
    public async Task A_running_run_is_followed_until_it_completes_then_drawn()
    {
        var id = await server.SubmitAsync("?replicas=200&horizon_months=36");
        await using var browser = await Chromium.StartAsync();
        await browser.NavigateAsync($"{server.BaseUrl}/#run={id}");
        await browser.WaitForAsync("document.body.dataset.state === 'ready'", TimeSpan.FromSeconds(60));
        Assert.Equal("36", (await browser.EvaluateAsync("document.getElementById('fan-chart').dataset.points")).GetString());
        var status = await server.GetJsonAsync($"/api/runs/{id}");
        Assert.Equal("completed", status.GetProperty("status").GetString());
    }
}

/// <summary>The comparison view, on a server reading results directories.</summary>
public sealed class ComparisonBrowserTests(FilesServerFixture server) : IClassFixture<FilesServerFixture>
{
    [Fact]
    public async Task A_comparison_shows_differences_with_intervals_and_a_strategy_s_charts()
    {
        var id = Guid.NewGuid().ToString("N");
        await TestRuns.ComparisonAsync(Path.Combine(server.ResultsRoot, id));

        await using var browser = await Chromium.StartAsync();
        await browser.NavigateAsync($"{server.BaseUrl}/#run={id}");
        await browser.WaitForAsync("document.body.dataset.state === 'ready'", TimeSpan.FromSeconds(30));

        Assert.Equal("intervals", (await browser.EvaluateAsync("document.getElementById('comparison-chart').dataset.rendered")).GetString());
        // One strategy against the baseline: its interval bar and its difference.
        var bars = await browser.EvaluateAsync("[...document.querySelectorAll('#comparison-chart [data-strategy]')].map(e => e.dataset.series + ':' + e.dataset.strategy)");
        Assert.Equal(["ci:more_staff", "difference:more_staff"], bars.EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("fan", (await browser.EvaluateAsync("document.getElementById('fan-chart').dataset.rendered")).GetString());
        Assert.Equal("stacked", (await browser.EvaluateAsync("document.getElementById('grade-chart').dataset.rendered")).GetString());

        var png = await browser.ScreenshotAsync();
        await File.WriteAllBytesAsync(Path.Combine(DashboardBrowserTests.ArtefactDirectory(), "dashboard-comparison.png"), png);
        Assert.True(png.Length > 10_000);
        _ = JsonSerializer.Serialize(bars);
    }
}
