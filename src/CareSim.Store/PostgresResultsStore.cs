using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace CareSim.Store;

/// <summary>
/// The PostgreSQL results store (docs/results.md, "Results store"). <see cref="OpenAsync"/>
/// applies the schema's migrations; <see cref="LoadAsync"/> loads a committed results or
/// comparison directory in one transaction (the run's old rows are deleted, the new ones
/// copied in binary format, its status set to completed), so a run's rows appear at once and
/// loading the same run id again replaces them. The <c>Record*</c> methods track a run's status
/// before it completes (the HTTP API's runs); the <c>Get*</c> methods read for the API.
/// Thread-safe: every call takes its own pooled connection.
/// </summary>
public sealed class PostgresResultsStore : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresResultsStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Connects and applies any missing schema migration.</summary>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public static async Task<PostgresResultsStore> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "caresim";
        var store = new PostgresResultsStore(builder.Build());
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The connection's database name (for messages).</summary>
    public string Database => new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString).Database ?? "";

    /// <summary>Applies the migrations not yet applied, in one transaction under an advisory lock; returns the versions applied now.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await Execute(connection, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", StoreMigrations.AdvisoryLockKey));
        await Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version      integer PRIMARY KEY,
                description  text NOT NULL,
                applied      timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);
        var applied = new HashSet<int>();
        await using (var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) applied.Add(reader.GetInt32(0));

        var now = new List<int>();
        foreach (var migration in StoreMigrations.All.OrderBy(m => m.Version))
        {
            if (applied.Contains(migration.Version)) continue;
            await Execute(connection, migration.Sql, cancellationToken);
            await Execute(connection, "INSERT INTO schema_migrations (version, description) VALUES (@v, @d)", cancellationToken,
                ("v", migration.Version), ("d", migration.Description));
            now.Add(migration.Version);
        }
        // The readable names of the metrics (views series_by_name), as this version of the tool has them.
        foreach (var metric in CareSim.Model.Outputs.MetricCatalog.All)
            await Execute(connection, """
                INSERT INTO metric_names (name, unit, description) VALUES (@n, @u, @d)
                ON CONFLICT (name) DO UPDATE SET unit = EXCLUDED.unit, description = EXCLUDED.description
                WHERE metric_names.unit <> EXCLUDED.unit OR metric_names.description <> EXCLUDED.description
                """, cancellationToken, ("n", metric.Name), ("u", metric.Unit), ("d", metric.Description));
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return now;
    }

    // ------------------------------------------------------------------ status of runs in progress

    /// <summary>
    /// Records a submitted run (status queued) and its scenario text. <paramref name="owner"/> names
    /// the server process that runs it (see <see cref="ListUnfinishedAsync"/>).
    /// </summary>
    public async Task RecordQueuedAsync(Guid runId, string scenarioName, string scenarioSha256, string? scenarioYaml, int replicas, ulong seed,
        string start, int horizonMonths, CancellationToken cancellationToken = default, string? label = null, string? owner = null, string kind = RunKind.Run)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (scenarioYaml is not null) await UpsertScenario(connection, scenarioSha256, scenarioYaml, cancellationToken);
        await Execute(connection, """
            INSERT INTO runs (id, kind, scenario_name, scenario_sha256, status, progress, replicas, seed, start_month, horizon_months, label, owner, heartbeat)
            VALUES (@id, @kind, @name, @sha, 'queued', 0, @replicas, @seed, @start, @horizon, @label, @owner, now())
            ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, status = 'queued', progress = 0, error = NULL, started = NULL, completed = NULL,
                scenario_name = EXCLUDED.scenario_name, scenario_sha256 = EXCLUDED.scenario_sha256, replicas = EXCLUDED.replicas,
                seed = EXCLUDED.seed, start_month = EXCLUDED.start_month, horizon_months = EXCLUDED.horizon_months,
                label = EXCLUDED.label, owner = EXCLUDED.owner, heartbeat = now()
            """, cancellationToken, ("id", runId), ("name", scenarioName), ("sha", scenarioSha256), ("replicas", replicas),
            ("seed", (decimal)seed), ("start", (object?)ParseMonth(start) ?? DBNull.Value), ("horizon", horizonMonths),
            ("label", (object?)label ?? DBNull.Value), ("owner", (object?)owner ?? DBNull.Value), ("kind", kind));
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task RecordRunningAsync(Guid runId, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE runs SET status = 'running', started = now(), progress = 0, heartbeat = now() WHERE id = @id AND status = 'queued'",
            cancellationToken, ("id", runId));

    public Task RecordProgressAsync(Guid runId, double progress, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE runs SET progress = @p, heartbeat = now() WHERE id = @id AND status = 'running'", cancellationToken, ("id", runId),
            ("p", Math.Clamp(progress, 0, 1)));

    /// <summary>Marks runs still in progress as alive (their server is up): see <see cref="ListUnfinishedAsync"/>.</summary>
    public Task RecordHeartbeatAsync(IReadOnlyCollection<Guid> runIds, CancellationToken cancellationToken = default) =>
        runIds.Count == 0 ? Task.CompletedTask
            : ExecuteAsync("UPDATE runs SET heartbeat = now() WHERE id = ANY(@ids) AND status IN ('queued', 'running')", cancellationToken, ("ids", runIds.ToArray()));

    /// <summary>Marks a run that has not finished failed (a finished run keeps its status).</summary>
    public Task RecordFailedAsync(Guid runId, string error, CancellationToken cancellationToken = default) =>
        RecordEndAsync(runId, RunStatus.Failed, error, cancellationToken);

    /// <summary>Marks a run that has not finished cancelled.</summary>
    public Task RecordCancelledAsync(Guid runId, string reason, CancellationToken cancellationToken = default) =>
        RecordEndAsync(runId, RunStatus.Cancelled, reason, cancellationToken);

    private Task RecordEndAsync(Guid runId, string status, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE runs SET status = @s, error = @e, completed = now() WHERE id = @id AND status IN ('queued', 'running')", cancellationToken,
            ("id", runId), ("s", status), ("e", error));

    /// <summary>Runs queued or running: their owner (the server process running them) and when it last said they were alive.</summary>
    public async Task<IReadOnlyList<(Guid Id, string? Owner, DateTimeOffset? Heartbeat)>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT id, owner, heartbeat FROM runs WHERE status IN ('queued', 'running')");
        var rows = new List<(Guid, string?, DateTimeOffset?)>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add((r.GetGuid(0), NullableString(r, 1), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2)));
        return rows;
    }

    /// <summary>Deletes a run and all its rows (a comparison's strategies' runs too); false when there was none.</summary>
    public async Task<bool> DeleteRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("DELETE FROM runs WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", runId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    // ------------------------------------------------------------------ loading

    /// <summary>
    /// Loads a committed results directory (or comparison directory, with each strategy's results
    /// as a run of its own whose parent is the comparison) as run <paramref name="runId"/>,
    /// replacing whatever that id had, in one transaction; the run ends with status completed.
    /// </summary>
    public async Task LoadAsync(Guid runId, string directory, string? scenarioYaml = null, CancellationToken cancellationToken = default)
    {
        var results = ResultsDirectory.Open(directory);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (scenarioYaml is not null && results.Manifest.ScenarioSha256 is { Length: > 0 } sha)
            await UpsertScenario(connection, sha, scenarioYaml, cancellationToken);

        // The upsert locks the run's row first: two loads of one id run one after the other.
        await UpsertCompletedRun(connection, runId, results, null, null, cancellationToken);
        foreach (var table in new[] { "strategies", "comparisons", "summary_series", "outcomes", "outcome_cdf", "totals" })
            await Execute(connection, $"DELETE FROM {table} WHERE run_id = @id", cancellationToken, ("id", runId));
        await Execute(connection, "DELETE FROM runs WHERE parent_id = @id", cancellationToken, ("id", runId));

        if (results.Kind == RunKind.Comparison)
        {
            var strategies = new List<StrategyRecord>();
            foreach (var strategy in results.Strategies())
            {
                var strategyResults = results.Strategy(strategy.Name)!;
                var strategyRunId = StrategyRunId(runId, strategy.Name);
                await UpsertCompletedRun(connection, strategyRunId, strategyResults, runId, strategy.Name, cancellationToken);
                await CopyRunRows(connection, strategyRunId, strategyResults, cancellationToken);
                strategies.Add(strategy with { RunId = strategyRunId });
            }
            await CopyStrategies(connection, runId, strategies, cancellationToken);
            await CopyComparison(connection, runId, results, cancellationToken);
        }
        else
        {
            await CopyRunRows(connection, runId, results, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The id under which a comparison's strategy's results are stored: derived from the comparison's id and the name, so reloading replaces it.</summary>
    public static Guid StrategyRunId(Guid comparisonId, string strategy)
    {
        Span<byte> bytes = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{comparisonId:N}/{strategy}"), bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8 (custom), RFC 9562 variant
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes[..16], bigEndian: true);
    }

    private static async Task UpsertScenario(NpgsqlConnection connection, string sha256, string yaml, CancellationToken cancellationToken) =>
        await Execute(connection, "INSERT INTO scenarios (sha256, yaml) VALUES (@sha, @yaml) ON CONFLICT (sha256) DO NOTHING", cancellationToken,
            ("sha", sha256), ("yaml", yaml));

    private static async Task UpsertCompletedRun(NpgsqlConnection connection, Guid runId, ResultsDirectory results, Guid? parent, string? strategy,
        CancellationToken cancellationToken)
    {
        var m = results.Manifest;
        await using var command = new NpgsqlCommand("""
            INSERT INTO runs (id, kind, parent_id, strategy, scenario_name, scenario_sha256, status, progress, error, replicas, seed,
                              start_month, horizon_months, engine, tool_version, results_path, manifest, created, completed, label)
            VALUES (@id, @kind, @parent, @strategy, @name, @sha, 'completed', 1, NULL, @replicas, @seed,
                    @start, @horizon, @engine, @tool, @path, @manifest, COALESCE(@created, now()), now(), @label)
            ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, parent_id = EXCLUDED.parent_id, strategy = EXCLUDED.strategy,
                scenario_name = EXCLUDED.scenario_name, scenario_sha256 = EXCLUDED.scenario_sha256, status = 'completed', progress = 1,
                error = NULL, replicas = EXCLUDED.replicas, seed = EXCLUDED.seed, start_month = EXCLUDED.start_month,
                horizon_months = EXCLUDED.horizon_months, engine = EXCLUDED.engine, tool_version = EXCLUDED.tool_version,
                results_path = EXCLUDED.results_path, manifest = EXCLUDED.manifest, completed = now(),
                label = COALESCE(EXCLUDED.label, runs.label)
            """, connection);
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("kind", m.Kind);
        command.Parameters.Add(new NpgsqlParameter("parent", NpgsqlDbType.Uuid) { Value = (object?)parent ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("strategy", NpgsqlDbType.Text) { Value = (object?)strategy ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Text) { Value = (object?)m.Scenario ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("sha", NpgsqlDbType.Text) { Value = (object?)m.ScenarioSha256 ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("replicas", NpgsqlDbType.Integer) { Value = (object?)m.Replicas ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("seed", NpgsqlDbType.Numeric) { Value = m.Seed is { } s ? (decimal)s : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("start", NpgsqlDbType.Date) { Value = (object?)ParseMonth(m.Start) ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("horizon", NpgsqlDbType.Integer) { Value = (object?)m.HorizonMonths ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("engine", NpgsqlDbType.Text) { Value = (object?)m.Engine ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("tool", NpgsqlDbType.Text) { Value = (object?)m.ToolVersion ?? DBNull.Value });
        command.Parameters.AddWithValue("path", results.FullPath);
        command.Parameters.Add(new NpgsqlParameter("manifest", NpgsqlDbType.Jsonb) { Value = results.ManifestJson });
        command.Parameters.Add(new NpgsqlParameter("created", NpgsqlDbType.TimestampTz) { Value = m.CreatedUtc is { } c ? c.UtcDateTime : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("label", NpgsqlDbType.Text) { Value = (object?)m.Label ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyRunRows(NpgsqlConnection connection, Guid runId, ResultsDirectory results, CancellationToken cancellationToken)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY summary_series (run_id, authority, metric, month, mean, p05, p10, p25, p50, p75, p90, p95) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var (authority, metric, p) in results.ReadSummary())
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(runId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(authority, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(metric, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(ParseMonth(p.Month) ?? throw new InvalidDataException($"summary.csv: month '{p.Month}' is not YYYY-MM"),
                    NpgsqlDbType.Date, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(p.Mean, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                foreach (var q in new[] { p.P05, p.P10, p.P25, p.P50, p.P75, p.P90, p.P95 }) await WriteDouble(copy, q, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY outcomes (run_id, authority, outcome, replicas, horizon_months, share_within_horizon, p10, p25, p50, p75, p90) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var o in results.ReadOutcomes())
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(runId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(o.Authority, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(o.Outcome, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(o.Replicas, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(o.HorizonMonths, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(o.ShareWithinHorizon, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                foreach (var q in new[] { o.P10, o.P25, o.P50, o.P75, o.P90 }) await WriteDouble(copy, q, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY outcome_cdf (run_id, authority, outcome, months, share_reached) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var c in results.ReadOutcomeCdf())
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(runId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Authority, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Outcome, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Months, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.ShareReached, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            }
            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY totals (run_id, authority, mean_total_cost_gbp_m, {string.Join(", ", TotalQuantiles.Select(q => "total_cost_" + q))}, " +
            $"{string.Join(", ", FinalGrades.Select(g => "final_p_" + g))}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var t in results.ReadTotals())
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(runId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(t.Authority, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(t.MeanTotalCostGbpM, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                foreach (var q in TotalQuantiles) await WriteDouble(copy, t.TotalCostQuantiles.GetValueOrDefault(q), cancellationToken);
                foreach (var g in FinalGrades) await WriteDouble(copy, t.FinalGradeShares.GetValueOrDefault(g), cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly string[] TotalQuantiles = ["p05", "p10", "p25", "p50", "p75", "p90", "p95"];
    private static readonly string[] FinalGrades = ["inadequate", "requires_improvement", "good", "outstanding"];

    private static async Task CopyStrategies(NpgsqlConnection connection, Guid runId, IReadOnlyList<StrategyRecord> strategies, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY strategies (run_id, name, description, results_run_id, results_path) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var s in strategies)
        {
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(runId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(s.Name, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteText(copy, s.Description, cancellationToken);
            if (s.RunId is { } id) await copy.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
            else await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            await WriteText(copy, s.ResultsPath, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyComparison(NpgsqlConnection connection, Guid runId, ResultsDirectory results, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY comparisons (run_id, strategy, authority, measure, unit, baseline, value, difference, ci_low, ci_high, p_beats_baseline, rank) " +
            "FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var c in results.ReadComparison())
        {
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(runId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(c.Strategy, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(c.Authority, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(c.Measure, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(c.Unit, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            foreach (var v in new[] { c.Baseline, c.Value, c.Difference, c.CiLow, c.CiHigh, c.PBeatsBaseline }) await WriteDouble(copy, v, cancellationToken);
            await copy.WriteAsync(c.Rank, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        }
        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteDouble(NpgsqlBinaryImporter copy, double? value, CancellationToken cancellationToken)
    {
        if (value is { } v && !double.IsNaN(v)) await copy.WriteAsync(v, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
        else await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteText(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken)
    {
        if (value is not null) await copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        else await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ reading

    private const string RunColumns = """
        id, kind, scenario_name, scenario_sha256, status, progress, error, created, started, completed, replicas, seed,
        start_month, horizon_months, engine, manifest->'authorities', manifest->'metrics', parent_id, strategy, label,
        COALESCE(manifest->>'history_until', manifest->>'decision_month'), manifest->>'outcomes_from', manifest->'authority_names', manifest->'authority_regions'
        """;

    /// <summary>The most recent runs and comparisons (not the strategies' own runs), newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit = 200, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {RunColumns} FROM runs WHERE parent_id IS NULL ORDER BY created DESC LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        return await ReadRuns(command, cancellationToken);
    }

    public async Task<RunRecord?> GetRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {RunColumns} FROM runs WHERE id = @id");
        command.Parameters.AddWithValue("id", runId);
        return (await ReadRuns(command, cancellationToken)).FirstOrDefault();
    }

    private static async Task<IReadOnlyList<RunRecord>> ReadRuns(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var runs = new List<RunRecord>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(new RunRecord
            {
                Id = r.GetGuid(0),
                Kind = r.GetString(1),
                Scenario = NullableString(r, 2),
                ScenarioSha256 = NullableString(r, 3),
                Status = r.GetString(4),
                Progress = r.GetDouble(5),
                Error = NullableString(r, 6),
                Created = r.GetFieldValue<DateTimeOffset>(7),
                Started = r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8),
                Completed = r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
                Replicas = r.IsDBNull(10) ? null : r.GetInt32(10),
                Seed = r.IsDBNull(11) ? null : (ulong)r.GetDecimal(11),
                Start = r.IsDBNull(12) ? null : FormatMonth(r.GetFieldValue<DateOnly>(12)),
                HorizonMonths = r.IsDBNull(13) ? null : r.GetInt32(13),
                Engine = NullableString(r, 14),
                Authorities = r.IsDBNull(15) ? [] : JsonStrings(r.GetString(15)),
                Metrics = r.IsDBNull(16) ? [] : JsonStrings(r.GetString(16)),
                ParentId = r.IsDBNull(17) ? null : r.GetGuid(17),
                Strategy = NullableString(r, 18),
                Label = NullableString(r, 19),
                HistoryUntil = NullableString(r, 20),
                OutcomesFrom = NullableString(r, 21),
                AuthorityNames = r.IsDBNull(22) ? new Dictionary<string, string>() : JsonMap(r.GetString(22)),
                AuthorityRegions = r.IsDBNull(23) ? new Dictionary<string, string>() : JsonMap(r.GetString(23)),
            });
        }
        return runs;
    }

    /// <summary>One authority's series of one metric, month by month (the index's order).</summary>
    public async Task<IReadOnlyList<SeriesPoint>> GetSeriesAsync(Guid runId, string authority, string metric, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT month, mean, p05, p10, p25, p50, p75, p90, p95 FROM summary_series
            WHERE run_id = @id AND authority = @authority AND metric = @metric ORDER BY month
            """);
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("authority", authority);
        command.Parameters.AddWithValue("metric", metric);
        var points = new List<SeriesPoint>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            points.Add(new SeriesPoint(FormatMonth(r.GetFieldValue<DateOnly>(0)), r.GetDouble(1), D(r, 2), D(r, 3), D(r, 4), D(r, 5), D(r, 6), D(r, 7), D(r, 8)));
        return points;
    }

    public async Task<IReadOnlyList<OutcomeRecord>> GetOutcomesAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT authority, outcome, replicas, horizon_months, share_within_horizon, p10, p25, p50, p75, p90
            FROM outcomes WHERE run_id = @id ORDER BY authority, outcome
            """);
        command.Parameters.AddWithValue("id", runId);
        var rows = new List<OutcomeRecord>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(new OutcomeRecord(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetDouble(4), D(r, 5), D(r, 6), D(r, 7), D(r, 8), D(r, 9)));
        return rows;
    }

    public async Task<IReadOnlyList<CdfPoint>> GetOutcomeCdfAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT authority, outcome, months, share_reached FROM outcome_cdf WHERE run_id = @id ORDER BY authority, outcome, months");
        command.Parameters.AddWithValue("id", runId);
        var rows = new List<CdfPoint>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(new CdfPoint(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3)));
        return rows;
    }

    public async Task<IReadOnlyList<TotalsRecord>> GetTotalsAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT authority, mean_total_cost_gbp_m, {string.Join(", ", TotalQuantiles.Select(q => "total_cost_" + q))}, " +
            $"{string.Join(", ", FinalGrades.Select(g => "final_p_" + g))} FROM totals WHERE run_id = @id ORDER BY authority");
        command.Parameters.AddWithValue("id", runId);
        var rows = new List<TotalsRecord>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(new TotalsRecord(r.GetString(0), r.GetDouble(1),
                TotalQuantiles.Select((q, i) => (q, i)).ToDictionary(x => x.q, x => D(r, 2 + x.i)),
                FinalGrades.Select((g, i) => (g, i)).ToDictionary(x => x.g, x => D(r, 2 + TotalQuantiles.Length + x.i))));
        return rows;
    }

    public async Task<IReadOnlyList<ComparisonRecord>> GetComparisonAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT strategy, authority, measure, unit, baseline, value, difference, ci_low, ci_high, p_beats_baseline, rank
            FROM comparisons WHERE run_id = @id ORDER BY authority, measure, rank, strategy
            """);
        command.Parameters.AddWithValue("id", runId);
        var rows = new List<ComparisonRecord>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(new ComparisonRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), D(r, 4), D(r, 5), D(r, 6), D(r, 7), D(r, 8), D(r, 9), r.GetInt32(10)));
        return rows;
    }

    public async Task<IReadOnlyList<StrategyRecord>> GetStrategiesAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT name, description, results_run_id, results_path FROM strategies WHERE run_id = @id ORDER BY name");
        command.Parameters.AddWithValue("id", runId);
        var rows = new List<StrategyRecord>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(new StrategyRecord(r.GetString(0), NullableString(r, 1), r.IsDBNull(2) ? null : r.GetGuid(2), NullableString(r, 3)));
        return rows;
    }

    // ------------------------------------------------------------------ helpers

    private static double? D(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static List<string> JsonStrings(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    private static Dictionary<string, string> JsonMap(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal) : [];
    }

    /// <summary><c>YYYY-MM</c> to the first day of that month; null when <paramref name="month"/> is null or not a month.</summary>
    internal static DateOnly? ParseMonth(string? month) =>
        month is not null && DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    internal static string FormatMonth(DateOnly date) => date.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await Execute(connection, sql, cancellationToken, parameters);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
