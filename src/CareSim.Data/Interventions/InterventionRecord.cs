using System.Globalization;
using CareSim.Data.Baseline;
using CareSim.Data.Csv;
using CareSim.Model.Time;

namespace CareSim.Data.Interventions;

/// <summary>What a row of the intervention record says was in force.</summary>
public enum InterventionKind
{
    /// <summary>A non-statutory improvement notice (a DfE adviser or improvement board).</summary>
    ImprovementNotice,
    /// <summary>A statutory direction that does not appoint a commissioner.</summary>
    Direction,
    /// <summary>A statutory direction appointing a commissioner.</summary>
    Commissioner,
    /// <summary>Services run by a children's services trust or a council-owned company (an alternative delivery model).</summary>
    Trust,
}

/// <summary>
/// A row of <c>data/interventions.csv</c>: an intervention in force from <see cref="Start"/> until
/// the month before <see cref="End"/> (null: still in force at the end of the data). Dates are
/// months; where the source gives only the year, <see cref="StartYearOnly"/> is set and
/// <see cref="Start"/> is January of that year.
/// </summary>
public sealed record InterventionRow(
    int Line,
    string Code,
    string Name,
    InterventionKind Kind,
    SimMonth Start,
    bool StartYearOnly,
    SimMonth? End,
    string Detail,
    string Source)
{
    /// <summary>The latest month the start can be, given its precision (December for a year-only start).</summary>
    public SimMonth LatestStart => StartYearOnly ? new SimMonth(Start.Year, 12) : Start;

    /// <summary>In force in <paramref name="month"/>: from <see cref="Start"/> (January for a year-only start) to before <see cref="End"/>.</summary>
    public bool InForce(SimMonth month) => month >= Start && (End is null || month < End.Value);

    /// <summary>The start as written in the scenario format (YYYY-MM).</summary>
    public string StartText => StartYearOnly ? Start.Year.ToString(CultureInfo.InvariantCulture) : Start.ToString();
}

