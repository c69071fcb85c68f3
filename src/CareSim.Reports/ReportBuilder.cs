using CareSim.Engine.Output;
using CareSim.Reports.Charts;
using CareSim.Reports.Input;
using CareSim.Reports.Writing;
using CareSim.Scenarios;

namespace CareSim.Reports;

/// <summary>What to report on and where.</summary>
public sealed record ReportOptions(string ResultsDirectory)
{
    /// <summary>The report folder (default: RESULTS_DIR/report).</summary>
    public string? OutputDirectory { get; init; }
    /// <summary>The baseline dataset to overlay as official figures (data/ or data/baseline), or null.</summary>
    public string? ObservedDirectory { get; init; }
    /// <summary>Write into a folder holding files sim did not write (replacing only the report's files).</summary>
    public bool Force { get; init; }
    public ChartSize ChartSize { get; init; } = ChartSize.Default;
}

/// <summary>A written report: its folder, the Markdown file and the charts (file names).</summary>
public sealed record ReportResult(string OutputDirectory, string ReportPath, IReadOnlyList<string> Charts);

/// <summary>
/// Builds the report of a results directory: report.md and PNG charts (docs/report.md). Reads and
/// checks every input first; writes into a staging folder renamed into place at the end, so that
/// on any error nothing is left behind.
/// </summary>
public static class ReportBuilder
{
    public const string DefaultFolder = "report";
    public const string ReportFile = "report.md";
    private const string Command = "sim report";

    /// <exception cref="ReportInputException">A missing or malformed input (results directory, file, observed data, output folder).</exception>
    public static ReportResult Build(ReportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var data = ResultsReader.Read(options.ResultsDirectory);
        var observed = options.ObservedDirectory is null ? null : ObservedFigures.Load(options.ObservedDirectory);
        var names = AuthorityNames(data, observed);
        var outDir = options.OutputDirectory ?? Path.Combine(options.ResultsDirectory, DefaultFolder);
        try
        {
            using var output = OutputFolder.Begin(outDir, Command, options.Force);
            var writer = new ReportWriter(data, observed, names, output, options.ChartSize, cancellationToken);
            var markdown = writer.Write();
            File.WriteAllText(output.PathOf(ReportFile), markdown);
            cancellationToken.ThrowIfCancellationRequested();
            output.Commit();
            return new ReportResult(output.Destination, Path.Combine(output.Destination, ReportFile), writer.Charts);
        }
        catch (OutputRefusedException e)
        {
            throw new ReportInputException(e.Message);
        }
    }

    /// <summary>
    /// Authority names: from the manifest if it has them, else from the scenario file it names
    /// (when that still loads), else from the observed dataset, else the code.
    /// </summary>
    private static Dictionary<string, string> AuthorityNames(ResultsData data, ObservedFigures? observed)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, name) in data.Manifest.AuthorityNames) names[code] = name;
        if (data.Manifest.Authorities.Any(a => !names.ContainsKey(a)) && data.Manifest.ScenarioFile is { } file && File.Exists(file))
        {
            try
            {
                var load = ScenarioLoader.Load(file);
                foreach (var a in load.Plan?.Authorities ?? [])
                    names.TryAdd(a.Code, a.Name);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or FormatException)
            {
                // The scenario file has changed or moved since the run: fall back to the other sources.
            }
        }
        foreach (var code in data.Manifest.Authorities)
        {
            if (!names.ContainsKey(code)) names[code] = observed?.NameOf(code) ?? code;
        }
        return names;
    }
}
