using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using CareSim.Model.Outputs;
using CareSim.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CareSim.Web;

/// <summary>The HTTP API (docs/api.md): submit runs, follow them, read their results.</summary>
public static class ApiEndpoints
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string ProblemJson = "application/problem+json";

    /// <summary>What a 429 asks the client to wait (Retry-After), in seconds.</summary>
    public const int RetryAfterSeconds = 30;

    private static readonly QueryParameter AuthorityQuery = new("authority", "string", "An authority code of the run (see its authorities).", Required: true);
    private static readonly QueryParameter MetricQuery = new("metric", "string", "A metric name (GET /api/metrics).", Required: true);

    public static RouteGroupBuilder MapCareSimApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("runs");
        // Every endpoint: unknown query parameters are a 400, and an unexpected failure a 500, both problem+json.
        api.AddEndpointFilter(ApiContract.RejectUnknownQuery);
        api.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ApiProblem), [ProblemJson]),
            new ProducesResponseTypeMetadata(StatusCodes.Status500InternalServerError, typeof(ApiProblem), [ProblemJson]));

        api.MapGet("/metrics", () => TypedResults.Ok(MetricCatalog.All.Select(m =>
            {
                var display = CareSim.Reports.Writing.MetricDisplay.For(m.Name);
                return new MetricView(m.Name, m.Unit, m.Description, display.Label, display.AxisLabel, display.IsShare);
            }).ToList()))
            .WithName("ListMetrics").WithSummary("The metrics a run can report (names, units, meaning).");

        api.MapGet("/observed", (string? authority, string? metric, ObservedData observed) =>
            {
                var errors = new List<RequestError>();
                if (string.IsNullOrEmpty(authority)) errors.Add(RequestError.Request("authority", "required: an authority code"));
                if (string.IsNullOrEmpty(metric) || !MetricCatalog.TryFind(metric, out _)) errors.Add(RequestError.Request("metric", "required: a metric name (see GET /api/metrics)"));
                return errors.Count > 0
                    ? Problem(StatusCodes.Status400BadRequest, "Invalid query parameters.", string.Join("; ", errors.Select(Describe)), errors)
                    : TypedResults.Ok(observed.For(authority!, metric!));
            })
            .WithName("GetObserved").WithSummary("An authority's official figures (DfE) of a metric, dated, on the metric's scale: what the dashboard overlays on its fan chart. Empty when the server has no baseline dataset.")
            .AcceptsQuery(AuthorityQuery, MetricQuery)
            .Produces<ObservedView>();

        api.MapGet("/runs", ListRunsAsync)
            .WithName("ListRuns").WithSummary("Runs and comparisons, newest first unless sorted otherwise: one page, filtered by status, kind, scenario and label.")
            .AcceptsQuery(
                new QueryParameter("status", "string", "Only runs with this status.", Values: RunStatus.All),
                new QueryParameter("kind", "string", "Only runs (run) or only comparisons (comparison).", Values: [RunKind.Run, RunKind.Comparison]),
                new QueryParameter("scenario", "string", "Only runs whose scenario name contains this text (case-insensitive)."),
                new QueryParameter("label", "string", "Only runs with exactly this label."),
                new QueryParameter("sort", "string", "Order: a key, '-' first for descending (default -created).",
                    Values: [.. RunQuery.SortKeys, .. RunQuery.SortKeys.Select(k => "-" + k)]),
                new QueryParameter("limit", "integer", "Runs per page (default 50; at most the server's CareSim:ListLimit, 200 by default).", Minimum: 1),
                new QueryParameter("offset", "integer", "Runs to skip (default 0).", Minimum: 0))
            .Produces<RunList>();

        MapSubmission(api.MapPost("/runs", SubmitAsync), "SubmitRun", typeof(SubmitRunBody), "run",
            "Submit a run: the scenario file itself as the body (YAML; overrides as query parameters), or JSON {\"scenario\": ..., \"replicas\": ..., \"seed\": ..., \"horizon_months\": ...}.");

        MapSubmission(api.MapPost("/comparisons", SubmitComparisonAsync), "SubmitComparison", typeof(SubmitComparisonBody), "comparison",
            "Submit a comparison of strategies (as sim compare): the scenario file itself as the body (YAML; the comparison and overrides as query parameters), or JSON {\"scenario\": ..., \"strategies\": \"a,b\", \"by\": [...], ...}. Follow it as a run: /api/runs/{id}.",
            new QueryParameter("strategies", "string", "Strategies of the scenario's strategies section, comma-separated, or 'all' (YAML bodies; required)."),
            new QueryParameter("by", "string", "Months (YYYY-MM, comma-separated) at which to report P(good) and P(requires improvement or better) (YAML bodies)."),
            new QueryParameter("rank_by", "string", "The measure strategies are ranked on (default p_good_by_end) (YAML bodies)."),
            new QueryParameter("worlds", "integer", $"Worlds of the uncertain parameters to sample for regret (default 0, at most {Submissions.MaxWorlds}) (YAML bodies).", Minimum: 0, Maximum: Submissions.MaxWorlds),
            new QueryParameter("world_replicas", "integer", "Replicas per world and strategy (default 200) (YAML bodies).", Minimum: 1));

        var run = api.MapGroup("/runs/{id}");
        run.MapGet("", async (string id, RunCatalog catalog, CancellationToken ct) =>
                await WithRun(id, catalog, ct, r => Task.FromResult<IResult>(TypedResults.Ok(RunView.From(r)))))
            .WithName("GetRun").WithSummary("A run's status (queued, running, completed, failed) and progress (0-1).")
            .Produces<RunView>().Problems(StatusCodes.Status404NotFound);

        run.MapDelete("", DeleteAsync)
            .WithName("DeleteRun").WithSummary("Cancels a queued or running run (202; it ends 'cancelled'), or removes a finished one with its results (204).")
            .RequireApiKey()
            .Produces<RunView>(StatusCodes.Status202Accepted).Produces(StatusCodes.Status204NoContent)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/events", EventsAsync)
            .WithName("RunEvents").WithSummary("Server-Sent Events with ids: 'status' events with the run as JSON at each change (and every 15 s), ending with one 'completed', 'failed' or 'cancelled' event; then the stream closes.")
            .Produces<RunView>(StatusCodes.Status200OK, "text/event-stream").Problems(StatusCodes.Status404NotFound);

        run.MapGet("/series", (string id, string? authority, string? metric, RunCatalog catalog, CancellationToken ct) =>
                SeriesAsync(id, null, authority, metric, catalog, ct))
            .WithName("GetSeries").CacheCompletedResults().WithSummary("One authority's summary series of one metric: mean and quantiles by month.")
            .AcceptsQuery(AuthorityQuery, MetricQuery)
            .Produces<SeriesView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/outcomes", (string id, RunCatalog catalog, CancellationToken ct) => WithResults(id, catalog, ct,
                async (r, s) => s.Kind == RunKind.Comparison ? PerStrategy(r, "outcomes")
                    : TypedResults.Ok(new OutcomesView(RunIds.Format(r.Id), s.Origin, (await s.OutcomesAsync(ct)).Select(OutcomeView.From).ToList()))))
            .WithName("GetOutcomes").CacheCompletedResults().WithSummary("Per authority: months to requires improvement and to good (share within the horizon and quantiles).")
            .Produces<OutcomesView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/outcome-cdf", (string id, RunCatalog catalog, CancellationToken ct) => WithResults(id, catalog, ct,
                async (r, s) => s.Kind == RunKind.Comparison ? PerStrategy(r, "outcome-cdf")
                    : TypedResults.Ok(new OutcomeCdfView(RunIds.Format(r.Id), s.Origin, (await s.OutcomeCdfAsync(ct)).Select(CdfPointView.From).ToList()))))
            .WithName("GetOutcomeCdf").CacheCompletedResults().WithSummary("Per authority and outcome: the share of replicas that got there within each number of months.")
            .Produces<OutcomeCdfView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/totals", (string id, RunCatalog catalog, CancellationToken ct) => WithResults(id, catalog, ct,
                async (r, s) => s.Kind == RunKind.Comparison ? PerStrategy(r, "totals")
                    : TypedResults.Ok(new TotalsView(RunIds.Format(r.Id), s.Origin, (await s.TotalsAsync(ct)).Select(TotalsRow.From).ToList()))))
            .WithName("GetTotals").CacheCompletedResults().WithSummary("Per authority: total cost over the run and the share of replicas ending with each grade.")
            .Produces<TotalsView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/comparison", (string id, RunCatalog catalog, CancellationToken ct) => WithResults(id, catalog, ct, async (r, s) =>
                s.Kind != RunKind.Comparison
                    ? Problem(StatusCodes.Status404NotFound, "Not a comparison.", $"run {RunIds.Format(r.Id)} is a {s.Kind}, not a comparison")
                    : TypedResults.Ok(new ComparisonView(RunIds.Format(r.Id), s.Origin, (await s.ComparisonAsync(ct)).Select(ComparisonRow.From).ToList()))))
            .WithName("GetComparison").CacheCompletedResults().WithSummary("A comparison's table: each strategy against the baseline, per authority and measure, with 95% intervals and ranks.")
            .Produces<ComparisonView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/strategies", (string id, RunCatalog catalog, CancellationToken ct) => WithResults(id, catalog, ct, async (r, s) =>
                s.Kind != RunKind.Comparison
                    ? Problem(StatusCodes.Status404NotFound, "Not a comparison.", $"run {RunIds.Format(r.Id)} is a {s.Kind}, not a comparison")
                    : TypedResults.Ok(new StrategiesView(RunIds.Format(r.Id), s.Origin,
                        (await s.StrategiesAsync(ct)).Select(x => new StrategyView(x.Name, x.Description, x.RunId is { } g ? RunIds.Format(g) : null)).ToList()))))
            .WithName("GetStrategies").CacheCompletedResults().WithSummary("A comparison's strategies (the baseline included).")
            .Produces<StrategiesView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/strategies/{strategy}/series", (string id, string strategy, string? authority, string? metric, RunCatalog catalog, CancellationToken ct) =>
                SeriesAsync(id, strategy, authority, metric, catalog, ct))
            .WithName("GetStrategySeries").CacheCompletedResults().WithSummary("A comparison's strategy: one authority's summary series of one metric.")
            .AcceptsQuery(AuthorityQuery, MetricQuery)
            .Produces<SeriesView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/hexmap", (string id, RunCatalog catalog, CancellationToken ct) => WithRun(id, catalog, ct, r =>
                Task.FromResult<IResult>(TypedResults.Ok(new HexMapView(RunIds.Format(r.Id),
                    CareSim.Reports.Charts.HexLayout.For(r.Authorities.Select(a => (a, r.AuthorityNames.GetValueOrDefault(a, a), r.AuthorityRegions.GetValueOrDefault(a, "Other"))))
                        .Select(c => new HexCellView(c.Code, c.Name, c.Region, c.Column, c.Row)).ToList())))))
            .WithName("GetHexMap")
            .WithSummary("The run's authorities on a hex cartogram (one hex each, gathered by region; within a region alphabetical, not geographic): what the dashboard and sim report draw.")
            .Produces<HexMapView>().Problems(StatusCodes.Status404NotFound);

        run.MapGet("/files", (string id, RunCatalog catalog, ResultsAccess results, CancellationToken ct) => WithRun(id, catalog, ct, r =>
            {
                var directory = RunStatus.IsFinished(r.Status) ? results.OpenDirectory(r.Id) : null;
                IResult result = directory is null
                    ? Problem(r.Status == RunStatus.Completed ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict, "No files to download.",
                        r.Status == RunStatus.Completed ? "the run's results directory is not on this server" : $"the run is {r.Status}")
                    : TypedResults.Ok(new FilesView(RunIds.Format(r.Id), directory.DataFiles().Select(f =>
                        new DownloadView(f, DownloadType(f), new FileInfo(Path.Combine(directory.FullPath, f)).Length, $"/api/runs/{RunIds.Format(r.Id)}/files/{f}")).ToList()));
                return Task.FromResult(result);
            }))
            .WithName("ListFiles").CacheCompletedResults()
            .WithSummary("The run's files to download: every table as CSV and Parquet, manifest.json, and a comparison's files.")
            .Produces<FilesView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/files/{file}", (string id, string file, RunCatalog catalog, ResultsAccess results, CancellationToken ct) => WithRun(id, catalog, ct, r =>
            {
                // The name only selects among the directory's own files (never a link): it never becomes a path itself.
                var path = r.Status == RunStatus.Completed ? results.OpenDirectory(r.Id)?.DataFile(file) : null;
                IResult result = path is null
                    ? Problem(StatusCodes.Status404NotFound, "No such file.", "the run's files are named by GET /api/runs/{id}/files")
                    : TypedResults.PhysicalFile(path, DownloadType(path), fileDownloadName: Path.GetFileName(path));
                return Task.FromResult(result);
            }))
            .WithName("GetFile").CacheCompletedResults()
            .WithSummary("One file of the run (CSV, Parquet, JSON or Markdown), as an attachment.")
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "text/csv", "application/vnd.apache.parquet", "application/json", "text/markdown")
            .Problems(StatusCodes.Status404NotFound);

        run.MapGet("/report", (string id, RunCatalog catalog, ResultsAccess results, CancellationToken ct) => WithRun(id, catalog, ct, r =>
                Task.FromResult<IResult>(TypedResults.Ok(new ReportView(RunIds.Format(r.Id),
                    (results.OpenDirectory(r.Id)?.ReportFiles() ?? []).Select(f => new ReportFileView(f, $"/api/runs/{RunIds.Format(r.Id)}/report/{f}")).ToList())))))
            .WithName("ListReport").WithSummary("The report files (charts as PNG or SVG, report.md) in the run's report/ folder, written by sim report.")
            .Produces<ReportView>().Problems(StatusCodes.Status404NotFound);

        run.MapGet("/report/{file}", (string id, string file, RunCatalog catalog, ResultsAccess results, CancellationToken ct) => WithRun(id, catalog, ct, r =>
            {
                // The name only selects among the folder's own entries (ResultsDirectory.ReportFile): it never becomes a path itself.
                var path = results.OpenDirectory(r.Id)?.ReportFile(file);
                IResult result = path is null
                    ? Problem(StatusCodes.Status404NotFound, "No such report file.", "report files are named by GET /api/runs/{id}/report")
                    : TypedResults.PhysicalFile(path, ReportContentType(path));
                return Task.FromResult(result);
            }))
            .WithName("GetReportFile").WithSummary("One report file (PNG, SVG or Markdown).")
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "image/png", "image/svg+xml", "text/markdown")
            .Problems(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>A submission's contract: its bodies (JSON envelope, or the scenario text), its query parameters (the overrides and label, then <paramref name="more"/>), the key, its answers.</summary>
    private static void MapSubmission(RouteHandlerBuilder endpoint, string name, Type envelope, string what, string summary, params QueryParameter[] more) =>
        endpoint.WithName(name).WithSummary(summary)
            .WithMetadata(new AcceptedBodies([("application/json", envelope), .. Submissions.YamlMediaTypes.Select(m => (m, (Type?)null))]))
            .AcceptsQuery([
                .. more,
                new QueryParameter("replicas", "integer", "Overrides the scenario's replicas (YAML bodies; in JSON, the envelope's replicas).", Minimum: 1),
                new QueryParameter("seed", "integer", "Overrides the scenario's seed (YAML bodies).", Minimum: 0),
                new QueryParameter("horizon_months", "integer", "Overrides the scenario's horizon in months (YAML bodies).", Minimum: 1),
                new QueryParameter("label", "string", $"A label to tell the {what} apart, at most {Submissions.MaxLabelLength} characters (YAML bodies)."),
            ])
            .RequireApiKey()
            .Produces<RunView>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity,
                StatusCodes.Status429TooManyRequests);

    /// <summary>The media type of a downloadable file (CSV, Parquet, JSON, Markdown).</summary>
    public static string DownloadType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => "text/csv",
        ".parquet" => "application/vnd.apache.parquet",
        ".json" => "application/json",
        _ => "text/markdown",
    };

    /// <summary>404 for a run's view on a comparison: its results are per strategy.</summary>
    private static IResult PerStrategy(RunRecord run, string view) =>
        Problem(StatusCodes.Status404NotFound, "A comparison has results per strategy.",
            $"run {RunIds.Format(run.Id)} is a comparison: see GET /api/runs/{RunIds.Format(run.Id)}/strategies (in the store each strategy's run_id has its own /{view}), and its /comparison");

    private static string ReportContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".svg" => "image/svg+xml",
        _ => "text/markdown; charset=utf-8",
    };

    // ------------------------------------------------------------------ handlers

    private static Task<IResult> SubmitComparisonAsync(HttpRequest request, RunCoordinator coordinator, IOptions<ServerOptions> options, CancellationToken ct) =>
        SubmitAnyAsync(request, coordinator, options, ct, comparison: true);

    private static Task<IResult> SubmitAsync(HttpRequest request, RunCoordinator coordinator, IOptions<ServerOptions> options, CancellationToken ct) =>
        SubmitAnyAsync(request, coordinator, options, ct, comparison: false);

    private static async Task<IResult> SubmitAnyAsync(HttpRequest request, RunCoordinator coordinator, IOptions<ServerOptions> options, CancellationToken ct, bool comparison)
    {
        var settings = options.Value;
        var outcome = await Submissions.ReadAsync(request, settings, ct, comparison);
        if (outcome.Submission is null)
            return Problem(outcome.Status, outcome.Title, string.Join("; ", outcome.Errors.Select(Describe)), outcome.Errors);

        var job = await coordinator.SubmitAsync(outcome.Submission, ct);
        if (job is null)
            return new HeaderResult(Problem(StatusCodes.Status429TooManyRequests, "Too many runs are waiting.",
                $"this server runs {settings.MaxConcurrentRuns} at once and queues at most {settings.MaxQueuedRuns}; try again in {RetryAfterSeconds} s"),
                ("Retry-After", RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return TypedResults.Accepted($"/api/runs/{RunIds.Format(job.Id)}", RunView.From(job.Record));
    }

    private static string Describe(RequestError e)
    {
        var where = e.Line > 0 ? $"{e.File}:{e.Line}:{e.Column}: " : "";
        return e.Path.Length > 0 ? $"{where}{e.Path}: {e.Message}" : where + e.Message;
    }

    private static async Task<IResult> ListRunsAsync(HttpRequest request, RunCatalog catalog, IOptions<ServerOptions> options, CancellationToken ct)
    {
        var q = request.Query;
        var errors = new List<RequestError>();
        string? Text(string name, IReadOnlyList<string>? allowed = null)
        {
            if (!q.TryGetValue(name, out var values)) return null;
            var value = values.ToString();
            if (allowed is not null && !allowed.Contains(value))
                errors.Add(RequestError.Request(name, $"expected one of {string.Join(", ", allowed)}; got '{Truncate(value)}'"));
            return value;
        }
        int Number(string name, int fallback, int min, int max)
        {
            if (!q.TryGetValue(name, out var values)) return fallback;
            if (int.TryParse(values.ToString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
                return n;
            errors.Add(RequestError.Request(name, $"expected a whole number from {min} to {max}; got '{Truncate(values.ToString())}'"));
            return fallback;
        }
        var status = Text("status", RunStatus.All);
        var kind = Text("kind", [RunKind.Run, RunKind.Comparison]);
        var scenario = Text("scenario");
        var label = Text("label");
        var sort = Text("sort", [.. RunQuery.SortKeys, .. RunQuery.SortKeys.Select(k => "-" + k)]) ?? "-created";
        var maxLimit = options.Value.ListLimit;
        var limit = Number("limit", Math.Min(50, maxLimit), 1, maxLimit);
        var offset = Number("offset", 0, 0, int.MaxValue);
        if (errors.Count > 0) return Problem(StatusCodes.Status400BadRequest, "Invalid query parameters.", string.Join("; ", errors.Select(Describe)), errors);
        var query = new RunQuery(status, kind, scenario, label, sort.TrimStart('-'), sort.StartsWith('-'), offset, limit);
        var (page, total) = await catalog.ListAsync(query, ct);
        return TypedResults.Ok(new RunList(page.Select(RunView.From).ToList(), total, offset, limit));
    }

    /// <summary>DELETE: cancels this server's queued or running run, or removes a finished run (store rows and, if this server wrote it, its results directory).</summary>
    private static Task<IResult> DeleteAsync(string id, RunCatalog catalog, RunCoordinator coordinator, ResultsAccess results, CancellationToken ct) =>
        WithRun(id, catalog, ct, async run =>
        {
            var job = coordinator.Find(run.Id);
            if (!RunStatus.IsFinished(run.Status))
            {
                if (job is null)
                    return Problem(StatusCodes.Status409Conflict, "The run belongs to another server.",
                        "it is in progress on another server sharing this store: cancel it there");
                await coordinator.CancelAsync(job);
                return TypedResults.Accepted($"/api/runs/{RunIds.Format(run.Id)}", RunView.From(job.Record));
            }
            if (run.ParentId is { } parent)
                return Problem(StatusCodes.Status409Conflict, "The run is part of a comparison.", $"delete the comparison {RunIds.Format(parent)} instead");
            if (results.RemoveDirectory(run.Id) is { } refusal)
                return Problem(StatusCodes.Status409Conflict, "The results folder holds files this server did not write.", refusal);
            if (results.Store is { } store) await store.DeleteRunAsync(run.Id, ct);
            coordinator.Forget(run.Id);
            return TypedResults.NoContent();
        });

    private static async Task<IResult> EventsAsync(string id, RunCatalog catalog, RunCoordinator coordinator, CancellationToken ct) =>
        await WithRun(id, catalog, ct, r => Task.FromResult<IResult>(TypedResults.ServerSentEvents(Events(r, coordinator.Find(r.Id), catalog, ct))));

    /// <summary>
    /// The run's status at each change, each event with an id (the change's number); always ends
    /// with a terminal event (completed, failed or cancelled). A run of another server sharing the
    /// store is followed by reading the store every 2 s. A client that reconnects gets the current state.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<RunView>> Events(RunRecord first, RunJob? job, RunCatalog catalog, [EnumeratorCancellation] CancellationToken ct)
    {
        var current = job?.Record ?? first;
        var sequence = 0;
        while (true)
        {
            var eventId = (job?.Version ?? ++sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (RunStatus.IsFinished(current.Status))
            {
                yield return new SseItem<RunView>(RunView.From(current), current.Status) { EventId = eventId };
                yield break;
            }
            yield return new SseItem<RunView>(RunView.From(current), "status") { EventId = eventId };
            if (job is null)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                current = await catalog.GetAsync(first.Id, ct)
                    ?? current with { Status = RunStatus.Failed, Error = "the run was removed" };
                continue;
            }
            // Wake at each change, and at least every 15 s (a keep-alive status event).
            try
            {
                await job.WaitForChangeAsync(current, ct).WaitAsync(TimeSpan.FromSeconds(15), ct);
            }
            catch (TimeoutException)
            {
            }
            current = job.Record;
        }
    }

    private static async Task<IResult> SeriesAsync(string id, string? strategy, string? authority, string? metric, RunCatalog catalog, CancellationToken ct)
    {
        var missing = new List<RequestError>();
        if (string.IsNullOrEmpty(authority)) missing.Add(RequestError.Request("authority", "required: an authority code of the run (see its 'authorities')"));
        if (string.IsNullOrEmpty(metric)) missing.Add(RequestError.Request("metric", "required: a metric name (see GET /api/metrics)"));
        else if (!MetricCatalog.TryFind(metric, out _)) missing.Add(RequestError.Request("metric", $"unknown metric '{metric}' (see GET /api/metrics)"));
        if (missing.Count > 0) return Problem(StatusCodes.Status400BadRequest, "Invalid query parameters.", string.Join("; ", missing.Select(Describe)), missing);

        return await WithResults(id, catalog, ct, async (run, source) =>
        {
            if (strategy is not null)
            {
                if (source.Kind != RunKind.Comparison || !ResultsDirectory.IsSafeName(strategy) || await source.StrategyAsync(strategy, ct) is not { } strategySource)
                    return Problem(StatusCodes.Status404NotFound, "No such strategy.", $"'{Truncate(strategy)}' is not a strategy of this comparison (see its /strategies)");
                source = strategySource;
            }
            else if (source.Kind == RunKind.Comparison)
            {
                return Problem(StatusCodes.Status404NotFound, "A comparison has series per strategy.", "use /api/runs/{id}/strategies/{strategy}/series");
            }
            var points = (await source.SeriesAsync(authority!, metric!, ct)).Select(SeriesPointView.From).ToList();
            if (points.Count == 0)
                return Problem(StatusCodes.Status404NotFound, "No such series.",
                    $"the run has no series of '{metric}' for authority '{Truncate(authority!)}'; its authorities: {string.Join(", ", run.Authorities)}");
            MetricCatalog.TryFind(metric!, out var info);
            return TypedResults.Ok(new SeriesView(RunIds.Format(run.Id), strategy, authority!, metric!, info.Unit, source.Origin, points));
        });
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";

    /// <summary>Parses and checks the id, finds the run (404 if none), then calls <paramref name="then"/>.</summary>
    private static async Task<IResult> WithRun(string id, RunCatalog catalog, CancellationToken ct, Func<RunRecord, Task<IResult>> then)
    {
        if (!RunIds.TryParse(id, out var runId))
            return Problem(StatusCodes.Status400BadRequest, "Invalid run id.", "a run id is 32 hexadecimal digits, as returned by POST /api/runs",
                [RequestError.Request("id", "expected 32 hexadecimal digits")]);
        var run = await catalog.GetAsync(runId, ct);
        return run is null ? Problem(StatusCodes.Status404NotFound, "No such run.", $"no run {RunIds.Format(runId)}") : await then(run);
    }

    /// <summary>As <see cref="WithRun"/>, and the run must have completed (409 otherwise).</summary>
    private static Task<IResult> WithResults(string id, RunCatalog catalog, CancellationToken ct, Func<RunRecord, ResultsSource, Task<IResult>> then) =>
        WithRun(id, catalog, ct, async run =>
        {
            var source = await catalog.ResultsAsync(run, ct);
            if (source is null)
                return run.Status == RunStatus.Completed
                    ? Problem(StatusCodes.Status404NotFound, "The run's results are not here.", "neither the store nor this server's results folder has them")
                    : Problem(StatusCodes.Status409Conflict, "The run has no results yet.", $"the run is {run.Status}" + (run.Error is null ? "" : $": {run.Error}"));
            return await then(run, source);
        });

    /// <summary>An application/problem+json response; <paramref name="errors"/> go in its <c>errors</c> extension.</summary>
    public static IResult Problem(int status, string title, string detail, IReadOnlyList<RequestError>? errors = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title,
            extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });
}