/// <summary>The intervention record could not be read: every problem, each as <c>file:line: message</c>.</summary>
public sealed class InterventionDataException(IReadOnlyList<string> errors) : CareSimDataException(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// The sourced record of improvement notices, directions, commissioners and trusts by authority
/// and date (<c>data/interventions.csv</c>; its columns and sources are described in
/// <c>data/interventions.md</c>). Not complete: it is the list the project can source, and the
/// directions that follow every inadequate grade are implied by the inspections, not listed.
/// </summary>
public sealed class InterventionRecord
{
    public const string FileName = "interventions.csv";

    /// <summary>The columns, in the committed file's order (found by name when read).</summary>
    public static readonly IReadOnlyList<string> Columns = ["code", "name", "kind", "start", "end", "detail", "source"];

    private static readonly Dictionary<string, InterventionKind> s_kinds = new(StringComparer.Ordinal)
    {
        ["improvement_notice"] = InterventionKind.ImprovementNotice,
        ["direction"] = InterventionKind.Direction,
        ["commissioner"] = InterventionKind.Commissioner,
        ["trust"] = InterventionKind.Trust,
    };

    private InterventionRecord(string path, IReadOnlyList<InterventionRow> rows, SimMonth coveredFrom, SimMonth coveredUntil)
    {
        Path = path;
        Rows = rows;
        CoveredFrom = coveredFrom;
        CoveredUntil = coveredUntil;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>Every row, in file order.</summary>
    public IReadOnlyList<InterventionRow> Rows { get; }

    /// <summary>January of the earliest start year: before it the record says nothing.</summary>
    public SimMonth CoveredFrom { get; }

    /// <summary>December of the last year of the data (the baseline's last year when given, else the latest year in the file).</summary>
    public SimMonth CoveredUntil { get; }

    /// <summary>The name of a kind in the file (<c>improvement_notice</c>, <c>direction</c>, <c>commissioner</c>, <c>trust</c>).</summary>
    public static string KindName(InterventionKind kind) => s_kinds.First(k => k.Value == kind).Key;

    /// <summary>The rows of one authority (by the code as written; with a dataset, codes are its current codes), in file order.</summary>
    public IReadOnlyList<InterventionRow> For(string code) =>
        Rows.Where(r => string.Equals(r.Code, code.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Whether an intervention of <paramref name="kind"/> was in force for the authority in <paramref name="month"/>.</summary>
    public bool InForce(string code, InterventionKind kind, SimMonth month) =>
        For(code).Any(r => r.Kind == kind && r.InForce(month));

    /// <summary>The record beside a baseline: <c>DIR/interventions.csv</c>, or beside the <c>baseline</c> folder; null when there is none.</summary>
    public static string? FindBeside(string dataDirectory)
    {
        var here = System.IO.Path.Combine(dataDirectory, FileName);
        if (File.Exists(here))
            return here;
        var full = System.IO.Path.GetFullPath(dataDirectory).TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar);
        if (string.Equals(System.IO.Path.GetFileName(full), "baseline", StringComparison.OrdinalIgnoreCase)
            && System.IO.Path.GetDirectoryName(full) is { } parent && File.Exists(System.IO.Path.Combine(parent, FileName)))
            return System.IO.Path.Combine(parent, FileName);
        return null;
    }

    /// <summary>
    /// Reads and checks the record. With <paramref name="data"/>, every code must be an authority
    /// of the dataset (older codes are replaced by the current one) and a name must be its name.
    /// </summary>
    /// <exception cref="InterventionDataException">Missing file, bad header, or bad rows: every problem with file and line.</exception>
    public static InterventionRecord Load(string path, BaselineDataset? data = null)
    {
        if (!File.Exists(path))
            throw new InterventionDataException([$"{path}: intervention record not found"]);
        var lines = File.ReadAllLines(path);
        var errors = new List<string>();
        var rows = new List<InterventionRow>();
        var header = lines.Length == 0 ? [] : SplitLine(lines[0].TrimStart('\uFEFF'));
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; header is not null && i < header.Length; i++)
            index.TryAdd(header[i].Trim(), i);
        var missing = Columns.Where(c => !index.ContainsKey(c)).ToList();
        if (header is null || missing.Count > 0)
            throw new InterventionDataException([$"{path}:1: bad header: missing column(s) {string.Join(", ", missing)}; expected {string.Join(",", Columns)}"]);

        for (var n = 1; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n]))
                continue;
            var where = $"{path}:{n + 1}";
            var cells = SplitLine(lines[n]);
            if (cells is null)
            {
                errors.Add($"{where}: unclosed quote (a row is one line)");
                continue;
            }
            string Cell(string column) => index[column] < cells.Length ? cells[index[column]].Trim() : "";
            var before = errors.Count;
            var code = Code(Cell("code"), Cell("name"), data, where, errors);
            var kind = Kind(Cell("kind"), where, errors);
            var start = Month(Cell("start"), "start", allowYear: true, where, errors);
            var endText = Cell("end");
            var end = endText.Length == 0 ? null : Month(endText, "end", allowYear: false, where, errors);
            var source = Cell("source");
            if (Cell("name").Length == 0)
                errors.Add($"{where}: empty name; give the authority's name (it guards against a mistyped code)");
            if (source.Length == 0)
                errors.Add($"{where}: empty source; every row must name where it comes from");
            if (start is { } s && end is { } e && e.Month <= s.Month)
                errors.Add($"{where}: end {endText} is not after start {Cell("start")}");
            if (errors.Count > before)
                continue;
            rows.Add(new InterventionRow(n + 1, code!, Cell("name"), kind!.Value, start!.Value.Month, start.Value.YearOnly, end?.Month, Cell("detail"), source));
        }
        CheckTrustsDoNotOverlap(rows, path, errors);
        if (errors.Count > 0)
            throw new InterventionDataException(errors);

        var years = rows.Select(r => r.Start.Year).Concat(rows.Where(r => r.End is not null).Select(r => r.End!.Value.Year)).ToList();
        var from = years.Count == 0 ? new SimMonth(1, 1) : new SimMonth(rows.Min(r => r.Start.Year), 1);
        var until = new SimMonth(data?.LastYear ?? (years.Count == 0 ? 1 : years.Max()), 12);
        return new InterventionRecord(path, rows, from, until);
    }

    /// <summary>An authority is in at most one trust at a time.</summary>
    private static void CheckTrustsDoNotOverlap(List<InterventionRow> rows, string path, List<string> errors)
    {
        foreach (var group in rows.Where(r => r.Kind == InterventionKind.Trust).GroupBy(r => r.Code, StringComparer.OrdinalIgnoreCase))
        {
            var trusts = group.OrderBy(r => r.Start).ToList();
            for (var i = 1; i < trusts.Count; i++)
            {
                var previous = trusts[i - 1];
                if (previous.End is null || previous.End.Value > trusts[i].Start)
                    errors.Add($"{path}:{trusts[i].Line}: {trusts[i].Name} ({trusts[i].Code}) is already in a trust from {previous.StartText} (line {previous.Line}) {(previous.End is null ? "with no end" : $"to {previous.End}")}; an authority is in one trust at a time");
            }
        }
    }

    private static string? Code(string code, string name, BaselineDataset? data, string where, List<string> errors)
    {
        if (code.Length == 0)
        {
            errors.Add($"{where}: empty code; expected an ONS authority code such as E08000014");
            return null;
        }
        if (data is null)
        {
            if (code.Length == 9 && code[0] is ('E' or 'e') && code.Skip(1).All(char.IsAsciiDigit))
                return code.ToUpperInvariant();
            errors.Add($"{where}: '{code}' is not an ONS authority code (E followed by 8 digits)");
            return null;
        }
        var authority = data.FindByCode(code);
        if (authority is null)
        {
            var suggestions = data.Suggest(name.Length > 0 ? name : code);
            errors.Add($"{where}: unknown authority code '{code}'{(suggestions.Count > 0 ? $"; closest: {string.Join("; ", suggestions)}" : "")}");
            return null;
        }
        if (name.Length > 0 && !string.Equals(name, authority.Name, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{where}: code {code} is {authority.Name} in the baseline, not '{name}'");
            return null;
        }
        return authority.Code;
    }

    private static InterventionKind? Kind(string text, string where, List<string> errors)
    {
        if (s_kinds.TryGetValue(text, out var kind))
            return kind;
        errors.Add($"{where}: unknown kind '{text}'; expected one of: {string.Join(", ", s_kinds.Keys)}");
        return null;
    }

    private static (SimMonth Month, bool YearOnly)? Month(string text, string column, bool allowYear, string where, List<string> errors)
    {
        if (allowYear && text.Length == 4 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 1900)
            return (new SimMonth(year, 1), true);
        if (SimMonth.TryParse(text, out var month))
            return (month, false);
        var expected = allowYear ? "YYYY, YYYY-MM or YYYY-MM-DD" : "YYYY-MM or YYYY-MM-DD";
        errors.Add(text.Length == 0 ? $"{where}: empty {column}; expected {expected}" : $"{where}: {column} '{text}' is not a date; expected {expected}");
        return null;
    }

    /// <summary>The fields of one CSV line (quotes as RFC 4180); null when a quote is left open.</summary>
    private static string[]? SplitLine(string line)
    {
        if (line.Count(c => c == '"') % 2 != 0)
            return null;
        return CsvParser.Parse(new StringReader(line)).FirstOrDefault() ?? [];
    }
}
