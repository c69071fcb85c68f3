namespace CareSim.Scenarios;

/// <summary>
/// One problem found in a scenario: where (file, 1-based line and column, and a JSON-path-like
/// <see cref="Path"/> such as <c>authorities[0].timeline[3].grade</c>) and what
/// (<see cref="Message"/> says what was wrong and what is expected). Errors about command-line
/// overrides have line 0 and the option as the path (e.g. <c>--replicas</c>).
/// </summary>
public sealed record ScenarioError(string File, int Line, int Column, string Path, string Message)
{
    /// <summary><c>file:line:col: path: message</c>; the position is omitted when unknown (line 0), the path when empty (the document itself).</summary>
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        return Path.Length > 0 ? $"{where}: {Path}: {Message}" : $"{where}: {Message}";
    }
}

/// <summary>Run settings given on the command line; they replace the scenario's values after parsing.</summary>
public sealed record ScenarioOverrides(int? Replicas = null, ulong? Seed = null, int? HorizonMonths = null);

/// <summary>What the run writes (the scenario's <c>outputs:</c> section).</summary>
public sealed record ScenarioOutputs(bool PerReplica, IReadOnlyList<string> Metrics)
{
    /// <summary>No per-replica output; every metric of <see cref="CareSim.Model.Outputs.MetricCatalog"/>.</summary>
    public static ScenarioOutputs Default { get; } =
        new(false, CareSim.Model.Outputs.MetricCatalog.All.Select(m => m.Name).ToList());
}

/// <summary>A file read while loading a scenario, with the SHA-256 of its bytes (for run manifests).</summary>
public sealed record ScenarioSourceFile(string Path, string Sha256);
