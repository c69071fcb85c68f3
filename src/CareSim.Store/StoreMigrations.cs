namespace CareSim.Store;

/// <summary>One step of the results store's schema. Never edit a released step: add a new one.</summary>
public sealed record Migration(int Version, string Description, string Sql);

/// <summary>
/// The results store's schema as a versioned list of steps (docs/results.md, "Results store").
/// <see cref="PostgresResultsStore.MigrateAsync"/> applies the missing ones in order, in one
/// transaction, under an advisory lock, and records them in <c>schema_migrations</c>.
/// </summary>
public static class StoreMigrations
{
    /// <summary>Key of the transaction-level advisory lock taken while migrating (so two tools starting at once do not race).</summary>
    public const long AdvisoryLockKey = 0x43617265_53696D31; // "CareSim1"

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "runs, scenarios, summary series, outcomes, outcome CDF, totals, strategies, comparisons", """
            CREATE TABLE scenarios (
                sha256      text PRIMARY KEY,
                yaml        text NOT NULL,
                first_seen  timestamptz NOT NULL DEFAULT now()
            );

            CREATE TABLE runs (
                id              uuid PRIMARY KEY,
                kind            text NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'comparison')),
                parent_id       uuid REFERENCES runs (id) ON DELETE CASCADE,
                strategy        text,
                scenario_name   text,
                scenario_sha256 text,
                status          text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
                progress        double precision NOT NULL DEFAULT 0,
                error           text,
                replicas        integer,
                seed            numeric(20, 0),
                start_month     date,
                horizon_months  integer,
                engine          text,
                tool_version    text,
                results_path    text,
                manifest        jsonb,
                created         timestamptz NOT NULL DEFAULT now(),
                started         timestamptz,
                completed       timestamptz
            );
            CREATE INDEX runs_created ON runs (created DESC) WHERE parent_id IS NULL;
            CREATE INDEX runs_parent ON runs (parent_id) WHERE parent_id IS NOT NULL;

            CREATE TABLE summary_series (
                run_id     uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                authority  text NOT NULL,
                metric     text NOT NULL,
                month      date NOT NULL,
                mean       double precision NOT NULL,
                p05 double precision, p10 double precision, p25 double precision, p50 double precision,
                p75 double precision, p90 double precision, p95 double precision,
                PRIMARY KEY (run_id, authority, metric, month)
            );

            CREATE TABLE outcomes (
                run_id                uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                authority             text NOT NULL,
                outcome               text NOT NULL,
                replicas              integer NOT NULL,
                horizon_months        integer NOT NULL,
                share_within_horizon  double precision NOT NULL,
                p10 double precision, p25 double precision, p50 double precision, p75 double precision, p90 double precision,
                PRIMARY KEY (run_id, authority, outcome)
            );

            CREATE TABLE outcome_cdf (
                run_id         uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                authority      text NOT NULL,
                outcome        text NOT NULL,
                months         integer NOT NULL,
                share_reached  double precision NOT NULL,
                PRIMARY KEY (run_id, authority, outcome, months)
            );

            CREATE TABLE totals (
                run_id                 uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                authority              text NOT NULL,
                mean_total_cost_gbp_m  double precision NOT NULL,
                total_cost_p05 double precision, total_cost_p10 double precision, total_cost_p25 double precision,
                total_cost_p50 double precision, total_cost_p75 double precision, total_cost_p90 double precision,
                total_cost_p95 double precision,
                final_p_inadequate double precision, final_p_requires_improvement double precision,
                final_p_good double precision, final_p_outstanding double precision,
                PRIMARY KEY (run_id, authority)
            );

            CREATE TABLE strategies (
                run_id          uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                name            text NOT NULL,
                description     text,
                results_run_id  uuid REFERENCES runs (id) ON DELETE SET NULL,
                results_path    text,
                PRIMARY KEY (run_id, name)
            );

            CREATE TABLE comparisons (
                run_id            uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                strategy          text NOT NULL,
                authority         text NOT NULL,
                measure           text NOT NULL,
                unit              text NOT NULL,
                baseline          double precision,
                value             double precision,
                difference        double precision,
                ci_low            double precision,
                ci_high           double precision,
                p_beats_baseline  double precision,
                rank              integer NOT NULL,
                PRIMARY KEY (run_id, strategy, authority, measure)
            );
            """),
        new(2, "runs: label, owner and heartbeat of runs in progress, status cancelled; indexes for listing and for queries across runs", """
            ALTER TABLE runs ADD COLUMN label text;
            ALTER TABLE runs ADD COLUMN owner text;
            ALTER TABLE runs ADD COLUMN heartbeat timestamptz;
            ALTER TABLE runs DROP CONSTRAINT runs_status_check;
            ALTER TABLE runs ADD CONSTRAINT runs_status_check CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled'));
            CREATE INDEX runs_unfinished ON runs (status) WHERE status IN ('queued', 'running');
            CREATE INDEX runs_label ON runs (label) WHERE label IS NOT NULL;
            CREATE INDEX runs_scenario ON runs (scenario_sha256);
            -- Across runs: one authority's metric in every run, and every run's outcomes of one authority.
            CREATE INDEX summary_series_across_runs ON summary_series (authority, metric, month);
            CREATE INDEX outcomes_across_runs ON outcomes (authority, outcome);
            CREATE INDEX totals_across_runs ON totals (authority);
            """),
        new(3, "metric_names; views for dashboards (Grafana, Metabase): series_by_name, outcomes_by_name", """
            -- Kept in step with the tool's metric catalogue each time the store is opened.
            CREATE TABLE metric_names (
                name         text PRIMARY KEY,
                unit         text NOT NULL,
                description  text NOT NULL
            );

            -- One row per run, authority, month and metric, with names a reader understands.
            CREATE VIEW series_by_name AS
            SELECT s.run_id, r.label AS run_label, r.scenario_name, r.strategy, r.parent_id AS comparison_id,
                   s.authority, COALESCE(r.manifest->'authority_names'->>s.authority, s.authority) AS authority_name,
                   r.manifest->'authority_regions'->>s.authority AS region,
                   s.month, s.metric, COALESCE(m.description, s.metric) AS metric_description, m.unit,
                   s.mean, s.p05, s.p10, s.p25, s.p50, s.p75, s.p90, s.p95
            FROM summary_series s
            JOIN runs r ON r.id = s.run_id
            LEFT JOIN metric_names m ON m.name = s.metric;

            -- One row per run, authority and outcome (months to requires improvement or better, to good or better, to the next inspection).
            CREATE VIEW outcomes_by_name AS
            SELECT o.run_id, r.label AS run_label, r.scenario_name, r.strategy, r.parent_id AS comparison_id,
                   o.authority, COALESCE(r.manifest->'authority_names'->>o.authority, o.authority) AS authority_name,
                   r.manifest->'authority_regions'->>o.authority AS region,
                   o.outcome, CASE o.outcome
                       WHEN 'months_to_requires_improvement' THEN 'Months to requires improvement or better'
                       WHEN 'months_to_good' THEN 'Months to good or better'
                       WHEN 'months_to_next_inspection' THEN 'Months to the next full inspection'
                       ELSE o.outcome END AS outcome_description,
                   o.replicas, o.horizon_months, o.share_within_horizon, o.p10, o.p25, o.p50, o.p75, o.p90
            FROM outcomes o
            JOIN runs r ON r.id = o.run_id;
            """),
    ];
}
