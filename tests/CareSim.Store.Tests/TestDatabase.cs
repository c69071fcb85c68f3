using Npgsql;

namespace CareSim.Store.Tests;

/// <summary>
/// A fresh database on the test PostgreSQL server (scripts/services.sh starts it and writes its
/// connection string to .tmp/services.env; CARESIM_TEST_POSTGRES overrides), dropped at the end.
/// Each test class gets its own database, so test runs sharing a server do not meet.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public const string Variable = "CARESIM_TEST_POSTGRES";

    public string ConnectionString { get; private set; } = "";

    public string Name { get; } = "caresim_test_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The server's connection string (to its maintenance database).</summary>
    public static string ServerConnectionString()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulation.sln"))) dir = dir.Parent;
            var env = dir is null ? null : Path.Combine(dir.FullName, ".tmp", "services.env");
            if (env is not null && File.Exists(env))
                value = File.ReadAllLines(env).Where(l => l.StartsWith(Variable + "=", StringComparison.Ordinal)).Select(l => l[(Variable.Length + 1)..]).LastOrDefault();
        }
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException($"no test PostgreSQL server: run 'scripts/services.sh start' (or ./test.sh), or set {Variable}");
        return value;
    }

    public async Task InitializeAsync()
    {
        var server = ServerConnectionString();
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {Name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = Name }.ConnectionString;
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<object?[]>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
