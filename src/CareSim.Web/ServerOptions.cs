namespace CareSim.Web;

/// <summary>
/// Settings of <c>sim serve</c>, from the <c>CareSim</c> configuration section (appsettings.json,
/// environment variables such as <c>CareSim__ApiKey</c>, or the command line's options).
/// </summary>
public sealed class ServerOptions
{
    public const string Section = "CareSim";

    /// <summary>Npgsql connection string of the PostgreSQL results store; none: results are read from the results directories only.</summary>
    public string? ResultsConnectionString { get; set; }

    /// <summary>Folder under which each submitted run's results directory is written, as <c>&lt;root&gt;/&lt;run id&gt;/</c>.</summary>
    public string ResultsRoot { get; set; } = Path.Combine("results", "serve");

    /// <summary>When set, POST requests must carry it in the <c>X-Api-Key</c> header (401 when missing, 403 when wrong).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest request body accepted (bytes); larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Most replicas a submitted run may have (after overrides).</summary>
    public int MaxReplicas { get; set; } = 10_000;

    /// <summary>Longest horizon a submitted run may have, in months.</summary>
    public int MaxHorizonMonths { get; set; } = 240;

    /// <summary>Runs simulated at once; further submissions wait, <c>queued</c>.</summary>
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Runs that may wait at once; further submissions get 429.</summary>
    public int MaxQueuedRuns { get; set; } = 100;

    /// <summary>Replicas per block (grain) of the runs started here.</summary>
    public int BlockSize { get; set; } = 1000;

    /// <summary>The baseline dataset whose official figures the dashboard overlays (a folder such as <c>data/</c>); none when it does not exist.</summary>
    public string ObservedData { get; set; } = "data";

    /// <summary>
    /// Origins whose pages may call the API from a browser (CORS), comma-separated
    /// (<c>https://a.example,https://b.example</c>, or <c>*</c> for any); none by default.
    /// </summary>
    public string? CorsOrigins { get; set; }

    public IReadOnlyList<string> CorsOriginList() =>
        (CorsOrigins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Largest page of GET /api/runs (its <c>limit</c>).</summary>
    public int ListLimit { get; set; } = 200;

    public void Validate()
    {
        if (MaxRequestBodyBytes < 1024) throw new ArgumentException($"{Section}:MaxRequestBodyBytes must be at least 1024");
        if (MaxReplicas < 1) throw new ArgumentException($"{Section}:MaxReplicas must be at least 1");
        if (MaxHorizonMonths < 1) throw new ArgumentException($"{Section}:MaxHorizonMonths must be at least 1");
        if (MaxConcurrentRuns < 1) throw new ArgumentException($"{Section}:MaxConcurrentRuns must be at least 1");
        if (MaxQueuedRuns < 0) throw new ArgumentException($"{Section}:MaxQueuedRuns must be at least 0");
        if (BlockSize < 1) throw new ArgumentException($"{Section}:BlockSize must be at least 1");
        if (string.IsNullOrWhiteSpace(ResultsRoot)) throw new ArgumentException($"{Section}:ResultsRoot must be a folder");
        foreach (var origin in CorsOriginList())
            if (origin != "*" && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"))
                throw new ArgumentException($"{Section}:CorsOrigins: '{origin}' is not an origin (scheme://host[:port], or *)");
    }
}
