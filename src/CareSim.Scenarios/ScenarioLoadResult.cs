using CareSim.Model.Plan;

namespace CareSim.Scenarios;

/// <summary>
/// The outcome of loading a scenario: the compiled plan when the file is valid, otherwise every
/// error found. Loading never throws for bad input.
/// </summary>
public sealed class ScenarioLoadResult
{
    internal ScenarioLoadResult(SimulationPlan? plan, IReadOnlyList<ScenarioError> errors, string sourceText, string sha256,
        ScenarioOutputs outputs, IReadOnlyList<ScenarioSourceFile> parameterFiles, IReadOnlyList<Strategy>? strategies = null,
        IReadOnlyList<ScenarioError>? warnings = null)
    {
        Warnings = warnings ?? [];
        Strategies = errors.Count == 0 ? strategies ?? [] : [];
        Plan = errors.Count == 0 ? plan : null;
        Errors = errors;
        SourceText = sourceText;
        Sha256 = sha256;
        Outputs = outputs;
        ParameterFiles = parameterFiles;
    }

    /// <summary>The compiled plan; null when there are errors.</summary>
    public SimulationPlan? Plan { get; }

    /// <summary>All errors, ordered by file (command line, scenario, parameter files) and position.</summary>
    public IReadOnlyList<ScenarioError> Errors { get; }

    /// <summary>
    /// Problems that leave the run meaningful (an event after the end of the run, a shortened run
    /// that is all history), ordered by position: callers print them and go on.
    /// </summary>
    public IReadOnlyList<ScenarioError> Warnings { get; }

    public bool IsValid => Errors.Count == 0 && Plan is not null;

    /// <summary>The scenario file's text as read.</summary>
    public string SourceText { get; }

    /// <summary>Lower-case hex SHA-256 of the scenario file's bytes (of the UTF-8 text for <see cref="ScenarioLoader.LoadText"/>).</summary>
    public string Sha256 { get; }

    /// <summary>The <c>outputs:</c> section (defaults when absent or invalid).</summary>
    public ScenarioOutputs Outputs { get; }

    /// <summary>The strategies defined in the scenario's <c>strategies:</c> section (empty when there are errors).</summary>
    public IReadOnlyList<Strategy> Strategies { get; }

    /// <summary>The parameter files read, in order, with their hashes.</summary>
    public IReadOnlyList<ScenarioSourceFile> ParameterFiles { get; }

    /// <summary>The errors, one per line, as <c>file:line:col: path: message</c>.</summary>
    public string FormatErrors() => string.Join(Environment.NewLine, Errors);
}

/// <summary>The outcome of loading a strategies file.</summary>
public sealed record StrategyLoadResult(IReadOnlyList<Strategy> Strategies, IReadOnlyList<ScenarioError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
