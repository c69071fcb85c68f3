using System.Globalization;
using CareSim.Data.Csv;
using CareSim.Model.Plan;

namespace CareSim.Data.Baseline;

/// <summary>An authority of the baseline dataset (a row of authorities.csv).</summary>
public sealed record AuthorityInfo(
    string Code,
    string LaNumber,
    string Name,
    string Region,
    IReadOnlyList<string> StatisticalNeighbours,
    IReadOnlyList<string> OtherCodes,
    int? FirstYear,
    int? LastYear)
{
    public override string ToString() => LaNumber.Length > 0 ? $"{Name} ({Code}, {LaNumber})" : $"{Name} ({Code})";
}

/// <summary>One authority (or England) in one year: workforce at 30 September, demand at 31 March.</summary>
public sealed record AuthorityYear(string Code, int Year, IReadOnlyDictionary<string, double> Values, string WorkforceUnit)
{
    public double? this[string measure] => Values.TryGetValue(measure, out var v) ? v : null;
}

/// <summary>A full Ofsted inspection (a row of inspections.csv).</summary>
public sealed record InspectionRecord(
    string Code,
    DateOnly Start,
    bool StartEstimated,
    DateOnly? Published,
    string Framework,
    Grade Overall,
    Grade? Leaders,
    Grade? HelpAndProtection,
    Grade? ChildrenInCare)
{
    /// <summary>When the grade became public: the publication date, else two months after the start.</summary>
    public DateOnly KnownFrom => Published ?? Start.AddMonths(2);
}

/// <summary>A value with the year it is for and the date it refers to.</summary>
public sealed record AsOfValue(double Value, int Year, DateOnly ReferenceDate);

/// <summary>
/// The baseline dataset (data/baseline) in memory, with lookups. A measure of year Y counts as
/// known from its reference date: workforce figures from 30 September Y, demand figures from
/// 31 March Y (publication comes months later; the dataset keeps the rule simple).
/// </summary>
public sealed class BaselineDataset
{
    private readonly Dictionary<string, AuthorityInfo> _byCode = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, AuthorityInfo> _byNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AuthorityYear>> _years = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<InspectionRecord>> _inspections = new(StringComparer.OrdinalIgnoreCase);

    private BaselineDataset(string directory, IReadOnlyList<AuthorityInfo> authorities, IReadOnlyList<AuthorityYear> years,
        IReadOnlyList<AuthorityYear> england, IReadOnlyList<InspectionRecord> inspections)
    {
        Directory = directory;
        Authorities = authorities;
        England = england.OrderBy(y => y.Year).ToList();
        foreach (var a in authorities)
        {
            _byCode[a.Code] = a;
            foreach (var other in a.OtherCodes)
                _byCode.TryAdd(other, a);
            if (a.LaNumber.Length > 0)
            {
                // Two authorities never share a number; keep the first.
                _byNumber.TryAdd(a.LaNumber, a);
            }
        }
        foreach (var y in years)
        {
            if (!_years.TryGetValue(y.Code, out var list))
                _years[y.Code] = list = [];
            list.Add(y);
        }
        foreach (var list in _years.Values)
            list.Sort((a, b) => a.Year.CompareTo(b.Year));
        foreach (var i in inspections)
        {
            if (!_inspections.TryGetValue(i.Code, out var list))
                _inspections[i.Code] = list = [];
            list.Add(i);
        }
        foreach (var list in _inspections.Values)
            list.Sort((a, b) => a.Start.CompareTo(b.Start));
        Regions = authorities.Select(a => a.Region).Where(r => r.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderBy(r => r, StringComparer.Ordinal).ToList();
        var allYears = years.Concat(england).ToList();
        FirstYear = allYears.Count == 0 ? null : allYears.Min(y => y.Year);
        LastYear = allYears.Count == 0 ? null : allYears.Max(y => y.Year);
    }

    /// <summary>The folder the dataset was loaded from.</summary>
    public string Directory { get; }
    public IReadOnlyList<AuthorityInfo> Authorities { get; }
    public IReadOnlyList<AuthorityYear> England { get; }
    public IReadOnlyList<string> Regions { get; }
    public int? FirstYear { get; }
    public int? LastYear { get; }
    public IEnumerable<InspectionRecord> AllInspections => _inspections.Values.SelectMany(l => l);

    /// <summary>
    /// Loads a baseline folder (the one holding authorities.csv, authority_years.csv,
    /// england_years.csv and inspections.csv). A folder with a <c>baseline</c> subfolder (e.g. the
    /// repository's <c>data/</c>) is accepted too.
    /// </summary>
    /// <exception cref="BaselineDataException">Missing folder or file, bad header or value.</exception>
    public static BaselineDataset Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!System.IO.Directory.Exists(directory))
            throw new BaselineDataException($"Baseline data folder not found: '{Path.GetFullPath(directory)}'. Create it with 'sim data import --data <official data folder> --out data/'.");
        if (!File.Exists(Path.Combine(directory, BaselineColumns.AuthoritiesFile)) && File.Exists(Path.Combine(directory, "baseline", BaselineColumns.AuthoritiesFile)))
            directory = Path.Combine(directory, "baseline");

