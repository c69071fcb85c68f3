using CareSim.Engine.Results;
using Npgsql;

namespace CareSim.Store.Tests;

/// <summary>The documented read-only role (docs/results-reader.sql) and the views dashboards read (series_by_name, outcomes_by_name).</summary>
public sealed class ReadOnlyRoleTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private TestDatabase Db => fixture.Database;

    /// <summary>docs/results-reader.sql with its psql variables filled in, as psql -v would.</summary>
    private static string RoleScript(string reader, string password, string database)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Simulation.sln"))) dir = dir.Parent;
        return File.ReadAllText(Path.Combine(dir.FullName, "docs", "results-reader.sql"))
            .Replace(":\"reader\"", $"\"{reader}\"", StringComparison.Ordinal)
            .Replace(":'password'", $"'{password}'", StringComparison.Ordinal)
            .Replace(":\"database\"", $"\"{database}\"", StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_documented_reader_reads_the_views_with_readable_names_and_cannot_write()
    {
        await using var store = await PostgresResultsStore.OpenAsync(Db.ConnectionString);
        var dir = Path.Combine(TestRuns.TempDirectory(), "run");
        var id = Guid.NewGuid();
        await TestRuns.RunAsync(dir, publishers: [new PostgresResultsPublisher(store, id, TestRuns.Scenario)]);

        var reader = "caresim_reader_" + Guid.NewGuid().ToString("N")[..8];
        var password = Guid.NewGuid().ToString("N");
        await using (var owner = new NpgsqlConnection(Db.ConnectionString))
        {
            await owner.OpenAsync();
            await using var command = new NpgsqlCommand(RoleScript(reader, password, Db.Name), owner);
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(Db.ConnectionString) { Username = reader, Password = password, Pooling = false }.ConnectionString;
            await using var asReader = new NpgsqlConnection(connection);
            await asReader.OpenAsync();

            // One row per authority, month and metric, with the authority's name and the metric's meaning.
            await using (var query = new NpgsqlCommand("""
                SELECT count(*), count(DISTINCT authority_name), min(metric_description), bool_and(region = 'North West')
                FROM series_by_name WHERE run_id = @id AND authority_name = 'Sefton' AND metric = 'cla_per_10k'
                """, asReader))
            {
                query.Parameters.AddWithValue("id", id);
                await using var row = await query.ExecuteReaderAsync();
                Assert.True(await row.ReadAsync());
                Assert.Equal(12L, row.GetInt64(0));
                Assert.Equal(1L, row.GetInt64(1));
                Assert.Contains("looked after", row.GetString(2), StringComparison.Ordinal);
                Assert.True(row.GetBoolean(3));
            }
            var rows = File.ReadAllLines(Path.Combine(dir, ResultsWriter.SummaryCsv)).Length - 1;
            await using (var all = new NpgsqlCommand("SELECT count(*) FROM series_by_name WHERE run_id = @id", asReader))
            {
                all.Parameters.AddWithValue("id", id);
                Assert.Equal((long)rows, (long)(await all.ExecuteScalarAsync())!);
            }
            await using (var outcomes = new NpgsqlCommand("SELECT outcome_description FROM outcomes_by_name WHERE run_id = @id AND outcome = 'months_to_good' LIMIT 1", asReader))
            {
                outcomes.Parameters.AddWithValue("id", id);
                Assert.Equal("Months to good or better", (string)(await outcomes.ExecuteScalarAsync())!);
            }

            // It cannot change anything.
            foreach (var write in new[] { "DELETE FROM runs", "UPDATE metric_names SET unit = 'x'", "CREATE TABLE mine (x int)" })
            {
                await using var command = new NpgsqlCommand(write, asReader);
                await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            }
        }
        finally
        {
            await using var owner = new NpgsqlConnection(Db.ConnectionString);
            await owner.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP OWNED BY \"{reader}\"; DROP ROLE \"{reader}\"", owner);
            await drop.ExecuteNonQueryAsync();
        }
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM runs WHERE id = @id", ("id", id)));
    }
}
