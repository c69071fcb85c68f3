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

/// <summary>A column: one of several accepted names (DfE renames columns between releases), and what it holds.</summary>
public sealed record ColumnSpec(params string[] Names)
{
    /// <summary>What the column holds, for error messages ("social workers in post, FTE").</summary>
    public string Description { get; init; } = "";

    public override string ToString() => string.Join(" or ", Names);
    public bool IsPresentIn(CsvTable table) => Names.Any(table.Has);
    public string? Resolve(CsvTable table) => table.FirstPresent(Names);

    /// <summary>The cell of a row in whichever of the names the table has; empty when none.</summary>
    public string Cell(CsvTable table, string[] row) => Resolve(table) is { } column ? table.Cell(row, column) : "";
}

/// <summary>
/// How a kind is recognised: a file is of the kind when its header has at least half of the kind's
/// <see cref="Identifying"/> columns (by any accepted name), and is importable when it also has all
/// <see cref="Required"/> columns. A file of a kind that lacks a required column is an error, not
/// an unrecognised file. Other columns are ignored, so newer releases with extra columns import unchanged.
/// </summary>
/// <param name="Labels">Required columns that say what a row is about (year, geography, authority).</param>
/// <param name="Values">Required value columns; they identify the kind too.</param>
/// <param name="AlsoIdentifying">Other columns typical of the kind (not required).</param>
public sealed record FileKindSpec(DataFileKind Kind, string Label, IReadOnlyList<ColumnSpec> Labels, IReadOnlyList<ColumnSpec> Values, IReadOnlyList<ColumnSpec> AlsoIdentifying)
{
    public IReadOnlyList<ColumnSpec> Identifying => [.. Values, .. AlsoIdentifying];
    public IReadOnlyList<ColumnSpec> Required => [.. Labels, .. Values];

    public IReadOnlyList<ColumnSpec> Missing(CsvTable table) => Required.Where(c => !c.IsPresentIn(table)).ToList();

    /// <summary>The share of the identifying columns the table has (0 to 1).</summary>
    public double Match(CsvTable table) => Identifying.Count(c => c.IsPresentIn(table)) / (double)Identifying.Count;

    public bool LooksLike(CsvTable table) => Match(table) >= 0.5;

    /// <summary>Why a column is missing, with the file's columns of similar names (a rename?).</summary>
    public static string DescribeMissing(ColumnSpec column, CsvTable table)
    {
        var known = FileKinds.All.SelectMany(k => k.Required.Concat(k.Identifying)).SelectMany(c => c.Names).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var similar = table.Header.Where(h => h.Length > 0 && !known.Contains(h) && column.Names.Any(n => Similar(n, h))).ToList();
        var what = column.Description.Length > 0 ? $" ({column.Description})" : "";
        var found = similar.Count > 0 ? $"found {string.Join(", ", similar)} (renamed?)" : "no column of a similar name";
        return $"column {column}{what} is missing; {found}";
    }

