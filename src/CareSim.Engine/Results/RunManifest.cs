using System.Text.Json;
using System.Text.Json.Serialization;

namespace CareSim.Engine.Results;

/// <summary>What a results directory's manifest.json records: enough to reproduce and audit the run.</summary>
public sealed record RunManifest
{
    public required string Tool { get; init; }
    public required string ToolVersion { get; init; }
    public required string Engine { get; init; }
    public required string Scenario { get; init; }
    public string? ScenarioFile { get; init; }
    public required string ScenarioSha256 { get; init; }
    public required ulong Seed { get; init; }
    public required int Replicas { get; init; }
    public required string Start { get; init; }
    public required int HorizonMonths { get; init; }
    /// <summary>Months before this one were known history (the scenario's history_until).</summary>
    public string? HistoryUntil { get; init; }
    /// <summary>The month outcome clocks (months to requires improvement, to good) start from.</summary>
    public string? OutcomesFrom { get; init; }
    public required int BlockSize { get; init; }
    public required IReadOnlyList<string> Authorities { get; init; }
    /// <summary>Each authority's name (code to name), as the scenario gives it.</summary>
    public IReadOnlyDictionary<string, string>? AuthorityNames { get; init; }
    /// <summary>Each authority's region (code to region), as the scenario gives it.</summary>
    public IReadOnlyDictionary<string, string>? AuthorityRegions { get; init; }
    public required IReadOnlyList<string> Metrics { get; init; }
    /// <summary>Every parameter's value for the scenario (defaults included).</summary>
    public required IReadOnlyDictionary<string, double> Parameters { get; init; }
    /// <summary>Per authority, the parameters that differ from the scenario's.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> AuthorityParameters { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
    public required RunTimings Timings { get; init; }
    /// <summary>
    /// Bits in the vector lanes of the process that wrote the results (<see cref="Running.VectorWidth"/>; a cluster's
    /// silos may differ): speed only, the numbers are the same at any width.
    /// </summary>
    public int? VectorBits { get; init; }
    public IReadOnlyDictionary<string, string>? Extra { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The manifest as manifest.json has it (<see cref="JsonOptions"/>, by generated code: no reflection at the end of every run).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ManifestJson.Default.RunManifest);

    public static RunManifest FromJson(string json) =>
        JsonSerializer.Deserialize(json, ManifestJson.Default.RunManifest) ?? throw new InvalidDataException("empty manifest");
}

/// <summary>manifest.json's serialiser, generated at compile time; the same options as <see cref="RunManifest.JsonOptions"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;

public sealed record RunTimings(double SetupSeconds, double SimulateSeconds, double WriteSeconds, double TotalSeconds);
