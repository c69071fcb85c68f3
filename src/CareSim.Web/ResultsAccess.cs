using CareSim.Engine.Output;
using CareSim.Store;
using Microsoft.Extensions.Options;

namespace CareSim.Web;

/// <summary>Where results are: the results root (always; runs write their directories there) and the PostgreSQL store (when configured).</summary>
public sealed class ResultsAccess
{
    public ResultsAccess(IOptions<ServerOptions> options, PostgresResultsStore? store = null)
    {
        Root = Path.GetFullPath(options.Value.ResultsRoot);
        Directory.CreateDirectory(Root);
        Store = store;
    }

    public string Root { get; }

    public PostgresResultsStore? Store { get; }

    /// <summary>The results directory of run <paramref name="id"/>: built from the parsed id only, never from request text.</summary>
    public string DirectoryOf(Guid id) => Path.Combine(Root, RunIds.Format(id));

    public ResultsDirectory? OpenDirectory(Guid id) => ResultsDirectory.TryOpen(DirectoryOf(id));

    /// <summary>
    /// Removes run <paramref name="id"/>'s results directory if this server wrote it (its manifest
    /// says it was submitted through the API); returns why not otherwise (null when removed or
    /// absent). It is first renamed to a hidden staging name, so readers see it gone at once and a
    /// server killed while deleting leaves nothing the next start does not remove.
    /// </summary>
    public string? RemoveDirectory(Guid id)
    {
        var path = DirectoryOf(id);
        if (!Directory.Exists(path)) return null;
        if (new DirectoryInfo(path).LinkTarget is not null) return $"{RunIds.Format(id)} is a link under the results root: remove it yourself";
        ManifestInfo? manifest;
        try
        {
            manifest = ResultsDirectory.TryOpen(path)?.Manifest;
        }
        catch (InvalidDataException)
        {
            manifest = null;
        }
        if (manifest?.SubmittedThrough != "api")
            return $"the folder {RunIds.Format(id)} under the results root was not written by a run submitted to this API (e.g. sim compare --out): remove it yourself";
        // Files put there since (notes, exports) are the user's: the folder goes only with what the run wrote.
        if (OutputFolder.ForeignFiles(path) is { Count: > 0 } foreign)
            return $"the folder {RunIds.Format(id)} also holds files the run did not write ({string.Join(", ", foreign.Take(5))}): remove it yourself";
        var hidden = Path.Combine(Root, $".{RunIds.Format(id)}.caresim-{Environment.ProcessId}-deleting-{Guid.NewGuid():N}");
        Directory.Move(path, hidden);
        Directory.Delete(hidden, recursive: true);
        return null;
    }

    /// <summary>Committed results directories under the root whose names are run ids, newest first.</summary>
    public IEnumerable<(Guid Id, ResultsDirectory Directory)> Directories()
    {
        foreach (var path in Directory.EnumerateDirectories(Root))
        {
            if (!RunIds.TryParse(Path.GetFileName(path), out var id)) continue;
            ResultsDirectory? directory;
            try
            {
                directory = ResultsDirectory.TryOpen(path);
            }
            catch (InvalidDataException)
            {
                continue;
            }
            if (directory is not null) yield return (id, directory);
        }
    }
}

/// <summary>A run's results, read from the store or from its results directory.</summary>
public abstract class ResultsSource
{
    /// <summary><c>store</c> or <c>files</c>.</summary>
    public abstract string Origin { get; }

    public abstract string Kind { get; }

