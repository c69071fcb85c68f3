namespace CareSim.Data.Baseline;

/// <summary>When a measure refers to: workforce figures are as at 30 September of the year,
/// demand figures as at (or for the year ending) 31 March of the year.</summary>
public enum MeasureTiming
{
    /// <summary>Children's social work workforce census: year Y refers to 30 September Y.</summary>
    Workforce,
    /// <summary>Children in need, child protection and looked-after children: year Y refers to 31 March Y
    /// (stocks at that date, flows in the year ending then).</summary>
    Demand,
}

public enum MeasureUnit
{
    Count,
    Fte,
    /// <summary>A fraction between 0 and 1 (DfE percentages divided by 100).</summary>
    Fraction,
    Per10k,
    /// <summary>Cases per case-holding social worker (FTE).</summary>
    CasesPerFte,
}

public sealed record MeasureInfo(string Name, MeasureTiming Timing, MeasureUnit Unit, string Description)
{
    /// <summary>The date a figure for <paramref name="year"/> refers to, and from which it counts as known.</summary>
    public DateOnly ReferenceDate(int year) => Measures.ReferenceDate(Timing, year);
}

/// <summary>The measures of the baseline dataset, in file column order.</summary>
public static class Measures
{
    public const string SwFte = "sw_fte";
    public const string AgencyFte = "agency_fte";
    public const string AgencyRate = "agency_rate";
    public const string VacancyFte = "vacancy_fte";
    public const string VacancyRate = "vacancy_rate";
    public const string TurnoverRate = "turnover_rate";
    public const string StartersFte = "starters_fte";
    public const string LeaversFte = "leavers_fte";
    public const string CaseHoldersFte = "case_holders_fte";
    public const string Cases = "cases";
    public const string Caseload = "caseload";
    public const string AbsenceRate = "absence_rate";

    public const string Population = "population";
    public const string Referrals = "referrals";
    public const string ReferralsPer10k = "referrals_per_10k";
    public const string RereferralShare = "rereferral_share";
    public const string NoFurtherActionShare = "no_further_action_share";
    public const string NotInNeedShare = "not_in_need_share";
    public const string Cin = "cin";
    public const string CinPer10k = "cin_per_10k";
    public const string CinStarted = "cin_started";
    public const string CinEnded = "cin_ended";
    public const string Cpp = "cpp";
    public const string CppPer10k = "cpp_per_10k";
    public const string CppStarts = "cpp_starts";
    public const string Cla = "cla";
    public const string ClaPer10k = "cla_per_10k";
    public const string ClaStarts = "cla_starts";
    public const string ClaCeased = "cla_ceased";

    public static IReadOnlyList<MeasureInfo> All { get; } =
    [
        new(SwFte, MeasureTiming.Workforce, MeasureUnit.Fte, "Children and family social workers in post (FTE), excluding agency"),
        new(AgencyFte, MeasureTiming.Workforce, MeasureUnit.Fte, "Agency (locum) social workers (FTE)"),
        new(AgencyRate, MeasureTiming.Workforce, MeasureUnit.Fraction, "Agency workers as a share of all social workers: agency / (agency + in post), FTE"),
        new(VacancyFte, MeasureTiming.Workforce, MeasureUnit.Fte, "Vacant social worker posts (FTE)"),
        new(VacancyRate, MeasureTiming.Workforce, MeasureUnit.Fraction, "Vacancies as a share of the establishment: vacancies / (vacancies + in post), FTE"),
        new(TurnoverRate, MeasureTiming.Workforce, MeasureUnit.Fraction, "Leavers in the year to 30 September over social workers in post, FTE"),
        new(StartersFte, MeasureTiming.Workforce, MeasureUnit.Fte, "Social workers who started in the year to 30 September (FTE)"),
        new(LeaversFte, MeasureTiming.Workforce, MeasureUnit.Fte, "Social workers who left in the year to 30 September (FTE)"),
        new(CaseHoldersFte, MeasureTiming.Workforce, MeasureUnit.Fte, "Social workers holding cases (FTE)"),
        new(Cases, MeasureTiming.Workforce, MeasureUnit.Count, "Cases held by case-holding social workers"),
        new(Caseload, MeasureTiming.Workforce, MeasureUnit.CasesPerFte, "Average caseload: cases per case-holding social worker (FTE)"),
        new(AbsenceRate, MeasureTiming.Workforce, MeasureUnit.Fraction, "Working days lost to sickness absence as a share of working days (FTE)"),

        new(Population, MeasureTiming.Demand, MeasureUnit.Count, "Children aged 0-17 (ONS mid-year estimate used by DfE for the looked-after rates)"),
        new(Referrals, MeasureTiming.Demand, MeasureUnit.Count, "Referrals to children's social care in the year to 31 March"),
        new(ReferralsPer10k, MeasureTiming.Demand, MeasureUnit.Per10k, "Referrals in the year per 10,000 children (referrals / population)"),
        new(RereferralShare, MeasureTiming.Demand, MeasureUnit.Fraction, "Share of referrals within 12 months of a previous referral"),
        new(NoFurtherActionShare, MeasureTiming.Demand, MeasureUnit.Fraction, "Share of referrals closed with no further action"),
        new(NotInNeedShare, MeasureTiming.Demand, MeasureUnit.Fraction, "Share of referrals assessed as not in need"),
        new(Cin, MeasureTiming.Demand, MeasureUnit.Count, "Children in need at 31 March (episodes open at 31 March)"),
        new(CinPer10k, MeasureTiming.Demand, MeasureUnit.Per10k, "Children in need at 31 March per 10,000 children"),
        new(CinStarted, MeasureTiming.Demand, MeasureUnit.Count, "Children-in-need episodes started in the year to 31 March"),
        new(CinEnded, MeasureTiming.Demand, MeasureUnit.Count, "Children-in-need episodes ended in the year to 31 March"),
        new(Cpp, MeasureTiming.Demand, MeasureUnit.Count, "Children on a child protection plan at 31 March"),
        new(CppPer10k, MeasureTiming.Demand, MeasureUnit.Per10k, "Children on a child protection plan at 31 March per 10,000 children"),
        new(CppStarts, MeasureTiming.Demand, MeasureUnit.Count, "Child protection plans started in the year to 31 March"),
        new(Cla, MeasureTiming.Demand, MeasureUnit.Count, "Children looked after at 31 March"),
        new(ClaPer10k, MeasureTiming.Demand, MeasureUnit.Per10k, "Children looked after at 31 March per 10,000 children (DfE's published rate)"),
        new(ClaStarts, MeasureTiming.Demand, MeasureUnit.Count, "Children who started to be looked after in the year to 31 March"),
        new(ClaCeased, MeasureTiming.Demand, MeasureUnit.Count, "Children who ceased to be looked after in the year to 31 March"),
    ];

