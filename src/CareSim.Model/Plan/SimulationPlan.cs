using CareSim.Model.Parameters;
using CareSim.Model.Time;

namespace CareSim.Model.Plan;

/// <summary>
/// A scenario compiled for the engines: everything resolved, validated and indexed. Both the
/// reference engine and the grain engine run exactly this.
/// </summary>
public sealed record SimulationPlan
{
    public required string Name { get; init; }
    public required SimMonth Start { get; init; }
    public required int HorizonMonths { get; init; }
    public required int Replicas { get; init; }
    public required ulong Seed { get; init; }
    public required IReadOnlyList<AuthorityPlan> Authorities { get; init; }
    /// <summary>Commissioners; every authority is overseen by exactly one (its own, unless grouped).</summary>
    public required IReadOnlyList<CommissionerPlan> Commissioners { get; init; }
    /// <summary>Labour markets; every authority belongs to exactly one (its region's by default).</summary>
    public required IReadOnlyList<LabourMarketPlan> LabourMarkets { get; init; }
    /// <summary>Month (relative to start) from which outcome clocks (months to RI, to good) run.</summary>
    public int OutcomesFromMonth { get; init; }
    /// <summary>
    /// Months before this one (relative to start) are known history: inspections, monitoring
    /// visits, leader changes and commissioner recommendations happen only as the timeline says.
    /// From this month on the model draws them.
    /// </summary>
    public int HistoryUntilMonth { get; init; }
    /// <summary>Scenario-wide parameters (used by labour markets and commissioners).</summary>
    public required ModelParameters Parameters { get; init; }

    public SimMonth MonthAt(int month) => Start.AddMonths(month);
}

public sealed record AuthorityPlan
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string Region { get; init; }
    public required AuthorityInitialState Initial { get; init; }
    /// <summary>Resolved parameters: the scenario's, with this authority's overrides.</summary>
    public required ModelParameters Parameters { get; init; }
    /// <summary>Events sorted by month (ties in file order); negative months are history.</summary>
    public required IReadOnlyList<TimelineEvent> Events { get; init; }
    /// <summary>Index of the commissioner (in <see cref="SimulationPlan.Commissioners"/>) that oversees it.</summary>
    public required int CommissionerIndex { get; init; }
    /// <summary>Index of its labour market (in <see cref="SimulationPlan.LabourMarkets"/>).</summary>
    public required int LabourMarketIndex { get; init; }
}

public sealed record CommissionerPlan(string Id, IReadOnlyList<int> AuthorityIndices);

public sealed record LabourMarketPlan(string Id, IReadOnlyList<int> AuthorityIndices);
