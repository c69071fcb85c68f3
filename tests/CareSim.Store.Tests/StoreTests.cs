using System.Globalization;
using CareSim.Engine.Results;
using CareSim.Store;

namespace CareSim.Store.Tests;

public sealed class StoreTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private TestDatabase Db => fixture.Database;

    /// <summary>
    /// The query docs/results.md gives Grafana, Metabase and Power BI users, as written there, with
    /// its example run id, authority and metric replaced by this test's.
    /// </summary>
    private static string TrajectoryQuery(Guid runId, string authority, string metric)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Simulation.sln"))) dir = dir.Parent;
        var doc = File.ReadAllText(Path.Combine(dir.FullName, "docs", "results.md"));
        var section = doc[doc.IndexOf("### Charting a trajectory", StringComparison.Ordinal)..];
        var start = section.IndexOf("```sql\n", StringComparison.Ordinal) + "```sql\n".Length;
        var sql = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        Assert.Contains("'0068399c-66e3-485a-8854-88e886f9e9f1'", sql, StringComparison.Ordinal);
        return sql.Replace("'0068399c-66e3-485a-8854-88e886f9e9f1'", $"'{runId}'", StringComparison.Ordinal)
            .Replace("'E08000014'", $"'{authority}'", StringComparison.Ordinal)
            .Replace("'practice_quality'", $"'{metric}'", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrations_are_applied_once_and_idempotently_even_when_tools_start_together()
    {
        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresResultsStore.OpenAsync(Db.ConnectionString)));
        foreach (var store in opened)
        {
            Assert.Empty(await store.MigrateAsync());
            await store.DisposeAsync();
        }
        Assert.Equal(StoreMigrations.All.Count, await Db.ScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(StoreMigrations.All.Max(m => m.Version), await Db.ScalarAsync<int>("SELECT max(version) FROM schema_migrations"));
        // The index a dashboard query needs: one run, one authority, one metric, all months.
        var index = await Db.ScalarAsync<string>("SELECT indexdef FROM pg_indexes WHERE tablename = 'summary_series' AND indexname = 'summary_series_pkey'");
        Assert.Contains("(run_id, authority, metric, month)", index, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_loaded_from_its_results_directory_reads_back_through_SQL_and_the_store()
    {
        await using var store = await PostgresResultsStore.OpenAsync(Db.ConnectionString);
        var dir = Path.Combine(TestRuns.TempDirectory(), "run");
        var id = Guid.NewGuid();
        var result = await TestRuns.RunAsync(dir, publishers: [new PostgresResultsPublisher(store, id, TestRuns.Scenario)]);

        var csv = File.ReadAllLines(Path.Combine(dir, ResultsWriter.SummaryCsv));
        Assert.Equal(csv.Length - 1, await Db.ScalarAsync<int>("SELECT count(*) FROM summary_series WHERE run_id = @id", ("id", id)));
        Assert.Equal(File.ReadAllLines(Path.Combine(dir, ResultsWriter.OutcomesCsv)).Length - 1,
            await Db.ScalarAsync<int>("SELECT count(*) FROM outcomes WHERE run_id = @id", ("id", id)));
        Assert.Equal(File.ReadAllLines(Path.Combine(dir, ResultsWriter.OutcomeCdfCsv)).Length - 1,
            await Db.ScalarAsync<int>("SELECT count(*) FROM outcome_cdf WHERE run_id = @id", ("id", id)));
        Assert.Equal(2, await Db.ScalarAsync<int>("SELECT count(*) FROM totals WHERE run_id = @id", ("id", id)));
        Assert.Equal("completed", await Db.ScalarAsync<string>("SELECT status FROM runs WHERE id = @id", ("id", id)));
        Assert.Equal(20, await Db.ScalarAsync<int>("SELECT (manifest->>'replicas')::int FROM runs WHERE id = @id", ("id", id)));
        Assert.Equal(TestRuns.Scenario, await Db.ScalarAsync<string>(
            "SELECT s.yaml FROM scenarios s JOIN runs r ON r.scenario_sha256 = s.sha256 WHERE r.id = @id", ("id", id)));

        // The documented trajectory query gives the file's numbers, month by month.
        var expected = csv.Skip(1).Select(l => l.Split(',')).Where(f => f[0] == "E08000012" && f[2] == "practice_quality").ToList();
        var rows = await Db.RowsAsync(TrajectoryQuery(id, "E08000012", "practice_quality"));
        Assert.Equal(12, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected[i][1] + "-01", ((DateOnly)rows[i][0]!).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Assert.Equal(double.Parse(expected[i][4], CultureInfo.InvariantCulture), (double)rows[i][1]!); // p05
            Assert.Equal(double.Parse(expected[i][3], CultureInfo.InvariantCulture), (double)rows[i][4]!); // mean
        }

        // And the store's own reads agree.
        var series = await store.GetSeriesAsync(id, "E08000012", "practice_quality");
        Assert.Equal(expected.Select(f => f[1]), series.Select(p => p.Month));
        Assert.Equal(expected.Select(f => double.Parse(f[9], CultureInfo.InvariantCulture)), series.Select(p => p.P90!.Value));
        var run = await store.GetRunAsync(id);
        Assert.NotNull(run);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(["E08000014", "E08000012"], run.Authorities);
        Assert.Equal(result.Manifest.Metrics, run.Metrics);
        Assert.Equal(3UL, run.Seed);
        Assert.Equal("2021-04", run.Start);
        Assert.Contains(await store.ListRunsAsync(), r => r.Id == id);
        var outcomes = await store.GetOutcomesAsync(id);
        Assert.Equal(result.Outcomes.Count, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(20, o.Replicas));
        Assert.Equal(File.ReadAllLines(Path.Combine(dir, ResultsWriter.OutcomeCdfCsv)).Length - 1, (await store.GetOutcomeCdfAsync(id)).Count);
        var totals = await store.GetTotalsAsync(id);
        Assert.Equal(result.Totals.Select(t => t.MeanTotalCost).Order(), totals.Select(t => t.MeanTotalCostGbpM).Order());
        Assert.All(totals, t => Assert.Equal(1.0, t.FinalGradeShares.Values.Sum(v => v!.Value), 6));
    }

    [Fact]
    public async Task Loading_a_run_id_again_replaces_its_rows_without_duplicates()
    {
        await using var store = await PostgresResultsStore.OpenAsync(Db.ConnectionString);
        var root = TestRuns.TempDirectory();
        var first = Path.Combine(root, "first");
        var second = Path.Combine(root, "second");
        await TestRuns.RunAsync(first, seed: 3);
        await TestRuns.RunAsync(second, seed: 99);
        var id = Guid.NewGuid();
        var other = Guid.NewGuid();
        await store.LoadAsync(other, first);
        await store.LoadAsync(id, first);
        var count = await Db.ScalarAsync<int>("SELECT count(*) FROM summary_series WHERE run_id = @id", ("id", id));
        await store.LoadAsync(id, second);
        await store.LoadAsync(id, second);

        Assert.Equal(count, await Db.ScalarAsync<int>("SELECT count(*) FROM summary_series WHERE run_id = @id", ("id", id)));
        Assert.Equal(0, await Db.ScalarAsync<int>("""
            SELECT count(*) FROM (SELECT 1 FROM outcome_cdf WHERE run_id = @id GROUP BY authority, outcome, months HAVING count(*) > 1) d
            """, ("id", id)));
        Assert.Equal(99UL, (await store.GetRunAsync(id))!.Seed);
        var fromSecond = ResultsDirectory.Open(second).ReadSeries("E08000014", "sw_fte");
        Assert.Equal(fromSecond, await store.GetSeriesAsync(id, "E08000014", "sw_fte"));
        // The other run is untouched.
        Assert.Equal(ResultsDirectory.Open(first).ReadSeries("E08000014", "sw_fte"), await store.GetSeriesAsync(other, "E08000014", "sw_fte"));
    }

    [Fact]
    public async Task A_load_that_fails_half_way_leaves_the_previous_rows_as_they_were()
    {
        await using var store = await PostgresResultsStore.OpenAsync(Db.ConnectionString);
        var root = TestRuns.TempDirectory();
        var good = Path.Combine(root, "good");
        var bad = Path.Combine(root, "bad");
        await TestRuns.RunAsync(good, seed: 3);
        await TestRuns.RunAsync(bad, seed: 5);
        File.AppendAllText(Path.Combine(bad, ResultsWriter.OutcomeCdfCsv), "E08000014,months_to_good,not-a-number,0.5\n");
        var id = Guid.NewGuid();
        await store.LoadAsync(id, good);
        var before = await store.GetSeriesAsync(id, "E08000014", "caseload");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.LoadAsync(id, bad));
        Assert.Contains("outcome_cdf.csv", error.Message, StringComparison.Ordinal);

        Assert.Equal(before, await store.GetSeriesAsync(id, "E08000014", "caseload"));
        Assert.Equal(3UL, (await store.GetRunAsync(id))!.Seed);
        Assert.Equal(RunStatus.Completed, (await store.GetRunAsync(id))!.Status);
    }

    [Fact]
    public async Task A_comparison_loads_with_its_strategies_as_runs_and_reloads_without_duplicates()
    {
        await using var store = await PostgresResultsStore.OpenAsync(Db.ConnectionString);
        var dir = await TestRuns.ComparisonAsync(Path.Combine(TestRuns.TempDirectory(), "comparison"));
        var id = Guid.NewGuid();
        await store.LoadAsync(id, dir);
        await store.LoadAsync(id, dir);

        var run = await store.GetRunAsync(id);
        Assert.Equal(RunKind.Comparison, run!.Kind);
        var rows = await store.GetComparisonAsync(id);
        Assert.Equal(6, rows.Count);
        var cost = rows.Single(r => r.Strategy == "more_staff" && r.Measure == "cost");
        Assert.Equal("GBP m, total", cost.Unit);
        Assert.Equal((10.5, 8.25, 12.75, 2), (cost.Difference!.Value, cost.CiLow!.Value, cost.CiHigh!.Value, cost.Rank));
        Assert.Null(rows.Single(r => r.Strategy == "baseline" && r.Measure == "cost").PBeatsBaseline);

        var strategies = await store.GetStrategiesAsync(id);
        Assert.Equal(["baseline", "more_staff"], strategies.Select(s => s.Name));
        Assert.Equal("Recruit, with \"quotes\"", strategies[1].Description);
        foreach (var strategy in strategies)
        {
            Assert.Equal(PostgresResultsStore.StrategyRunId(id, strategy.Name), strategy.RunId);
            var strategyRun = await store.GetRunAsync(strategy.RunId!.Value);
            Assert.Equal(id, strategyRun!.ParentId);
            Assert.Equal(strategy.Name, strategyRun.Strategy);
            Assert.Equal(ResultsDirectory.Open(Path.Combine(dir, "strategies", strategy.Name)).ReadSeries("E08000012", "morale"),
                await store.GetSeriesAsync(strategy.RunId.Value, "E08000012", "morale"));
        }
        Assert.Equal(2, await Db.ScalarAsync<int>("SELECT count(*) FROM runs WHERE parent_id = @id", ("id", id)));
        // Strategies' runs are not listed as runs of their own.
        Assert.DoesNotContain(await store.ListRunsAsync(), r => r.ParentId is not null);
    }

    [Fact]
    public async Task Status_of_a_run_goes_queued_running_failed_or_completed()
    {
        await using var store = await PostgresResultsStore.OpenAsync(Db.ConnectionString);
        var id = Guid.NewGuid();
        await store.RecordQueuedAsync(id, "store test", "abc", "name: x", 20, 3, "2021-04", 12);
        Assert.Equal((RunStatus.Queued, 0.0), Status(await store.GetRunAsync(id)));
        await store.RecordRunningAsync(id);
        await store.RecordProgressAsync(id, 0.5);
        Assert.Equal((RunStatus.Running, 0.5), Status(await store.GetRunAsync(id)));
        await store.RecordFailedAsync(id, "boom");
        var failed = await store.GetRunAsync(id);
        Assert.Equal(RunStatus.Failed, failed!.Status);
        Assert.Equal("boom", failed.Error);

        var dir = Path.Combine(TestRuns.TempDirectory(), "run");
        await TestRuns.RunAsync(dir);
        await store.LoadAsync(id, dir);
        var completed = await store.GetRunAsync(id);
        Assert.Equal((RunStatus.Completed, 1.0), Status(completed));
        Assert.Null(completed!.Error);
        Assert.NotNull(completed.Started);
        Assert.Equal("name: x", await Db.ScalarAsync<string>("SELECT yaml FROM scenarios WHERE sha256 = 'abc'"));

        static (string, double) Status(RunRecord? run) => (run!.Status, run.Progress);
    }
}

/// <summary>One database for the tests of a class.</summary>
public sealed class TestDatabaseFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public Task InitializeAsync() => Database.InitializeAsync();

    public Task DisposeAsync() => Database.DisposeAsync();
}