        var authorities = ReadTable(directory, BaselineColumns.AuthoritiesFile, [BaselineColumns.Code, BaselineColumns.LaNumber, BaselineColumns.Name, BaselineColumns.Region, BaselineColumns.StatisticalNeighbours],
            (t, r, line) => new AuthorityInfo(
                t.Cell(r, BaselineColumns.Code),
                t.Cell(r, BaselineColumns.LaNumber),
                t.Cell(r, BaselineColumns.Name),
                t.Cell(r, BaselineColumns.Region),
                List(t.Cell(r, BaselineColumns.StatisticalNeighbours)),
                List(t.Cell(r, BaselineColumns.OtherCodes)),
                Int(t, r, BaselineColumns.FirstYear, line, optional: true),
                Int(t, r, BaselineColumns.LastYear, line, optional: true)));
        var years = ReadYears(directory, BaselineColumns.AuthorityYearsFile);
        var england = ReadYears(directory, BaselineColumns.EnglandYearsFile);
        var inspections = ReadTable(directory, BaselineColumns.InspectionsFile,
            [BaselineColumns.Code, BaselineColumns.InspectionStart, BaselineColumns.Published, BaselineColumns.Overall],
            (t, r, line) => new InspectionRecord(
                t.Cell(r, BaselineColumns.Code),
                Date(t, r, BaselineColumns.InspectionStart, line) ?? throw Bad(t, line, $"empty {BaselineColumns.InspectionStart}"),
                t.Cell(r, BaselineColumns.StartEstimated) == "1",
                Date(t, r, BaselineColumns.Published, line),
                t.Cell(r, BaselineColumns.Framework),
                Grade(t, r, BaselineColumns.Overall, line) ?? throw Bad(t, line, $"empty {BaselineColumns.Overall}"),
                Grade(t, r, BaselineColumns.Leaders, line),
                Grade(t, r, BaselineColumns.HelpAndProtection, line),
                Grade(t, r, BaselineColumns.ChildrenInCare, line)));
        var known = authorities.Select(a => a.Code).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var strayYear = years.FirstOrDefault(y => !known.Contains(y.Code));
        if (strayYear is not null)
            throw new BaselineDataException($"{Path.Combine(directory, BaselineColumns.AuthorityYearsFile)}: code {strayYear.Code} is not in {BaselineColumns.AuthoritiesFile}.");
        return new BaselineDataset(Path.GetFullPath(directory), authorities, years, england, inspections);
    }

    private static List<AuthorityYear> ReadYears(string directory, string file) =>
        ReadTable(directory, file, [BaselineColumns.Code, BaselineColumns.Year],
            (t, r, line) =>
            {
                var values = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var column in t.Header)
                {
                    if (!Measures.TryGet(column, out var info))
                        continue; // identity or future columns
                    var cell = t.Cell(r, column);
                    if (cell.Length == 0)
                        continue;
                    if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                        throw Bad(t, line, $"'{cell}' in column {column} is not a number");
                    values[info.Name] = v;
                }
                return new AuthorityYear(t.Cell(r, BaselineColumns.Code), Int(t, r, BaselineColumns.Year, line, optional: false)!.Value, values,
                    t.Cell(r, BaselineColumns.WorkforceUnit));
            });

    private static List<T> ReadTable<T>(string directory, string file, string[] required, Func<CsvTable, string[], int, T> map)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
            throw new BaselineDataException($"Baseline file missing: '{Path.GetFullPath(path)}'. Regenerate the baseline with 'sim data import'.");
        var table = CsvTable.Read(path);
        var missing = required.Where(c => !table.Has(c)).ToList();
        if (missing.Count > 0)
            throw new BaselineDataException($"{path}: bad header, missing column(s) {string.Join(", ", missing)} (header: {string.Join(",", table.Header)}).");
        var result = new List<T>(table.Rows.Count);
        for (var i = 0; i < table.Rows.Count; i++)
            result.Add(map(table, table.Rows[i], i + 2));
        return result;
    }

    private static BaselineDataException Bad(CsvTable t, int line, string problem) => new($"{t.Path}, line {line}: {problem}.");

    private static List<string> List(string cell) =>
        cell.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static int? Int(CsvTable t, string[] r, string column, int line, bool optional)
    {
        var cell = t.Cell(r, column);
        if (cell.Length == 0 && optional)
            return null;
        return int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(t, line, $"'{cell}' in column {column} is not a whole number");
    }

    private static DateOnly? Date(CsvTable t, string[] r, string column, int line)
    {
        var cell = t.Cell(r, column);
        if (cell.Length == 0)
            return null;
        return DateOnly.TryParseExact(cell, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : throw Bad(t, line, $"'{cell}' in column {column} is not a date (yyyy-mm-dd)");
    }

    private static Grade? Grade(CsvTable t, string[] r, string column, int line)
    {
        var cell = t.Cell(r, column);
        if (cell.Length == 0)
            return null;
        return GradeNames.TryParse(cell, out var g) ? g : throw Bad(t, line, $"'{cell}' in column {column} is not a grade (inadequate, requires_improvement, good, outstanding)");
    }

    // ---- Lookups ----

    /// <summary>The authority with this code (current or older code), or null.</summary>
    public AuthorityInfo? FindByCode(string code) => _byCode.GetValueOrDefault(code.Trim());

    /// <summary>The authority with this DfE LA number, or null.</summary>
    public AuthorityInfo? FindByLaNumber(string number) => _byNumber.GetValueOrDefault(number.Trim());

    /// <summary>
    /// Authorities with this name (case-insensitive; punctuation, "&amp;"/"and" and "City of" are
    /// ignored), the current one (latest data) first. Empty when none.
    /// </summary>
    public IReadOnlyList<AuthorityInfo> FindByName(string name)
    {
        var key = NameKey(name);
        return Authorities.Where(a => NameKey(a.Name) == key)
            .OrderByDescending(a => a.LastYear ?? int.MinValue)
            .ThenBy(a => a.Code, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The authority a user means by a code, LA number or name (the current one when several share
    /// a name, e.g. Dorset before and after 2019).
    /// </summary>
    /// <exception cref="UnknownAuthorityException">Nothing matches; the message lists the closest names and codes.</exception>
    public AuthorityInfo Resolve(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Trim();
        if (FindByCode(q) is { } byCode)
            return byCode;
        if (q.Length > 0 && q.All(char.IsAsciiDigit) && FindByLaNumber(q) is { } byNumber)
            return byNumber;
        var byName = FindByName(q);
        if (byName.Count > 0)
            return byName[0];
        // A unique partial name ("Hull") is accepted.
        var key = NameKey(q);
        if (key.Length >= 3)
        {
            var partial = Authorities.Where(a => (" " + NameKey(a.Name) + " ").Contains(" " + key + " ", StringComparison.Ordinal)).ToList();
            if (partial.Select(a => NameKey(a.Name)).Distinct().Count() == 1)
                return partial.OrderByDescending(a => a.LastYear ?? int.MinValue).First();
        }
        throw new UnknownAuthorityException(query, Suggest(q));
    }

    /// <summary>Up to <paramref name="count"/> authorities closest to a query, as "Name (code, number)".</summary>
    public IReadOnlyList<string> Suggest(string query, int count = 5)
    {
        var key = NameKey(query);
        var upper = query.Trim().ToUpperInvariant();
        return Authorities
            .Select(a =>
            {
                var name = NameKey(a.Name);
                var score = name.Contains(key, StringComparison.Ordinal) || (key.Length > 0 && key.Contains(name, StringComparison.Ordinal)) ? 0
                    : a.Code.StartsWith(upper, StringComparison.Ordinal) || a.LaNumber.StartsWith(upper, StringComparison.Ordinal) ? 1
                    : 2;
                var distance = Math.Min(Levenshtein(key, name), Levenshtein(upper, a.Code));
                return (Authority: a, Score: score, Distance: distance);
            })
            .OrderBy(x => x.Score).ThenBy(x => x.Distance).ThenBy(x => x.Authority.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(x => x.Authority.ToString())
            .ToList();
    }

    /// <summary>Authorities of a region (case-insensitive). "London" matches Inner and Outer London.</summary>
    /// <exception cref="CareSimDataException">No such region; the message lists the regions.</exception>
    public IReadOnlyList<AuthorityInfo> InRegion(string region)
    {
        var key = NameKey(region);
        var exact = Authorities.Where(a => NameKey(a.Region) == key).ToList();
        if (exact.Count > 0)
            return exact;
        var partial = Authorities.Where(a => (" " + NameKey(a.Region) + " ").Contains(" " + key + " ", StringComparison.Ordinal)).ToList();
        if (key.Length > 0 && partial.Count > 0)
            return partial;
        throw new CareSimDataException($"Unknown region '{region}'. Regions: {string.Join(", ", Regions)}.");
    }

    /// <summary>All years of an authority (any of its codes), oldest first.</summary>
    public IReadOnlyList<AuthorityYear> Years(string code)
    {
        var authority = FindByCode(code);
        if (authority is null)
            return code.Equals(BaselineColumns.EnglandCode, StringComparison.OrdinalIgnoreCase) ? England : [];
        return _years.TryGetValue(authority.Code, out var list) ? list : [];
    }

    /// <summary>The authority's row for a year, or null.</summary>
    public AuthorityYear? Year(string code, int year) => Years(code).FirstOrDefault(y => y.Year == year);

    /// <summary>The authority's inspections, oldest first.</summary>
    public IReadOnlyList<InspectionRecord> Inspections(string code)
    {
        var authority = FindByCode(code);
        return authority is not null && _inspections.TryGetValue(authority.Code, out var list) ? list : [];
    }

    /// <summary>
    /// The latest value of a measure known at <paramref name="date"/>: from the latest year Y whose
    /// reference date (30 Sep Y for workforce, 31 Mar Y for demand) is on or before the date and
    /// that has a value. <paramref name="maxAgeYears"/> limits how far back it looks from the
    /// latest year known at the date (null: no limit; 0: that year only). The code may be England's
    /// (E92000001) for the England figures.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown measure.</exception>
    public AsOfValue? ValueAsOf(string code, string measure, DateOnly date, int? maxAgeYears = null)
    {
        var info = Measures.Get(measure);
        var latest = Measures.LatestYearKnownAt(info.Timing, date);
        var years = Years(code);
        for (var i = years.Count - 1; i >= 0; i--)
        {
            var y = years[i];
            if (y.Year > latest)
                continue;
            if (maxAgeYears is not null && y.Year < latest - maxAgeYears.Value)
                break;
            if (y.Values.TryGetValue(info.Name, out var v))
                return new AsOfValue(v, y.Year, info.ReferenceDate(y.Year));
        }
        return null;
    }

    /// <summary>England's value as of a date (see <see cref="ValueAsOf"/>).</summary>
    public AsOfValue? EnglandValueAsOf(string measure, DateOnly date, int? maxAgeYears = null) =>
        ValueAsOf(BaselineColumns.EnglandCode, measure, date, maxAgeYears);

    /// <summary>The measure's value in a given year, or null.</summary>
    public double? Value(string code, string measure, int year) => Year(code, year)?[Measures.Get(measure).Name];

    internal static string NameKey(string name)
    {
        var t = " " + name.ToLowerInvariant().Replace("&", " and ", StringComparison.Ordinal) + " ";
        var chars = t.Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray();
        var words = new string(chars).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        // "Bristol, City of" = "City of Bristol" = "Bristol" (but the City of London stays itself).
        var cityOfLondon = words is ["city", "of", "london"];
        for (var i = 0; !cityOfLondon && words.Count > 2 && i + 1 < words.Count; i++)
        {
            if (words[i] == "city" && words[i + 1] == "of")
            {
                words.RemoveRange(i, 2);
                break;
            }
        }
        return string.Join(' ', words);
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
