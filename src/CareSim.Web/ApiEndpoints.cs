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

    private static readonly QueryParameter AuthorityQuery = new("authority", "string", "An authority code of the run (see its authorities).", Required: true);
    private static readonly QueryParameter MetricQuery = new("metric", "string", "A metric name (GET /api/metrics).", Required: true);

    public static void MapCareSimApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("runs");
        // Every endpoint: unknown query parameters are a 400, and an unexpected failure a 500, both problem+json.
        api.AddEndpointFilter(ApiContract.RejectUnknownQuery);
        api.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ApiProblem), [ProblemJson]),
            new ProducesResponseTypeMetadata(StatusCodes.Status500InternalServerError, typeof(ApiProblem), [ProblemJson]));

        api.MapGet("/metrics", () => TypedResults.Ok(MetricCatalog.All.Select(m => new MetricView(m.Name, m.Unit, m.Description)).ToList()))
            .WithName("ListMetrics").WithSummary("The metrics a run can report (names, units, meaning).");

        api.MapGet("/runs", async (RunCatalog catalog, CancellationToken ct) =>
                TypedResults.Ok(new RunList((await catalog.ListAsync(ct)).Select(RunView.From).ToList())))
            .WithName("ListRuns").WithSummary("Runs and comparisons, newest first.");

        api.MapPost("/runs", SubmitAsync)
            .WithName("SubmitRun")
            .WithSummary("Submit a run: the scenario file itself as the body (YAML; overrides as query parameters), or JSON {\"scenario\": ..., \"replicas\": ..., \"seed\": ..., \"horizon_months\": ...}.")
            .WithMetadata(new AcceptedBodies([("application/json", typeof(SubmitRunBody)), .. Submissions.YamlMediaTypes.Select(m => (m, (Type?)null))]))
            .AcceptsQuery(
                new QueryParameter("replicas", "integer", "Overrides the scenario's replicas (YAML bodies; in JSON, the envelope's replicas).", Minimum: 1),
                new QueryParameter("seed", "integer", "Overrides the scenario's seed (YAML bodies).", Minimum: 0),
                new QueryParameter("horizon_months", "integer", "Overrides the scenario's horizon in months (YAML bodies).", Minimum: 1))
            .RequireApiKey()
            .Produces<RunView>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity,
                StatusCodes.Status429TooManyRequests);

        var run = api.MapGroup("/runs/{id}");
        run.MapGet("", async (string id, RunCatalog catalog, CancellationToken ct) =>
                await WithRun(id, catalog, ct, r => Task.FromResult<IResult>(TypedResults.Ok(RunView.From(r)))))
            .WithName("GetRun").WithSummary("A run's status (queued, running, completed, failed) and progress (0-1).")
            .Produces<RunView>().Problems(StatusCodes.Status404NotFound);

        run.MapGet("/events", EventsAsync)
            .WithName("RunEvents").WithSummary("Server-Sent Events: 'status' events with the run as JSON at each change, ending with one 'completed' or 'failed' event.")
            .Produces<RunView>(StatusCodes.Status200OK, "text/event-stream").Problems(StatusCodes.Status404NotFound);

        run.MapGet("/series", (string id, string? authority, string? metric, RunCatalog catalog, CancellationToken ct) =>
                SeriesAsync(id, null, authority, metric, catalog, ct))
            .WithName("GetSeries").WithSummary("One authority's summary series of one metric: mean and quantiles by month.")
            .AcceptsQuery(AuthorityQuery, MetricQuery)
            .Produces<SeriesView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/outcomes", (string id, RunCatalog catalog, CancellationToken ct) => WithResults(id, catalog, ct,
                async (r, s) => TypedResults.Ok(new OutcomesView(RunIds.Format(r.Id), s.Origin, (await s.OutcomesAsync(ct)).Select(OutcomeView.From).ToList()))))
            .WithName("GetOutcomes").WithSummary("Per authority: months to requires improvement and to good (share within the horizon and quantiles).")
            .Produces<OutcomesView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/outcome-cdf", (string id, RunCatalog catalog, CancellationToken ct) => WithResults(id, catalog, ct,
                async (r, s) => TypedResults.Ok(new OutcomeCdfView(RunIds.Format(r.Id), s.Origin, (await s.OutcomeCdfAsync(ct)).Select(CdfPointView.From).ToList()))))
            .WithName("GetOutcomeCdf").WithSummary("Per authority and outcome: the share of replicas that got there within each number of months.")
            .Produces<OutcomeCdfView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/totals", (string id, RunCatalog catalog, CancellationToken ct) => WithResults(id, catalog, ct,
                async (r, s) => TypedResults.Ok(new TotalsView(RunIds.Format(r.Id), s.Origin, (await s.TotalsAsync(ct)).Select(TotalsRow.From).ToList()))))
            .WithName("GetTotals").WithSummary("Per authority: total cost over the run and the share of replicas ending with each grade.")
            .Produces<TotalsView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/comparison", (string id, RunCatalog catalog, CancellationToken ct) => WithResults(id, catalog, ct, async (r, s) =>
                s.Kind != RunKind.Comparison
                    ? Problem(StatusCodes.Status404NotFound, "Not a comparison.", $"run {RunIds.Format(r.Id)} is a {s.Kind}, not a comparison")
                    : TypedResults.Ok(new ComparisonView(RunIds.Format(r.Id), s.Origin, (await s.ComparisonAsync(ct)).Select(ComparisonRow.From).ToList()))))
            .WithName("GetComparison").WithSummary("A comparison's table: each strategy against the baseline, per authority and measure, with 95% intervals and ranks.")
            .Produces<ComparisonView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/strategies", (string id, RunCatalog catalog, CancellationToken ct) => WithResults(id, catalog, ct, async (r, s) =>
                s.Kind != RunKind.Comparison
                    ? Problem(StatusCodes.Status404NotFound, "Not a comparison.", $"run {RunIds.Format(r.Id)} is a {s.Kind}, not a comparison")
                    : TypedResults.Ok(new StrategiesView(RunIds.Format(r.Id), s.Origin,
                        (await s.StrategiesAsync(ct)).Select(x => new StrategyView(x.Name, x.Description, x.RunId is { } g ? RunIds.Format(g) : null)).ToList()))))
            .WithName("GetStrategies").WithSummary("A comparison's strategies (the baseline included).")
            .Produces<StrategiesView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        run.MapGet("/strategies/{strategy}/series", (string id, string strategy, string? authority, string? metric, RunCatalog catalog, CancellationToken ct) =>
                SeriesAsync(id, strategy, authority, metric, catalog, ct))
            .WithName("GetStrategySeries").WithSummary("A comparison's strategy: one authority's summary series of one metric.")
            .AcceptsQuery(AuthorityQuery, MetricQuery)
            .Produces<SeriesView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

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
    }

    private static string ReportContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".svg" => "image/svg+xml",
        _ => "text/markdown; charset=utf-8",
    };

    // ------------------------------------------------------------------ handlers

    private static async Task<IResult> SubmitAsync(HttpRequest request, RunCoordinator coordinator, IOptions<ServerOptions> options, CancellationToken ct)
    {
        var settings = options.Value;
        var outcome = await Submissions.ReadAsync(request, settings, ct);
        if (outcome.Submission is null)
            return Problem(outcome.Status, outcome.Title, string.Join("; ", outcome.Errors.Select(Describe)), outcome.Errors);

        var job = await coordinator.SubmitAsync(outcome.Submission, ct);
        if (job is null)
            return Problem(StatusCodes.Status429TooManyRequests, "Too many runs are waiting.",
                $"this server runs {settings.MaxConcurrentRuns} at once and queues at most {settings.MaxQueuedRuns}; try again later");
        return TypedResults.Accepted($"/api/runs/{RunIds.Format(job.Id)}", RunView.From(job.Record));
    }

    private static string Describe(RequestError e)
    {
        var where = e.Line > 0 ? $"{e.File}:{e.Line}:{e.Column}: " : "";
        return e.Path.Length > 0 ? $"{where}{e.Path}: {e.Message}" : where + e.Message;
    }

    private static async Task<IResult> EventsAsync(string id, RunCatalog catalog, RunCoordinator coordinator, CancellationToken ct) =>
        await WithRun(id, catalog, ct, r => Task.FromResult<IResult>(TypedResults.ServerSentEvents(Events(r, coordinator.Find(r.Id), ct))));

    private static async IAsyncEnumerable<SseItem<RunView>> Events(RunRecord first, RunJob? job, [EnumeratorCancellation] CancellationToken ct)
    {
        var current = job?.Record ?? first;
        while (true)
        {
            if (RunStatus.IsFinished(current.Status))
            {
                yield return new SseItem<RunView>(RunView.From(current), current.Status);
                yield break;
            }
            yield return new SseItem<RunView>(RunView.From(current), "status");
            if (job is null) yield break; // a run of another server: its status can be polled
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
