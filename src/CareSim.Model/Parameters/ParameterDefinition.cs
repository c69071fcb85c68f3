namespace CareSim.Model.Parameters;

/// <summary>
/// One named model parameter: its default, the range a scenario may set, the range over which
/// it is uncertain (for sensitivity analysis and Latin hypercube sampling), and where its value
/// comes from. docs/model.md's parameter tables are generated from these definitions.
/// </summary>
public sealed record ParameterDefinition(
    int Index,
    string Name,
    double Default,
    double Min,
    double Max,
    string Unit,
    string Description,
    string Source)
{
    /// <summary>Lower end of the plausible range explored by sensitivity analysis; null if not uncertain.</summary>
    public double? UncertainLow { get; init; }

    /// <summary>Upper end of the plausible range explored by sensitivity analysis; null if not uncertain.</summary>
    public double? UncertainHigh { get; init; }

    public bool IsUncertain => UncertainLow.HasValue && UncertainHigh.HasValue;

    /// <summary>The mechanism the parameter belongs to: the part of the name before the first dot.</summary>
    public string Group => Name[..Name.IndexOf('.', StringComparison.Ordinal)];
}
