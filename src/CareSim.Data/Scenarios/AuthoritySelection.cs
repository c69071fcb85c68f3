namespace CareSim.Data.Scenarios;

public enum SelectionKind
{
    /// <summary>One authority, by code, LA number or name.</summary>
    Authority,
    /// <summary>Every authority of a region (they share the region's labour market by default).</summary>
    Region,
    /// <summary>Every authority of England.</summary>
    England,
}

/// <summary>Which authorities a scenario built from data holds.</summary>
public sealed record AuthoritySelection(SelectionKind Kind, string? Query = null)
{
    /// <summary>One authority: an ONS code (current or older), a DfE LA number or a name.</summary>
    public static AuthoritySelection Authority(string query) => new(SelectionKind.Authority, query);

    /// <summary>All authorities of a region, e.g. "North West"; "London" is Inner and Outer London.</summary>
    public static AuthoritySelection Region(string region) => new(SelectionKind.Region, region);

    /// <summary>All authorities of England.</summary>
    public static AuthoritySelection AllEngland { get; } = new(SelectionKind.England);

    public override string ToString() => Kind switch
    {
        SelectionKind.Authority => $"authority '{Query}'",
        SelectionKind.Region => $"region '{Query}'",
        _ => "all of England",
    };
}

/// <summary>Settings of a scenario built from data.</summary>
public sealed record ScenarioBuildOptions
{
    /// <summary>Scenario name; default "&lt;selection&gt; from official data as of &lt;date&gt;".</summary>
    public string? Name { get; init; }
    public int HorizonMonths { get; init; } = 60;
    public int Replicas { get; init; } = 1000;
    public ulong Seed { get; init; } = 1;
    /// <summary>When set, a first line <c># yaml-language-server: $schema=&lt;value&gt;</c> points editors at the schema.</summary>
    public string? SchemaReference { get; init; }
    /// <summary>How the timeline's <c>source</c> names the inspections file.</summary>
    public string InspectionSource { get; init; } = "Ofsted judgements (data/baseline/inspections.csv)";
    /// <summary>Optional measures older than this many years before the latest year known at as-of are omitted.</summary>
    public int MaxOptionalAgeYears { get; init; } = 2;
    /// <summary>
    /// When a required figure is known neither for the authority nor for its neighbours at as-of
    /// (e.g. looked-after rates and population before 31 Mar 2021), use the authority's earliest later
    /// figure, flagged in the comment, instead of failing. Off by default: it looks ahead of as-of.
    /// </summary>
    public bool UseLaterFiguresWhenMissing { get; init; }
    /// <summary>Starting quality written for an authority with no inspection on record.</summary>
    public double UninspectedQuality { get; init; } = 0.45;
    /// <summary>
    /// The intervention record whose notices, directions, commissioners and trusts started by the
    /// as-of date go into the timelines (docs/data.md#interventions); null: none (the model still
    /// derives a direction from a published inadequate grade).
    /// </summary>
    public CareSim.Data.Interventions.InterventionRecord? Interventions { get; init; }
}

/// <summary>A built scenario and what was decided on the way.</summary>
public sealed record ScenarioBuildResult(
    string Yaml,
    IReadOnlyList<string> AuthorityCodes,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Skipped);
