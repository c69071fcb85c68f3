using System.Diagnostics;
using System.Text.Json;

namespace CareSim.Web.Tests;

/// <summary>A server for an England-wide run: bodies up to 1 MiB (the scenario is about 250 KB), official figures from the repository's data/.</summary>
public sealed class EnglandServerFixture : ServerFixture
{
    protected override bool UseStore => false;

    protected override Dictionary<string, string?> Settings => new()
    {
        ["CareSim:ApiKey"] = ApiKey,
        ["CareSim:BlockSize"] = "8",
        ["CareSim:ObservedData"] = Path.Combine(Repository.Root, "data"),
    };
}

public static class Repository
{
    public static string Root => CareSim.TestSupport.RepositoryRoot.Path;
}

/// <summary>
/// The dashboard's overview of an England run made by sim scenario from-data --all, in headless
/// Chromium: the map and the league table of every authority, a click through to one authority
/// with its official figures and the history/projection boundary, values on hover, no console errors.
/// </summary>
public sealed class EnglandDashboardTests(EnglandServerFixture server) : IClassFixture<EnglandServerFixture>
{
    private static async Task<string> EnglandScenarioAsync()
    {
        var file = Path.Combine(CareSim.Store.Tests.TestRuns.TempDirectory(), "england.yaml");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "sim.dll"), "scenario", "from-data", "--all", "--as-of", "2023-03-31",
                     "--data", Path.Combine(Repository.Root, "data"), "--horizon", "24", "--replicas", "8", "--out", file })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        return await File.ReadAllTextAsync(file);
    }

    [Fact]
    public async Task The_overview_of_an_England_run_shows_every_authority_and_a_click_opens_one()
    {
        var scenario = await EnglandScenarioAsync();
        using var submitted = await server.SubmitYamlAsync(scenario, "?label=England%20from%20data");
        var body = await submitted.Content.ReadAsStringAsync();
        Assert.True(submitted.StatusCode == System.Net.HttpStatusCode.Accepted, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        Assert.Equal("completed", (await server.EventsAsync(id))[^1].Event);
        var run = await server.GetJsonAsync($"/api/runs/{id}");
        var authorities = run.GetProperty("authorities").GetArrayLength();
        Assert.True(authorities >= 150, $"{authorities} authorities");

        await using var browser = await Chromium.StartAsync(1400, 2200);
        await browser.NavigateAsync($"{server.BaseUrl}/#run={id}");
        await browser.WaitForAsync("document.body.dataset.state === 'ready'", TimeSpan.FromSeconds(60));
        Assert.Equal("England from data", (await browser.EvaluateAsync("document.getElementById('run-title').textContent")).GetString());

        // The map: one hex per authority, shaded by P(good or better by the last date); the league table: one row each, with names.
        Assert.False((await browser.EvaluateAsync("document.getElementById('overview').hidden")).GetBoolean());
        Assert.Equal("hexmap", (await browser.EvaluateAsync("document.getElementById('hexmap').dataset.rendered")).GetString());
        Assert.Equal(authorities, (await browser.EvaluateAsync("document.querySelectorAll('#hexmap [data-code]').length")).GetInt32());
        Assert.True((await browser.EvaluateAsync("[...document.querySelectorAll('#hexmap [data-code]')].filter(h => h.dataset.value !== '').length")).GetInt32() > authorities / 2);
        Assert.Equal(authorities, (await browser.EvaluateAsync("document.querySelectorAll('#league tbody tr').length")).GetInt32());
        var names = await browser.EvaluateAsync("[...document.querySelectorAll('#league tbody tr td:first-child')].map(td => td.textContent)");
        Assert.Contains("Sefton", names.EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain(names.EnumerateArray(), e => System.Text.RegularExpressions.Regex.IsMatch(e.GetString()!, "^E\\d{8}$"));

        // Sorted by the chosen measure, highest first; a click on a header sorts by it.
        var shares = await browser.EvaluateAsync("[...document.querySelectorAll('#league tbody tr')].map(tr => tr.dataset.code)");
        Assert.Equal(authorities, shares.GetArrayLength());
        await browser.EvaluateAsync("document.querySelector('#league th[data-sort=\"name\"]').click()");
        Assert.True((await browser.EvaluateAsync("(() => { const n = [...document.querySelectorAll('#league tbody tr td:first-child')].map(td => td.textContent); " +
                                                 "return n.join('|') === n.slice().sort((a, b) => a.localeCompare(b, 'en-GB')).join('|'); })()")).GetBoolean());
        Assert.NotEqual(shares.ToString(), (await browser.EvaluateAsync("[...document.querySelectorAll('#league tbody tr')].map(tr => tr.dataset.code)")).ToString());

        // Another measure re-shades the map.
        await browser.EvaluateAsync("(() => { const m = document.getElementById('overview-measure'); m.value = 'cost'; m.dispatchEvent(new Event('change')); })()");
        Assert.Contains("cost", (await browser.EvaluateAsync("document.getElementById('hexmap-note').textContent")).GetString()!, StringComparison.OrdinalIgnoreCase);

        // A click on Sefton's hex opens Sefton: its fan chart with official figures and where the projection starts.
        await browser.EvaluateAsync("document.querySelector('#hexmap [data-code=\"E08000014\"]').dispatchEvent(new MouseEvent('click', { bubbles: true }))");
        await browser.WaitForAsync("location.hash.includes('authority=E08000014') && document.body.dataset.state === 'ready' && document.getElementById('authority').value === 'E08000014'",
            TimeSpan.FromSeconds(30));
        await browser.EvaluateAsync("(() => { const m = document.getElementById('metric'); m.value = 'sw_fte'; m.dispatchEvent(new Event('change')); })()");
        await browser.WaitForAsync("document.body.dataset.state === 'ready' && document.getElementById('fan-title').textContent.endsWith('Sefton')", TimeSpan.FromSeconds(30));
        Assert.Equal("Sefton", (await browser.EvaluateAsync("document.getElementById('authority-title').textContent")).GetString());
        Assert.Equal("fan", (await browser.EvaluateAsync("document.getElementById('fan-chart').dataset.rendered")).GetString());
        Assert.True(int.Parse((await browser.EvaluateAsync("document.getElementById('fan-chart').dataset.observed")).GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(1, (await browser.EvaluateAsync("document.querySelectorAll('#fan-chart [data-series=\"boundary\"]').length")).GetInt32());
        Assert.Equal("E08000014", (await browser.EvaluateAsync("document.querySelector('#league tbody tr.selected').dataset.code")).GetString());

        // Hover: the month's values.
        await browser.EvaluateAsync("(() => { const r = document.querySelector('#fan-chart [data-hover]').getBoundingClientRect(); " +
                                    "document.querySelector('#fan-chart [data-hover]').dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: r.left + r.width * 0.9, clientY: r.top + r.height / 2 })); })()");
        var tip = (await browser.EvaluateAsync("document.getElementById('tooltip').hidden ? '' : document.getElementById('tooltip').textContent")).GetString()!;
        Assert.Matches("^20\\d\\d-\\d\\d", tip);
        Assert.Contains("median", tip, StringComparison.Ordinal);

        var png = await browser.ScreenshotAsync();
        await File.WriteAllBytesAsync(Path.Combine(DashboardBrowserTests.ArtefactDirectory(), "dashboard-england.png"), png);
        Assert.True(png.Length > 20_000);
        Assert.Empty(browser.Errors);
    }
}
