using CareSim.Model.Time;

namespace CareSim.Model.Plan;

/// <summary>How a strategy regroups commissioners.</summary>
public enum CommissionerGrouping
{
    /// <summary>As the scenario says.</summary>
    AsScenario = 0,
    /// <summary>One regional improvement commissioner per region, overseeing all its authorities.</summary>
    PerRegion = 1,
    /// <summary>Every authority its own commissioner.</summary>
    PerAuthority = 2,
}

/// <summary>
/// An event a strategy adds: at a calendar month, or a number of months after the scenario's
/// decision point (its <c>history_until</c>: the first month the model is free to act).
/// </summary>
public sealed record StrategyEvent(TimelineEvent Template, SimMonth? Date, int? OffsetMonths)
{
    public int MonthIn(SimulationPlan plan) =>
        Date is { } date ? date.MonthsSince(plan.Start) : plan.HistoryUntilMonth + (OffsetMonths ?? 0);
}

/// <summary>
/// A named overlay on a scenario: what a minister, commissioner or council could do. It changes
/// parameters (levers), adds events and may regroup commissioners; the rest of the scenario (and
/// every random number) stays the same, which is what makes comparisons paired.
/// </summary>
public sealed record Strategy
{
    public const string BaselineName = "baseline";

    public required string Name { get; init; }
    public string Description { get; init; } = "";
    /// <summary>Authority codes the parameters and events apply to; null for all.</summary>
    public IReadOnlyList<string>? Authorities { get; init; }
    public IReadOnlyList<KeyValuePair<string, double>> Parameters { get; init; } = [];
    public IReadOnlyList<StrategyEvent> Events { get; init; } = [];
    public CommissionerGrouping Commissioners { get; init; } = CommissionerGrouping.AsScenario;

    /// <summary>The scenario as it is.</summary>
    public static Strategy Baseline { get; } = new() { Name = BaselineName, Description = "The scenario as it is (in Sefton's case: keep services with commissioner oversight)." };

    public bool IsBaseline => Name == BaselineName && Parameters.Count == 0 && Events.Count == 0 && Commissioners == CommissionerGrouping.AsScenario;

    /// <summary>The plan with this strategy applied. Events after the horizon are dropped.</summary>
    public SimulationPlan ApplyTo(SimulationPlan plan)
    {
        bool Selected(AuthorityPlan a) => Authorities is null || Authorities.Contains(a.Code, StringComparer.Ordinal);
        var authorities = plan.Authorities.Select(a =>
        {
            if (!Selected(a)) return a;
            var added = Events
                .Select(e => e.Template with { Month = e.MonthIn(plan) })
                .Where(e => e.Month < plan.HorizonMonths);
            return a with
            {
                Parameters = a.Parameters.With(Parameters),
                // Existing events first, then the strategy's, each in order (OrderBy is stable).
                Events = a.Events.Concat(added).OrderBy(e => e.Month).ToList(),
            };
        }).ToList();

        var commissioners = Commissioners switch
        {
            CommissionerGrouping.PerRegion => authorities
                .Select((a, index) => (a.Region, index))
                .GroupBy(x => x.Region, StringComparer.Ordinal)
                .Select(g => new CommissionerPlan($"regional-{g.Key}", g.Select(x => x.index).ToList()))
                .ToList(),
            CommissionerGrouping.PerAuthority => authorities
                .Select((a, index) => new CommissionerPlan($"commissioner-{a.Code}", [index]))
                .ToList(),
            _ => plan.Commissioners.ToList(),
        };
        authorities = authorities
            .Select((a, index) => a with { CommissionerIndex = commissioners.FindIndex(c => c.AuthorityIndices.Contains(index)) })
            .ToList();

        return plan with
        {
            Name = IsBaseline ? plan.Name : $"{plan.Name} [{Name}]",
            Parameters = Authorities is null ? plan.Parameters.With(Parameters) : plan.Parameters,
            Authorities = authorities,
            Commissioners = commissioners,
        };
    }
}
