using CareSim.Model.Plan;
using CareSim.Model.Time;
using CareSim.Scenarios.Yaml;

namespace CareSim.Scenarios.Binding;

/// <summary>
/// A scenario file bound to typed values. Only valid values are present; a required value that
/// is missing or invalid is null (its error is already reported). Nodes are kept for positions.
/// </summary>
internal sealed record ScenarioDocument(VObject Node)
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public SimMonth? Start { get; init; }
    public int? HorizonMonths { get; init; }
    public int Replicas { get; init; } = 1000;
    public ulong Seed { get; init; } = 1;
    public SimMonth? HistoryUntil { get; init; }
    public SimMonth? OutcomesFrom { get; init; }
    public IReadOnlyList<ParameterFileReference> ParameterFiles { get; init; } = [];
    public IReadOnlyList<ParameterSetting> Parameters { get; init; } = [];
    public IReadOnlyList<AuthorityDocument> Authorities { get; init; } = [];
    public IReadOnlyList<CommissionerDocument> Commissioners { get; init; } = [];
    public ScenarioOutputs Outputs { get; init; } = ScenarioOutputs.Default;
    public IReadOnlyList<StrategyDocument> Strategies { get; init; } = [];
}

/// <summary>One entry of <c>parameter_files</c>, as written.</summary>
internal sealed record ParameterFileReference(string Path, VNode Node);

/// <summary>One parameter value, in file order.</summary>
internal sealed record ParameterSetting(string Name, double Value, VNode Node);

internal sealed record AuthorityDocument(VObject Node, int Index)
{
    public string? Code { get; init; }
    public VNode? CodeNode { get; init; }
    public string? Name { get; init; }
    public string? Region { get; init; }
    /// <summary>The labour market's id: <c>labour_market</c>, or the region.</summary>
    public string? LabourMarket { get; init; }
    public IReadOnlyList<ParameterSetting> Parameters { get; init; } = [];
    /// <summary>The <c>initial:</c> mapping (its valid fields), if present.</summary>
    public VObject? InitialNode { get; init; }
    /// <summary>The initial state; null when a required field is missing or invalid.</summary>
    public AuthorityInitialState? Initial { get; init; }
    public IReadOnlyList<EventEntry> Timeline { get; init; } = [];
}

/// <summary>
/// A timeline event: its date, and the model event with <see cref="TimelineEvent.Month"/> still 0
/// (the compiler sets months relative to the start).
/// </summary>
internal sealed record EventEntry(VObject Node, string Kind, SimMonth Date, TimelineEvent Template)
{
    /// <summary>An inspection's publication month, if given.</summary>
    public SimMonth? Published { get; init; }
}

internal sealed record CommissionerDocument(VObject Node, string? Id, IReadOnlyList<(string Code, VNode Node)> Oversees);

/// <summary>A strategy as written (see <c>ScenarioFormat.Strategy</c>).</summary>
internal sealed record StrategyDocument(VObject Node)
{
    public string? Name { get; init; }
    public string Description { get; init; } = "";
    /// <summary>Codes from <c>authorities</c>; null when absent (all authorities).</summary>
    public IReadOnlyList<(string Code, VNode Node)>? Authorities { get; init; }
    public IReadOnlyList<ParameterSetting> Parameters { get; init; } = [];
    public IReadOnlyList<StrategyEventEntry> Events { get; init; } = [];
    public CommissionerGrouping Commissioners { get; init; } = CommissionerGrouping.AsScenario;
}

/// <summary>An event of a strategy: a date or an offset from the decision point (both or neither is an error).</summary>
internal sealed record StrategyEventEntry(VObject Node, string Kind, SimMonth? Date, int? OffsetMonths, TimelineEvent Template);
