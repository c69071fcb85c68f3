using CareSim.Data.Csv;

namespace CareSim.Data.Import;

/// <summary>The kinds of official files the importer understands.</summary>
public enum DataFileKind
{
    /// <summary>DfE children's social work workforce (CSWW) indicators or headline measures, by LA, at 30 September.</summary>
    Workforce,
    /// <summary>DfE children in need (table b1): episodes at 31 March, started and ended in the year.</summary>
    ChildrenInNeed,
    /// <summary>DfE referrals and re-referrals (table c1).</summary>
    Referrals,
    /// <summary>DfE child protection plans started, with second or subsequent plans (table d3).</summary>
    ChildProtectionStarts,
    /// <summary>DfE child protection plans at 31 March by duration (table d5).</summary>
    ChildProtectionAt31,
    /// <summary>DfE children looked after: at 31 March, starting, ceasing, with population estimates (long format).</summary>
    LookedAfter,
    /// <summary>DfE statistical neighbour groupings: each LA's ten neighbours by LA number.</summary>
    StatisticalNeighbours,
    /// <summary>Ofsted inspection judgements of LA children's services.</summary>
    OfstedJudgements,
}

/// <summary>A required column: one of several accepted names (DfE renames columns between releases).</summary>
public sealed record ColumnSpec(params string[] Names)
{
    public override string ToString() => string.Join(" or ", Names);
    public bool IsPresentIn(CsvTable table) => Names.Any(table.Has);
    public string? Resolve(CsvTable table) => table.FirstPresent(Names);
}

/// <summary>
/// How a kind is recognised: a file "looks like" the kind when it has all <see cref="Signature"/>
/// columns, and is importable when it also has all <see cref="Required"/> columns. Other columns
/// are ignored, so newer releases with extra columns import unchanged.
/// </summary>
public sealed record FileKindSpec(DataFileKind Kind, string Label, IReadOnlyList<ColumnSpec> Signature, IReadOnlyList<ColumnSpec> Required)
{
    public IEnumerable<ColumnSpec> AllRequired => Signature.Concat(Required).Distinct();

    public IReadOnlyList<ColumnSpec> Missing(CsvTable table) => AllRequired.Where(c => !c.IsPresentIn(table)).ToList();

    public bool LooksLike(CsvTable table) => Signature.All(c => c.IsPresentIn(table));
}

public sealed record Recognition(FileKindSpec? Spec, IReadOnlyList<ColumnSpec> Missing, string? SkipReason)
{
    public bool Recognised => Spec is not null && Missing.Count == 0;
    public bool IsMalformed => Spec is not null && Missing.Count > 0;
}

public static class FileKinds
{
    private static readonly ColumnSpec[] s_geography =
    [
        new("time_period"),
        new("geographic_level"),
        new("new_la_code"),
        new("old_la_code"),
        new("la_name"),
    ];

    // Workforce column alternatives (CSWW indicators name / headline measures name).
    public static readonly ColumnSpec SwFte = new("inpost_fte", "social_worker_fte");
    public static readonly ColumnSpec AgencyFte = new("agency_fte");
    public static readonly ColumnSpec AgencyRate = new("agency_rate_fte", "agency_worker_rate_fte_%", "agency_worker_rate_fte");
    public static readonly ColumnSpec VacancyFte = new("vacancy_fte");
    public static readonly ColumnSpec VacancyRate = new("vacancy_rate_fte", "vacancy_rate_fte_%");
    public static readonly ColumnSpec TurnoverRate = new("turnover_rate_fte", "turnover_rate_fte_%");
    public static readonly ColumnSpec StartersFte = new("starters_fte", "starter_fte");
    public static readonly ColumnSpec LeaversFte = new("leavers_fte", "leaver_fte");
    public static readonly ColumnSpec CaseHoldersFte = new("case_holders_fte");
    public static readonly ColumnSpec Cases = new("cases");
    public static readonly ColumnSpec Caseload = new("caseload_fte");
    public static readonly ColumnSpec AbsenceRate = new("absence_rate_fte", "absence_rate_fte_%");

    public static readonly ColumnSpec LaNumberColumn = new("LA num", "LA number", "la_number", "old_la_code");

    public static IReadOnlyList<FileKindSpec> All { get; } =
    [
        new(DataFileKind.Workforce, "children's social work workforce",
            [SwFte, AgencyFte, VacancyFte],
            [.. s_geography, TurnoverRate, Caseload]),
        new(DataFileKind.ChildrenInNeed, "children in need (b1)",
            [new("At31_episodes")],
            [.. s_geography, new("Started_episodes"), new("Ended_episodes")]),
        new(DataFileKind.Referrals, "referrals and re-referrals (c1)",
            [new("referral_count")],
            [.. s_geography, new("rereferral_percent"), new("no_further_action_percent"), new("not_in_need_percent")]),
        new(DataFileKind.ChildProtectionStarts, "child protection plans started (d3)",
            [new("CPP_start")],
            [.. s_geography]),
        new(DataFileKind.ChildProtectionAt31, "child protection plans at 31 March (d5)",
            [new("CPP_At31")],
            [.. s_geography]),
        new(DataFileKind.LookedAfter, "children looked after",
            [new("population_type")],
            [.. s_geography, new("children_count"), new("rate_per_10000")]),
        new(DataFileKind.StatisticalNeighbours, "statistical neighbours",
            [new("SN1")],
            [LaNumberColumn, .. Enumerable.Range(2, 9).Select(i => new ColumnSpec($"SN{i}"))]),
        new(DataFileKind.OfstedJudgements, "Ofsted judgements",
            [new("overall_effectiveness")],
            [new("new_la_code"), new("la_name"), new("publication_date"), new("inspection_dates")]),
    ];

    public static FileKindSpec Get(DataFileKind kind) => All.First(s => s.Kind == kind);

    /// <summary>Recognises a table by its header alone.</summary>
    public static Recognition Recognise(CsvTable table)
    {
        if (table.Header.Count == 0)
            return new Recognition(null, [], "empty file (no header)");
        var lookalikes = All.Where(s => s.LooksLike(table)).ToList();
        var complete = lookalikes.FirstOrDefault(s => s.Missing(table).Count == 0);
        if (complete is not null)
            return new Recognition(complete, [], null);
        if (lookalikes.Count > 0)
            return new Recognition(lookalikes[0], lookalikes[0].Missing(table), null);
        var closest = All.Select(s => (Spec: s, Missing: s.Missing(table)))
            .OrderBy(x => x.Missing.Count)
            .ThenBy(x => x.Spec.Kind)
            .First();
        var reason = $"not a known kind; closest is {closest.Spec.Label}, which needs {string.Join(", ", closest.Missing)}";
        return new Recognition(null, closest.Missing, reason);
    }
}