    private static readonly Dictionary<string, MeasureInfo> s_byName = All.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Names => All.Select(m => m.Name);

    public static bool TryGet(string name, out MeasureInfo info) => s_byName.TryGetValue(name, out info!);

    public static MeasureInfo Get(string name) =>
        s_byName.TryGetValue(name, out var info)
            ? info
            : throw new ArgumentException($"Unknown measure '{name}'. Known measures: {string.Join(", ", Names)}.", nameof(name));

    public static DateOnly ReferenceDate(MeasureTiming timing, int year) =>
        timing == MeasureTiming.Workforce ? new DateOnly(year, 9, 30) : new DateOnly(year, 3, 31);

    /// <summary>The latest year of a timing whose figures refer to a date on or before <paramref name="date"/>.</summary>
    public static int LatestYearKnownAt(MeasureTiming timing, DateOnly date) =>
        ReferenceDate(timing, date.Year) <= date ? date.Year : date.Year - 1;

    public static string Describe(MeasureTiming timing, int year) =>
        timing == MeasureTiming.Workforce ? $"30 Sep {year}" : $"31 Mar {year}";
}

/// <summary>Column names of the baseline files (identity columns; measures follow <see cref="Measures.All"/>).</summary>
public static class BaselineColumns
{
    public const string Code = "code";
    public const string LaNumber = "la_number";
    public const string Name = "name";
    public const string Region = "region";
    public const string Year = "year";
    public const string WorkforceUnit = "workforce_unit";
    public const string StatisticalNeighbours = "statistical_neighbours";
    public const string OtherCodes = "other_codes";
    public const string FirstYear = "first_year";
    public const string LastYear = "last_year";
    public const string InspectionStart = "inspection_start";
    public const string StartEstimated = "start_estimated";
    public const string Published = "published";
    public const string Framework = "framework";
    public const string Overall = "overall";
    public const string Leaders = "leaders";
    public const string HelpAndProtection = "help_and_protection";
    public const string ChildrenInCare = "children_in_care";

    public const string AuthoritiesFile = "authorities.csv";
    public const string AuthorityYearsFile = "authority_years.csv";
    public const string EnglandYearsFile = "england_years.csv";
    public const string InspectionsFile = "inspections.csv";

    public const string EnglandCode = "E92000001";

    public static IReadOnlyList<string> YearFileHeader { get; } =
        [Code, LaNumber, Name, Region, Year, .. Measures.Names, WorkforceUnit];

    public static IReadOnlyList<string> AuthoritiesHeader { get; } =
        [Code, LaNumber, Name, Region, StatisticalNeighbours, OtherCodes, FirstYear, LastYear];

    public static IReadOnlyList<string> InspectionsHeader { get; } =
        [Code, Name, Region, InspectionStart, Published, Framework, Overall, Leaders, HelpAndProtection, ChildrenInCare, StartEstimated];
}