    /// <summary>Names alike once case and punctuation are ignored: equal, one containing the other, or a few letters apart.</summary>
    internal static bool Similar(string a, string b)
    {
        static string Key(string s) => new(s.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
        var x = Key(a);
        var y = Key(b);
        if (x.Length == 0 || y.Length == 0)
            return false;
        if (x == y || (Math.Min(x.Length, y.Length) >= 4 && (x.Contains(y, StringComparison.Ordinal) || y.Contains(x, StringComparison.Ordinal))))
            return true;
        return Distance(x, y) <= Math.Max(1, Math.Min(x.Length, y.Length) / 4);
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}

/// <summary>The kind a header is of (null when none; <see cref="SkipReason"/> says why), and the
/// required columns it lacks (for a known kind, each one an error).</summary>
public sealed record Recognition(FileKindSpec? Spec, IReadOnlyList<ColumnSpec> Missing, string? SkipReason);

public static class FileKinds
{
    // Label columns, with the names DfE has used for them.
    public static readonly ColumnSpec TimePeriod = new("time_period") { Description = "the year" };
    public static readonly ColumnSpec GeographicLevel = new("geographic_level") { Description = "National, Regional or Local authority" };
    public static readonly ColumnSpec LaCode = new("new_la_code", "la_code") { Description = "the authority's ONS code" };
    public static readonly ColumnSpec LaNumber = new("old_la_code", "la_number") { Description = "the authority's DfE LA number" };
    public static readonly ColumnSpec LaName = new("la_name", "local_authority_name", "la_name_new") { Description = "the authority's name" };
    public static readonly ColumnSpec RegionName = new("region_name", "region") { Description = "the region" };

    private static readonly ColumnSpec[] s_geography = [TimePeriod, GeographicLevel, LaCode, LaNumber];

    // Workforce column alternatives (CSWW indicators name / headline measures name).
    public static readonly ColumnSpec SwFte = new("inpost_fte", "social_worker_fte") { Description = "social workers in post, FTE" };
    public static readonly ColumnSpec AgencyFte = new("agency_fte") { Description = "agency workers, FTE" };
    public static readonly ColumnSpec AgencyRate = new("agency_rate_fte", "agency_worker_rate_fte_%", "agency_worker_rate_fte");
    public static readonly ColumnSpec VacancyFte = new("vacancy_fte") { Description = "vacancies, FTE" };
    public static readonly ColumnSpec VacancyRate = new("vacancy_rate_fte", "vacancy_rate_fte_%");
    public static readonly ColumnSpec TurnoverRate = new("turnover_rate_fte", "turnover_rate_fte_%") { Description = "turnover rate, FTE, %" };
    public static readonly ColumnSpec StartersFte = new("starters_fte", "starter_fte");
    public static readonly ColumnSpec LeaversFte = new("leavers_fte", "leaver_fte");
    public static readonly ColumnSpec CaseHoldersFte = new("case_holders_fte");
    public static readonly ColumnSpec Cases = new("cases");
    public static readonly ColumnSpec Caseload = new("caseload_fte") { Description = "average caseload per case-holding FTE" };
    public static readonly ColumnSpec AbsenceRate = new("absence_rate_fte", "absence_rate_fte_%");

    public static readonly ColumnSpec LaNumberColumn = new("LA num", "LA number", "la_number", "old_la_code") { Description = "the LA number" };

    private static ColumnSpec Col(string name, string description) => new(name) { Description = description };

    public static IReadOnlyList<FileKindSpec> All { get; } =
    [
        new(DataFileKind.Workforce, "children's social work workforce", s_geography,
            [SwFte, AgencyFte, VacancyFte, TurnoverRate, Caseload],
            [CaseHoldersFte, Cases, AgencyRate, VacancyRate]),
        new(DataFileKind.ChildrenInNeed, "children in need (b1)", s_geography,
            [Col("At31_episodes", "children in need at 31 March"), Col("Started_episodes", "episodes started in the year"), Col("Ended_episodes", "episodes ended in the year")],
            [Col("Anypoint_episodes", "")]),
        new(DataFileKind.Referrals, "referrals and re-referrals (c1)", s_geography,
            [Col("referral_count", "referrals in the year"), Col("rereferral_percent", "re-referrals, %"),
                Col("no_further_action_percent", "no further action, %"), Col("not_in_need_percent", "assessed not in need, %")],
            [Col("rereferral_count", ""), Col("referral_child_count", "")]),
        new(DataFileKind.ChildProtectionStarts, "child protection plans started (d3)", s_geography,
            [Col("CPP_start", "child protection plans started in the year")],
            [Col("CPP_subsequent", "")]),
        new(DataFileKind.ChildProtectionAt31, "child protection plans at 31 March (d5)", s_geography,
            [Col("CPP_At31", "children on a plan at 31 March")],
            [Col("3_months_or_less", "")]),
        new(DataFileKind.LookedAfter, "children looked after", s_geography,
            [Col("population_type", "which count the row holds"), Col("children_count", "number of children"), Col("rate_per_10000", "rate per 10,000 children")],
            [Col("population_estimate", "")]),
        new(DataFileKind.StatisticalNeighbours, "statistical neighbours", [LaNumberColumn],
            Enumerable.Range(1, 10).Select(i => Col($"SN{i}", $"statistical neighbour {i}")).ToArray(),
            []),
        new(DataFileKind.OfstedJudgements, "Ofsted judgements", [LaCode, LaName],
            [Col("publication_date", "date the report was published"), Col("inspection_dates", "dates of the inspection"), Col("overall_effectiveness", "overall grade")],
            [Col("impact_of_leaders", ""), Col("help_and_protection", ""), Col("children_in_care", "")]),
    ];

    public static FileKindSpec Get(DataFileKind kind) => All.First(s => s.Kind == kind);

    /// <summary>Recognises a table by its header alone: the kind it matches best, if it matches at least half of its identifying columns.</summary>
    public static Recognition Recognise(CsvTable table)
    {
        if (table.Header.Count == 0)
            return new Recognition(null, [], "empty file (no header)");
        var best = All.Select(s => (Spec: s, Match: s.Match(table)))
            .OrderByDescending(x => x.Match)
            .ThenBy(x => x.Spec.Kind)
            .First();
        if (best.Spec.LooksLike(table))
            return new Recognition(best.Spec, best.Spec.Missing(table), null);
        var reason = $"not a known kind; closest is {best.Spec.Label}, which needs {string.Join(", ", best.Spec.Missing(table))}";
        return new Recognition(null, best.Spec.Missing(table), reason);
    }
}