    public abstract Task<IReadOnlyList<SeriesPoint>> SeriesAsync(string authority, string metric, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<OutcomeRecord>> OutcomesAsync(CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<CdfPoint>> OutcomeCdfAsync(CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<TotalsRecord>> TotalsAsync(CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<ComparisonRecord>> ComparisonAsync(CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<StrategyRecord>> StrategiesAsync(CancellationToken cancellationToken);

    /// <summary>A strategy's results (a comparison only); null when <paramref name="name"/> is not one of its strategies.</summary>
    public abstract Task<ResultsSource?> StrategyAsync(string name, CancellationToken cancellationToken);
}

public sealed class StoreResultsSource(PostgresResultsStore store, Guid runId, string kind) : ResultsSource
{
    public override string Origin => "store";

    public override string Kind => kind;

    public override Task<IReadOnlyList<SeriesPoint>> SeriesAsync(string authority, string metric, CancellationToken cancellationToken) =>
        store.GetSeriesAsync(runId, authority, metric, cancellationToken);

    public override Task<IReadOnlyList<OutcomeRecord>> OutcomesAsync(CancellationToken cancellationToken) => store.GetOutcomesAsync(runId, cancellationToken);

    public override Task<IReadOnlyList<CdfPoint>> OutcomeCdfAsync(CancellationToken cancellationToken) => store.GetOutcomeCdfAsync(runId, cancellationToken);

    public override Task<IReadOnlyList<TotalsRecord>> TotalsAsync(CancellationToken cancellationToken) => store.GetTotalsAsync(runId, cancellationToken);

    public override Task<IReadOnlyList<ComparisonRecord>> ComparisonAsync(CancellationToken cancellationToken) => store.GetComparisonAsync(runId, cancellationToken);

    public override Task<IReadOnlyList<StrategyRecord>> StrategiesAsync(CancellationToken cancellationToken) => store.GetStrategiesAsync(runId, cancellationToken);

    public override async Task<ResultsSource?> StrategyAsync(string name, CancellationToken cancellationToken)
    {
        var strategy = (await store.GetStrategiesAsync(runId, cancellationToken)).FirstOrDefault(s => s.Name == name);
        return strategy?.RunId is { } id ? new StoreResultsSource(store, id, RunKind.Run) : null;
    }
}

public sealed class DirectoryResultsSource(ResultsDirectory directory) : ResultsSource
{
    public override string Origin => "files";

    public override string Kind => directory.Kind;

    public ResultsDirectory Directory => directory;

    public override Task<IReadOnlyList<SeriesPoint>> SeriesAsync(string authority, string metric, CancellationToken cancellationToken) =>
        Task.Run(() => directory.ReadSeries(authority, metric), cancellationToken);

    public override Task<IReadOnlyList<OutcomeRecord>> OutcomesAsync(CancellationToken cancellationToken) =>
        Task.Run(() => (IReadOnlyList<OutcomeRecord>)directory.ReadOutcomes().ToList(), cancellationToken);

    public override Task<IReadOnlyList<CdfPoint>> OutcomeCdfAsync(CancellationToken cancellationToken) =>
        Task.Run(() => (IReadOnlyList<CdfPoint>)directory.ReadOutcomeCdf().ToList(), cancellationToken);

    public override Task<IReadOnlyList<TotalsRecord>> TotalsAsync(CancellationToken cancellationToken) =>
        Task.Run(() => (IReadOnlyList<TotalsRecord>)directory.ReadTotals().ToList(), cancellationToken);

    public override Task<IReadOnlyList<ComparisonRecord>> ComparisonAsync(CancellationToken cancellationToken) =>
        Task.Run(() => (IReadOnlyList<ComparisonRecord>)directory.ReadComparison().ToList(), cancellationToken);

    public override Task<IReadOnlyList<StrategyRecord>> StrategiesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(directory.Strategies());

    public override Task<ResultsSource?> StrategyAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(directory.Strategy(name) is { } strategy ? (ResultsSource)new DirectoryResultsSource(strategy) : null);
}

/// <summary>Finds runs: this server's jobs, then the store, then the results directories.</summary>
public sealed class RunCatalog(RunCoordinator coordinator, ResultsAccess results)
{
    public async Task<RunRecord?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (coordinator.Find(id) is { } job) return job.Record;
        if (results.Store is { } store && await store.GetRunAsync(id, cancellationToken) is { } stored) return stored;
        return results.OpenDirectory(id)?.Describe(id);
    }

    /// <summary>Runs and comparisons (not a comparison's strategies' runs) matching <paramref name="query"/>, sorted, one page; and how many match.</summary>
    public async Task<(IReadOnlyList<RunRecord> Page, int Total)> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        var runs = new Dictionary<Guid, RunRecord>();
        foreach (var job in coordinator.Jobs) runs[job.Id] = job.Record;
        if (results.Store is { } store)
            foreach (var run in await store.ListRunsAsync(int.MaxValue, cancellationToken)) runs.TryAdd(run.Id, run);
        // Results and comparison directories under the root (e.g. sim compare --out <root>/<id>) are runs too.
        foreach (var (id, directory) in results.Directories()) runs.TryAdd(id, directory.Describe(id));
        var matching = runs.Values.Where(query.Matches).ToList();
        return (query.Sort(matching).Skip(query.Offset).Take(query.Limit).ToList(), matching.Count);
    }

    /// <summary>The run's results when it has completed: from the store if it is there, else from its results directory.</summary>
    public async Task<ResultsSource?> ResultsAsync(RunRecord run, CancellationToken cancellationToken)
    {
        if (run.Status != RunStatus.Completed) return null;
        if (results.Store is { } store && await store.GetRunAsync(run.Id, cancellationToken) is { Status: RunStatus.Completed } stored)
            return new StoreResultsSource(store, run.Id, stored.Kind);
        return results.OpenDirectory(run.Id) is { } directory ? new DirectoryResultsSource(directory) : null;
    }
}

/// <summary>What GET /api/runs lists: filters (all optional, combined), order and page.</summary>
public sealed record RunQuery(string? Status, string? Kind, string? Scenario, string? Label, string SortBy, bool Descending, int Offset, int Limit)
{
    public static readonly string[] SortKeys = ["created", "scenario", "status", "label", "replicas"];

    public bool Matches(RunRecord run) =>
        (Status is null || run.Status == Status)
        && (Kind is null || run.Kind == Kind)
        && (Scenario is null || (run.Scenario ?? "").Contains(Scenario, StringComparison.OrdinalIgnoreCase))
        && (Label is null || string.Equals(run.Label, Label, StringComparison.Ordinal));

    public IEnumerable<RunRecord> Sort(IEnumerable<RunRecord> runs)
    {
        // Ties (and missing values, last) are broken by creation, newest first, then id: the order is stable across pages.
        IOrderedEnumerable<RunRecord> sorted = SortBy switch
        {
            "scenario" => Order(runs, r => r.Scenario ?? "\uffff"),
            "status" => Order(runs, r => r.Status),
            "label" => Order(runs, r => r.Label ?? "\uffff"),
            "replicas" => Order(runs, r => r.Replicas ?? int.MaxValue),
            _ => Order(runs, r => r.Created ?? DateTimeOffset.MinValue),
        };
        return sorted.ThenByDescending(r => r.Created ?? DateTimeOffset.MinValue).ThenBy(r => r.Id);
    }

    private IOrderedEnumerable<RunRecord> Order<T>(IEnumerable<RunRecord> runs, Func<RunRecord, T> key) =>
        Descending ? runs.OrderByDescending(key) : runs.OrderBy(key);
}
