using System.Globalization;
using CareSim.Data.Baseline;
using CareSim.Data.Csv;
using CareSim.Engine.Output;
using CareSim.Model.Plan;

namespace CareSim.Data.Import;

/// <summary>
/// Imports the official statistics (DfE children's social care and workforce files, Ofsted
/// judgements, statistical neighbours) into the project's compact baseline dataset. Files are
/// recognised by their header, never by their name.
/// </summary>
public static class OfficialDataImporter
{
    private const string Command = "sim data import";

    /// <summary>
    /// Reads every *.csv under <paramref name="dataDirectory"/> (recursively) and writes
    /// <c>baseline/authorities.csv</c>, <c>baseline/authority_years.csv</c>, <c>baseline/england_years.csv</c>,
    /// <c>baseline/inspections.csv</c>, <c>baseline/import_report.txt</c> and <c>README.md</c> under
    /// <paramref name="outputDirectory"/>.
    /// Everything is staged and moved into place at the end (<see cref="OutputFolder"/>): a folder
    /// holding files sim did not write needs <paramref name="force"/>, and even then only these files are replaced.
    /// </summary>
    /// <exception cref="DataImportException">The data folder does not exist or holds no file of a known kind,
    /// or a file of a known kind cannot be used (empty, truncated, ragged, a required column missing, a
    /// negative value; see docs/data.md). Nothing is written then; the exception carries the report.</exception>
    /// <exception cref="OutputRefusedException">The output folder may not be written (nothing is written).</exception>
    /// <exception cref="OperationCanceledException">Interrupted (Ctrl+C, SIGTERM): nothing is written.</exception>
    public static ImportReport Import(string dataDirectory, string outputDirectory, bool force = false, CancellationToken cancellationToken = default)
    {
        OutputFolder.Check(outputDirectory, Command, force);
        var result = ReadAll(dataDirectory, outputDirectory, cancellationToken);
        var report = result.Report;
        if (report.HasErrors)
        {
            // One line (calibrate and backtest print it as their error); the report lists them all.
            throw new DataImportException(
                $"cannot import '{dataDirectory}': {report.Errors[0]}" + (report.ErrorCount > 1 ? $" (and {report.ErrorCount - 1} more error(s))" : ""),
                report);
        }
        using var output = OutputFolder.Begin(outputDirectory, Command, force);
        report.Outputs = BaselineWriter.Write(result, output.Staging);
        // The report file lists the outputs too, so write it last.
        File.WriteAllText(output.PathOf(Path.Combine("baseline", "import_report.txt")), report.ToString());
        cancellationToken.ThrowIfCancellationRequested();
        output.Commit();
        return report;
    }

    /// <summary>
    /// Command-line entry: imports and prints the report (with its warnings). Returns 0 on success, 2 on
    /// bad input (see <see cref="Import"/>, or an output folder it may not write; nothing is written), 1 when the output cannot be written,
    /// 130 when interrupted (nothing is written).
    /// </summary>
    public static int Run(string dataDirectory, string outputDirectory, TextWriter stdout, TextWriter stderr, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var report = Import(dataDirectory, outputDirectory, force, cancellationToken);
            stdout.Write(report.ToString());
            return 0;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("interrupted: nothing was written");
            return 130;
        }
        catch (DataImportException ex)
        {
            // The report ends with every error, one "error: " line each.
            stderr.Write(ex.Report is not null ? ex.Report.ToString() : $"error: {ex.Message}\n");
            return 2;
        }
        catch (OutputRefusedException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return 2;
        }
        catch (IOException ex)
        {
            stderr.WriteLine($"error: import failed: {ex.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException ex)
        {
            stderr.WriteLine($"error: import failed: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Reads and merges everything in memory without writing (the report may hold errors).</summary>
    internal static ImportResult ReadAll(string dataDirectory, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        if (!Directory.Exists(dataDirectory))
            throw new DataImportException($"Data folder not found: '{Path.GetFullPath(dataDirectory)}'. Pass the folder holding the official DfE and Ofsted CSV files.");
        var report = new ImportReport(Path.GetFullPath(dataDirectory), Path.GetFullPath(outputDirectory));
        var outputFull = Path.GetFullPath(outputDirectory);
        var paths = Directory.EnumerateFiles(dataDirectory, "*.csv", SearchOption.AllDirectories)
            .Where(p => !Path.GetFullPath(p).StartsWith(Path.Combine(outputFull, "baseline") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderBy(p => Path.GetRelativePath(dataDirectory, p).Replace('\\', '/'), StringComparer.Ordinal)
            .ToList();
        var parser = new RowExtractor();
        foreach (var path in paths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rel = Path.GetRelativePath(dataDirectory, path).Replace('\\', '/');
            var fileReport = new FileImportReport(rel);
            report.Add(fileReport);
            (CsvTable Table, FileKindSpec Spec)? file;
            try
            {
                file = OfficialFileReader.Read(path, fileReport);
            }
            catch (IOException ex)
            {
                fileReport.AddError($"cannot read: {ex.Message}");
                continue;
            }
            if (file is not null)
                parser.Extract(file.Value.Table, file.Value.Spec.Kind, fileReport);
        }
        if (!report.Files.Any(f => f.Kind is not null))
        {
            report.AddError(paths.Count == 0
                ? $"no *.csv files under '{Path.GetFullPath(dataDirectory)}': pass the folder holding the official DfE and Ofsted CSV files"
                : $"none of the {paths.Count} *.csv file(s) under '{Path.GetFullPath(dataDirectory)}' has the header of a known kind (see the files above)");
        }
        return parser.Finish(report);
    }
}

/// <summary>Everything an import produced, before writing.</summary>
internal sealed class ImportResult
{
    public required ImportReport Report { get; init; }
    public required IReadOnlyList<AuthorityRow> Authorities { get; init; }
    public required IReadOnlyList<YearRow> AuthorityYears { get; init; }
    public required IReadOnlyList<YearRow> EnglandYears { get; init; }
    public required IReadOnlyList<InspectionRow> Inspections { get; init; }
    public required IReadOnlyList<FileImportReport> SourceFiles { get; init; }
}

internal sealed record AuthorityRow(string Code, string LaNumber, string Name, string Region,
    IReadOnlyList<string> Neighbours, IReadOnlyList<string> OtherCodes, int? FirstYear, int? LastYear);

internal sealed record YearRow(string Code, string LaNumber, string Name, string Region, int Year,
    IReadOnlyDictionary<string, double> Values, string WorkforceUnit);

internal sealed record InspectionRow(string Code, string Name, string Region, DateOnly Start, bool StartEstimated,
    DateOnly? Published, string Framework, Grade Overall, Grade? Leaders, Grade? HelpAndProtection, Grade? ChildrenInCare);

/// <summary>A data row of a DfE file, reduced to measure values.</summary>
internal sealed class ParsedRow
{
    public required DataFileKind Kind { get; init; }
    public required FileImportReport File { get; init; }
    /// <summary>The line of the file the row is on.</summary>
    public required int Line { get; init; }
    public required int Order { get; init; }
    public required bool National { get; init; }
    public required string[] Codes { get; init; }
    public required string[] Numbers { get; init; }
    public required string[] Names { get; init; }
    public required string Region { get; init; }
    public required int Year { get; init; }
    public Dictionary<string, double> Values { get; } = new(StringComparer.Ordinal);
    /// <summary>Canonical codes of the reporting unit (more than one for a shared service).</summary>
    public string[] Unit { get; set; } = [];
    public string UnitKey => string.Join(";", Unit);
}

internal sealed record OfstedRaw(FileImportReport File, string Code, string Number, string Name, string Region,
    DateOnly Start, bool StartEstimated, DateOnly? Published, string Framework, Grade Overall, Grade? Leaders, Grade? HelpAndProtection, Grade? ChildrenInCare);

/// <summary>Reads rows of each kind, then merges them into authority-years.</summary>
internal sealed class RowExtractor
{
    internal const string PopulationFromRate = "~population_from_rate";

    private static readonly (string Measure, ColumnSpec Column, bool Percent)[] s_workforce =
    [
        (Measures.SwFte, FileKinds.SwFte, false),
        (Measures.AgencyFte, FileKinds.AgencyFte, false),
        (Measures.AgencyRate, FileKinds.AgencyRate, true),
        (Measures.VacancyFte, FileKinds.VacancyFte, false),
        (Measures.VacancyRate, FileKinds.VacancyRate, true),
        (Measures.TurnoverRate, FileKinds.TurnoverRate, true),
        (Measures.StartersFte, FileKinds.StartersFte, false),
        (Measures.LeaversFte, FileKinds.LeaversFte, false),
        (Measures.CaseHoldersFte, FileKinds.CaseHoldersFte, false),
        (Measures.Cases, FileKinds.Cases, false),
        (Measures.Caseload, FileKinds.Caseload, false),
        (Measures.AbsenceRate, FileKinds.AbsenceRate, true),
    ];

    /// <summary>Workforce counts, apportioned between the members of a shared service; rates are copied.</summary>
    private static readonly HashSet<string> s_workforceCounts =
    [
        Measures.SwFte, Measures.AgencyFte, Measures.VacancyFte, Measures.StartersFte, Measures.LeaversFte,
        Measures.CaseHoldersFte, Measures.Cases,
    ];

    private static readonly Dictionary<DataFileKind, string[]> s_measuresByKind = new()
    {
        [DataFileKind.Workforce] = s_workforce.Select(w => w.Measure).ToArray(),
        [DataFileKind.ChildrenInNeed] = [Measures.Cin, Measures.CinStarted, Measures.CinEnded],
        [DataFileKind.Referrals] = [Measures.Referrals, Measures.RereferralShare, Measures.NoFurtherActionShare, Measures.NotInNeedShare],
        [DataFileKind.ChildProtectionStarts] = [Measures.CppStarts],
        [DataFileKind.ChildProtectionAt31] = [Measures.Cpp],
        [DataFileKind.LookedAfter] = [Measures.Population, PopulationFromRate, Measures.Cla, Measures.ClaPer10k, Measures.ClaStarts, Measures.ClaCeased],
    };

    private readonly List<ParsedRow> _rows = [];
    private readonly List<OfstedRaw> _ofsted = [];
    private readonly Dictionary<string, (string Name, List<string> Neighbours, FileImportReport File)> _neighbours = new(StringComparer.Ordinal);
    private readonly Dictionary<FileImportReport, int> _usedColumns = [];
    private readonly AuthorityRegistry _registry = new();
    private int _order;

    public void Extract(CsvTable table, DataFileKind kind, FileImportReport report)
    {
        switch (kind)
        {
            case DataFileKind.StatisticalNeighbours:
                ExtractNeighbours(table, report);
                break;
            case DataFileKind.OfstedJudgements:
                ExtractOfsted(table, report);
                break;
            default:
                ExtractDfe(table, kind, report);
                break;
        }
    }

    private void ExtractDfe(CsvTable table, DataFileKind kind, FileImportReport report)
    {
        var otherLevels = 0;
        var badYears = new LocatedCounts();
        var badCodes = 0;
        var unknownTypes = new SortedSet<string>(StringComparer.Ordinal);
        var unknownTypeRows = 0;
        var values = new ValueReader(table, report);
        _usedColumns[report] = kind == DataFileKind.Workforce ? s_workforce.Count(w => w.Column.IsPresentIn(table)) : table.Header.Count;
        var rowsByYear = new Dictionary<int, int>();
        (int Year, int Line)? lastRow = null;
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var cells = table.Rows[r];
            values.Line = table.LineOf(r);
            var level = FileKinds.GeographicLevel.Cell(table, cells).ToLowerInvariant();
            var national = level == "national";
            if (!national && level != "local authority")
            {
                otherLevels++;
                continue;
            }
            var timePeriod = FileKinds.TimePeriod.Cell(table, cells);
            var year = OfficialValue.ParseYear(timePeriod);
            if (year is null)
            {
                badYears.Add(timePeriod, values.Line);
                continue;
            }
            string[] codes, numbers, names;
            if (national)
            {
                var country = table.Cell(cells, "country_code");
                codes = [country.Length > 0 ? country : BaselineColumns.EnglandCode];
                numbers = [""];
                names = ["England"];
            }
            else
            {
                codes = SplitMembers(FileKinds.LaCode.Cell(table, cells), '/');
                if (codes.Length == 0 || codes.Any(c => !AuthorityRegistry.CodePattern().IsMatch(c)))
                {
                    badCodes++;
                    continue;
                }
                numbers = Align(SplitMembers(FileKinds.LaNumber.Cell(table, cells), '/'), codes.Length);
                var rawName = FileKinds.LaName.Cell(table, cells);
                names = codes.Length > 1 ? Align(rawName.Split(" / ", StringSplitOptions.TrimEntries), codes.Length) : [rawName];
            }
            var row = new ParsedRow
            {
                Kind = kind,
                File = report,
                Line = values.Line,
                Order = _order++,
                National = national,
                Codes = codes,
                Numbers = numbers,
                Names = names,
                Region = national ? "" : FileKinds.RegionName.Cell(table, cells),
                Year = year.Value,
            };
            if (kind == DataFileKind.LookedAfter && !ReadLookedAfter(values, cells, row, unknownTypes))
            {
                unknownTypeRows++;
                continue;
            }
            if (kind != DataFileKind.LookedAfter)
                ReadMeasures(values, cells, kind, row);
            _rows.Add(row);
            report.RowsUsed++;
            report.SeeYear(year.Value);
            if (!national)
            {
                rowsByYear[year.Value] = rowsByYear.GetValueOrDefault(year.Value) + 1;
                lastRow = (year.Value, values.Line);
            }
            if (!national)
            {
                for (var i = 0; i < codes.Length; i++)
                    _registry.Observe(codes[i], numbers[i], names[i], row.Region, year, row.Values.Count > 0, fromDfe: true);
            }
        }
        values.ReportUnknownCodes();
        WarnOfShortLastYear(rowsByYear, lastRow, report);
        if (otherLevels > 0)
            report.AddNote($"{otherLevels} rows at other geographic levels (e.g. regional) not used");
        if (badYears.Total > 0)
            report.AddWarning($"{badYears.Total} rows with a time_period that is not a year, not used: {badYears}", badYears.FirstLine);
        if (badCodes > 0)
            report.AddNote($"{badCodes} local-authority rows without a valid new_la_code not used");
        if (unknownTypeRows > 0)
            report.AddNote($"{unknownTypeRows} rows of other population types not used: {string.Join("; ", unknownTypes)}");
    }

    /// <summary>
    /// A file cut off at a line end loses its last rows silently: DfE's files run year by year, so the
    /// year of the last row then has fewer authorities than the file's others. A warning when it has
    /// under 90% of the fullest year's local-authority rows (files of 20 rows a year or more; with
    /// fewer, as in extracts of a few authorities, the counts say nothing).
    /// </summary>
    private static void WarnOfShortLastYear(Dictionary<int, int> rowsByYear, (int Year, int Line)? lastRow, FileImportReport report)
    {
        if (lastRow is not { } last || rowsByYear.Count < 2)
            return;
        var fullest = rowsByYear.MaxBy(kv => kv.Value);
        var rows = rowsByYear[last.Year];
        if (fullest.Value < 20 || rows >= 0.9 * fullest.Value)
            return;
        report.AddWarning(string.Create(CultureInfo.InvariantCulture,
            $"the file ends with {last.Year}, which has {rows} local-authority rows where {fullest.Key} has {fullest.Value}: if the file was cut off, its last rows are missing; compare it with the published file"),
            last.Line);
    }

    private static string[] SplitMembers(string text, char separator) =>
        text.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string[] Align(string[] values, int length)
    {
        if (values.Length == length)
            return values;
        var result = new string[length];
        Array.Fill(result, "");
        if (values.Length == 1 && length > 1)
            return result;
        Array.Copy(values, result, Math.Min(values.Length, length));
        return result;
    }

    private static void Set(ParsedRow row, string measure, double? value)
    {
        if (value is not null)
            row.Values[measure] = value.Value;
    }

    private static void ReadMeasures(ValueReader values, string[] cells, DataFileKind kind, ParsedRow row)
    {
        switch (kind)
        {
            case DataFileKind.Workforce:
                foreach (var (measure, column, percent) in s_workforce)
                {
                    var v = values.Number(cells, column);
                    Set(row, measure, percent ? v / 100.0 : v);
                }
                break;
            case DataFileKind.ChildrenInNeed:
                Set(row, Measures.Cin, values.Number(cells, "At31_episodes"));
                Set(row, Measures.CinStarted, values.Number(cells, "Started_episodes"));
                Set(row, Measures.CinEnded, values.Number(cells, "Ended_episodes"));
                break;
            case DataFileKind.Referrals:
                var referrals = values.Number(cells, "referral_count");
                Set(row, Measures.Referrals, referrals);
                Set(row, Measures.RereferralShare, Share(values, cells, "rereferral_percent", "rereferral_count", referrals));
                Set(row, Measures.NoFurtherActionShare, Share(values, cells, "no_further_action_percent", "no_further_action_count", referrals));
                Set(row, Measures.NotInNeedShare, Share(values, cells, "not_in_need_percent", "not_in_need_count", referrals));
                break;
            case DataFileKind.ChildProtectionStarts:
                Set(row, Measures.CppStarts, values.Number(cells, "CPP_start"));
                break;
            case DataFileKind.ChildProtectionAt31:
                Set(row, Measures.Cpp, values.Number(cells, "CPP_At31"));
                break;
            default:
                throw new InvalidOperationException($"No measures for {kind}.");
        }
    }

    /// <summary>DfE's percentage divided by 100; when suppressed, the count over referrals if both are given.</summary>
    private static double? Share(ValueReader values, string[] cells, string percentColumn, string countColumn, double? referrals)
    {
        var percent = values.Number(cells, percentColumn);
        var count = values.Number(cells, countColumn);
        if (percent is not null)
            return percent.Value / 100.0;
        return count is not null && referrals is > 0 ? count.Value / referrals.Value : null;
    }

    private static bool ReadLookedAfter(ValueReader values, string[] cells, ParsedRow row, SortedSet<string> unknownTypes)
    {
        var type = values.Table.Cell(cells, "population_type");
        var t = type.ToLowerInvariant();
        string? countMeasure =
            t.Contains("ceas", StringComparison.Ordinal) ? Measures.ClaCeased
            : t.Contains("start", StringComparison.Ordinal) ? Measures.ClaStarts
            : t.Contains("looked after", StringComparison.Ordinal) && (t.Contains("31 march", StringComparison.Ordinal) || t.Contains("at 31", StringComparison.Ordinal)) ? Measures.Cla
            : null;
        if (countMeasure is null)
        {
            unknownTypes.Add(type);
            return false;
        }
        var population = values.Number(cells, "population_estimate");
        var count = values.Number(cells, "children_count");
        var rate = values.Number(cells, "rate_per_10000");
        Set(row, Measures.Population, population);
        Set(row, countMeasure, count);
        if (countMeasure == Measures.Cla)
            Set(row, Measures.ClaPer10k, rate);
        if (population is null && count is > 0 && rate is > 0)
            row.Values[PopulationFromRate] = count.Value / rate.Value * 10000.0;
        return true;
    }

    private void ExtractNeighbours(CsvTable table, FileImportReport report)
    {
        var numberColumn = FileKinds.LaNumberColumn.Resolve(table)!;
        var nameColumn = table.FirstPresent(["LA Name", "la_name", "LA name"]);
        var notNumbers = 0;
        foreach (var cells in table.Rows)
        {
            var number = table.Cell(cells, numberColumn);
            if (number.Length == 0 || !number.All(char.IsAsciiDigit))
            {
                notNumbers++;
                continue;
            }
            var neighbours = new List<string>();
            for (var i = 1; i <= 10; i++)
            {
                var n = table.Cell(cells, $"SN{i}");
                if (n.Length > 0 && n.All(char.IsAsciiDigit))
                    neighbours.Add(n);
                else
                    report.CountMissing(n.Length == 0 ? OfficialValue.EmptyCode : OfficialValue.OtherCode);
            }
            if (_neighbours.ContainsKey(number))
            {
                report.AddNote($"LA {number} already has neighbours from an earlier file; this row is not used");
                continue;
            }
            _neighbours[number] = (nameColumn is null ? "" : table.Cell(cells, nameColumn), neighbours, report);
            report.RowsUsed++;
        }
        if (notNumbers > 0)
            report.AddNote($"{notNumbers} rows without an LA number (blank or heading rows) not used");
    }

    private void ExtractOfsted(CsvTable table, FileImportReport report)
    {
        var estimated = 0;
        var noGrade = 0;
        var unknownGrades = new SortedSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var cells = table.Rows[r];
            var line = table.LineOf(r);
            var code = FileKinds.LaCode.Cell(table, cells);
            var number = FileKinds.LaNumber.Cell(table, cells);
            var overallText = table.Cell(cells, "overall_effectiveness");
            var overall = ParseGrade(overallText, report, unknownGrades);
            if (overall is null)
            {
                noGrade++;
                continue;
            }
            var publishedText = table.Cell(cells, "publication_date");
            var published = OfstedDates.ParsePublished(publishedText);
            if (published is null && publishedText.Length > 0)
                report.AddWarning($"publication_date '{publishedText}' is not a date (yyyy-mm-dd or dd/mm/yyyy); taken as missing", line);
            var datesText = table.Cell(cells, "inspection_dates");
            var start = OfstedDates.ParseInspectionStart(datesText);
            if (start is null && datesText.Length > 0)
                report.AddWarning($"inspection_dates '{datesText}' cannot be read as dates; the start is estimated from the publication date", line);
            var startEstimated = false;
            if (start is not null && published is not null && (start > published || start < published.Value.AddYears(-2)))
                start = null; // implausible: not before publication, or years earlier
            if (start is null)
            {
                if (published is null)
                {
                    report.AddNote($"row for {code} has neither a readable inspection date nor a publication date; not used");
                    continue;
                }
                start = published.Value.AddMonths(-2);
                startEstimated = true;
                estimated++;
            }
            var name = FileKinds.LaName.Cell(table, cells);
            var region = FileKinds.RegionName.Cell(table, cells);
            _ofsted.Add(new OfstedRaw(report, code, number, name, region, start.Value, startEstimated, published,
                table.Cell(cells, "framework"), overall.Value,
                ParseGrade(table.Cell(cells, "impact_of_leaders"), report, unknownGrades),
                ParseGrade(table.Cell(cells, "help_and_protection"), report, unknownGrades),
                ParseGrade(table.Cell(cells, "children_in_care"), report, unknownGrades)));
            _registry.Observe(code, number, name, region, published?.Year ?? start.Value.Year, hasData: false, fromDfe: false);
            report.RowsUsed++;
            report.SeeYear(published?.Year ?? start.Value.Year);
        }
        if (estimated > 0)
            report.AddNote($"{estimated} inspection start dates not readable: set to publication date minus 2 months");
        if (noGrade > 0)
            report.AddNote($"{noGrade} rows without a recognisable overall grade not used");
        if (unknownGrades.Count > 0)
            report.AddNote($"unrecognised grades treated as missing: {string.Join(", ", unknownGrades.Select(g => $"'{g}'"))}");
    }

    /// <summary>"requires improvement (to be good)" and the other grades; empty is missing; anything else is counted as (other).</summary>
    internal static Grade? ParseGrade(string text, FileImportReport report, ISet<string> unknown)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.Length == 0)
        {
            report.CountMissing(OfficialValue.EmptyCode);
            return null;
        }
        if (t.StartsWith("requires improvement", StringComparison.Ordinal))
            return Grade.RequiresImprovement;
        if (GradeNames.TryParse(t, out var grade))
            return grade;
        report.CountMissing(OfficialValue.OtherCode);
        unknown.Add(text);
        return null;
    }

    public ImportResult Finish(ImportReport report)
    {
        RankFiles();
        foreach (var row in _rows.Where(r => !r.National))
            row.Unit = row.Codes.Select(c => _registry.CanonicalCode(c) ?? c).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToArray();
        foreach (var row in _rows.Where(r => r.National))
            row.Unit = [BaselineColumns.EnglandCode];
        WarnOfDisagreeingDuplicates();

        foreach (var entry in _registry.Merged)
            report.AddNote($"{entry.Name} ({entry.LaNumber}): codes {string.Join(", ", entry.OtherCodes)} merged into {entry.Code} (same LA number)");

        var derived = new Dictionary<string, int>(StringComparer.Ordinal);
        var authorityYears = MergeYears(_rows.Where(r => !r.National), report, derived, apportion: true);
        var englandYears = MergeYears(_rows.Where(r => r.National), report, derived, apportion: false);
        foreach (var (what, count) in derived.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            report.AddNote($"{count} values of {what}");

        var years = authorityYears.GroupBy(y => y.Code).ToDictionary(g => g.Key, g => (First: g.Min(y => y.Year), Last: g.Max(y => y.Year)), StringComparer.Ordinal);
        var authorities = BuildAuthorities(years, report);
        var byCode = authorities.ToDictionary(a => a.Code, StringComparer.Ordinal);
        var yearRows = authorityYears
            .Select(y => y with { LaNumber = byCode[y.Code].LaNumber, Name = byCode[y.Code].Name, Region = byCode[y.Code].Region })
            .OrderBy(y => y.Code, StringComparer.Ordinal).ThenBy(y => y.Year)
            .ToList();
        var inspections = BuildInspections(authorities, report);

        report.Authorities = authorities.Count;
        report.AuthorityYears = yearRows.Count;
        report.EnglandYears = englandYears.Count;
        report.Inspections = inspections.Count;
        report.InspectionStartsEstimated = inspections.Count(i => i.StartEstimated);
        return new ImportResult
        {
            Report = report,
            Authorities = authorities,
            AuthorityYears = yearRows,
            EnglandYears = englandYears.OrderBy(y => y.Year).ToList(),
            Inspections = inspections,
            SourceFiles = report.Files,
        };
    }

    /// <summary>Rows of one file for the same reporting unit and year hold the same figures, or the first
    /// is used and each figure a later row gives differently is a warning at that row.</summary>
    private void WarnOfDisagreeingDuplicates()
    {
        foreach (var group in _rows.GroupBy(r => (r.File, r.UnitKey, r.Year)).Where(g => g.Count() > 1))
        {
            var rows = group.OrderBy(r => r.Order).ToList();
            for (var i = 1; i < rows.Count; i++)
            {
                foreach (var (measure, value) in rows[i].Values.Where(v => !v.Key.StartsWith('~')).OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    var first = rows.Take(i).FirstOrDefault(r => r.Values.ContainsKey(measure));
                    if (first is null || first.Values[measure] == value)
                        continue;
                    rows[i].File.AddWarning(string.Create(CultureInfo.InvariantCulture,
                        $"{string.Join("/", rows[i].Unit)} {rows[i].Year} again, with {measure} {Format(value, 5)} where line {first.Line} has {Format(first.Values[measure], 5)}; line {first.Line} is used"),
                        rows[i].Line);
                }
            }
        }
    }

    /// <summary>
    /// Among files of one kind the newest release is preferred (latest year, then more measure
    /// columns, then path); older files fill its gaps.
    /// </summary>
    private void RankFiles()
    {
        foreach (var group in _rows.Select(r => r.File).Distinct().GroupBy(f => f.Kind))
        {
            var ranked = group
                .OrderByDescending(f => f.LastYear ?? int.MinValue)
                .ThenByDescending(f => _usedColumns.GetValueOrDefault(f))
                .ThenBy(f => f.Path, StringComparer.Ordinal)
                .ToList();
            for (var i = 0; i < ranked.Count; i++)
                ranked[i].Preference = i;
        }
    }

    private List<YearRow> MergeYears(IEnumerable<ParsedRow> rows, ImportReport report, Dictionary<string, int> derived, bool apportion)
    {
        var index = new Dictionary<(string Code, int Year), List<ParsedRow>>();
        foreach (var row in rows)
        {
            foreach (var code in row.Unit)
            {
                if (!index.TryGetValue((code, row.Year), out var list))
                    index[(code, row.Year)] = list = [];
                list.Add(row);
            }
        }
        foreach (var list in index.Values)
            list.Sort((a, b) => a.File.Preference != b.File.Preference ? (a.File.Preference ?? 0).CompareTo(b.File.Preference ?? 0) : a.Order.CompareTo(b.Order));

        // Demand kinds first: their children-in-need counts weight the apportionment of shared workforce returns.
        var values = new Dictionary<(string Code, int Year), Dictionary<string, double>>();
        var units = new Dictionary<(string Code, int Year), string>();
        foreach (var (key, list) in index)
        {
            var v = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var kind in s_measuresByKind.Keys.Where(k => k != DataFileKind.Workforce))
                TakeKind(list, kind, v);
            values[key] = v;
        }
        var sharedNotes = new Dictionary<string, (SortedSet<int> Years, string Basis, string Names)>(StringComparer.Ordinal);
        foreach (var (key, list) in index)
        {
            var unit = TakeKind(list, DataFileKind.Workforce, values[key], out var unitKey);
            if (unit is { Length: > 1 } && apportion)
            {
                var (weight, basis) = Weight(key.Code, unit, key.Year, values);
                foreach (var m in s_workforceCounts.Where(values[key].ContainsKey).ToList())
                    values[key][m] *= weight;
                units[key] = unitKey!;
                if (!sharedNotes.TryGetValue(unitKey!, out var note))
                    sharedNotes[unitKey!] = note = ([], basis, string.Join(" / ", unit.Select(c => _registry.Get(c)?.Name ?? c)));
                note.Years.Add(key.Year);
            }
        }
        foreach (var (unitKey, note) in sharedNotes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            report.AddNote($"shared workforce return {unitKey.Replace(';', '/')} ({note.Names}), {note.Years.Min}-{note.Years.Max}: " +
                $"FTE and case counts apportioned by {note.Basis}, rates copied to each member");
        }

        var result = new List<YearRow>();
        foreach (var (key, v) in values)
        {
            Derive(v, derived);
            v.Remove(PopulationFromRate);
            if (v.Count == 0)
                continue;
            result.Add(new YearRow(key.Code, "", "", "", key.Year, v, units.GetValueOrDefault(key, "")));
        }
        return result;
    }

    /// <summary>Takes the measures of a kind for one authority-year: from the preferred file's reporting
    /// unit, gaps filled from other files' rows for the same unit only.</summary>
    private static string[]? TakeKind(List<ParsedRow> rows, DataFileKind kind, Dictionary<string, double> into) =>
        TakeKind(rows, kind, into, out _);

    private static string[]? TakeKind(List<ParsedRow> rows, DataFileKind kind, Dictionary<string, double> into, out string? unitKey)
    {
        unitKey = null;
        var candidates = rows.Where(r => r.Kind == kind).ToList();
        if (candidates.Count == 0)
            return null;
        var primary = candidates[0];
        unitKey = primary.UnitKey;
        var key = unitKey;
        var same = candidates.Where(r => r.UnitKey == key).ToList();
        foreach (var measure in s_measuresByKind[kind])
        {
            foreach (var row in same)
            {
                if (row.Values.TryGetValue(measure, out var value))
                {
                    into[measure] = value;
                    break;
                }
            }
        }
        return primary.Unit;
    }

    /// <summary>A member's share of a shared service: by children in need at 31 March in the nearest year
    /// where all members have it, else by population, else equal shares.</summary>
    private static (double Weight, string Basis) Weight(string code, string[] unit, int year, Dictionary<(string Code, int Year), Dictionary<string, double>> values)
    {
        foreach (var (measure, basis) in new[] { (Measures.Cin, "children in need at 31 March"), (Measures.Population, "child population") })
        {
            var candidateYears = values.Keys.Where(k => k.Code == code).Select(k => k.Year).Distinct()
                .OrderBy(y => Math.Abs(y - year)).ThenBy(y => y);
            foreach (var y in candidateYears)
            {
                var shares = unit.Select(c => values.TryGetValue((c, y), out var v) && v.TryGetValue(measure, out var x) ? x : (double?)null).ToList();
                if (shares.All(s => s is > 0))
                {
                    var total = shares.Sum(s => s!.Value);
                    var own = values[(code, y)][measure];
                    return (own / total, basis);
                }
            }
        }
        return (1.0 / unit.Length, "equal shares (no children-in-need or population figures for all members)");
    }

    /// <summary>Rates per 10,000 from counts and population; workforce rates from counts when DfE's are missing.</summary>
    private static void Derive(Dictionary<string, double> v, Dictionary<string, int> derived)
    {
        void Count(string what) => derived[what] = derived.GetValueOrDefault(what) + 1;

        if (!v.ContainsKey(Measures.Population) && v.TryGetValue(PopulationFromRate, out var estimate))
        {
            v[Measures.Population] = Math.Round(estimate);
            Count("population estimated as looked-after count / rate x 10,000");
        }
        if (v.TryGetValue(Measures.Population, out var population) && population > 0)
        {
            foreach (var (count, rate) in new[] { (Measures.Referrals, Measures.ReferralsPer10k), (Measures.Cin, Measures.CinPer10k), (Measures.Cpp, Measures.CppPer10k) })
            {
                if (v.TryGetValue(count, out var c))
                    v[rate] = c / population * 10000.0;
            }
            if (!v.ContainsKey(Measures.ClaPer10k) && v.TryGetValue(Measures.Cla, out var cla))
            {
                v[Measures.ClaPer10k] = cla / population * 10000.0;
                Count("cla_per_10k computed from count and population (DfE rate missing)");
            }
        }
        if (v.TryGetValue(Measures.SwFte, out var sw))
        {
            if (!v.ContainsKey(Measures.AgencyRate) && v.TryGetValue(Measures.AgencyFte, out var agency) && agency + sw > 0)
            {
                v[Measures.AgencyRate] = agency / (agency + sw);
                Count("agency_rate computed from FTE (DfE rate missing)");
            }
            if (!v.ContainsKey(Measures.VacancyRate) && v.TryGetValue(Measures.VacancyFte, out var vacancy) && vacancy + sw > 0)
            {
                v[Measures.VacancyRate] = vacancy / (vacancy + sw);
                Count("vacancy_rate computed from FTE (DfE rate missing)");
            }
        }
        if (!v.ContainsKey(Measures.Caseload) && v.TryGetValue(Measures.Cases, out var cases) && v.TryGetValue(Measures.CaseHoldersFte, out var holders) && holders > 0)
        {
            v[Measures.Caseload] = cases / holders;
            Count("caseload computed as cases / case holders (DfE figure missing)");
        }
    }

    private List<AuthorityRow> BuildAuthorities(Dictionary<string, (int First, int Last)> years, ImportReport report)
    {
        var authorities = new List<AuthorityRow>();
        var unmapped = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in _registry.All)
        {
            var neighbours = new List<string>();
            if (entry.LaNumber.Length > 0 && _neighbours.TryGetValue(entry.LaNumber, out var sn))
            {
                foreach (var n in sn.Neighbours)
                {
                    var code = _registry.CanonicalCodeForNumber(n);
                    if (code is null)
                        unmapped.Add(n);
                    else if (code != entry.Code && !neighbours.Contains(code))
                        neighbours.Add(code);
                }
            }
            var y = years.TryGetValue(entry.Code, out var span) ? span : ((int First, int Last)?)null;
            authorities.Add(new AuthorityRow(entry.Code, entry.LaNumber, entry.Name, entry.Region, neighbours, entry.OtherCodes, y?.First, y?.Last));
        }
        if (unmapped.Count > 0)
            report.AddNote($"statistical neighbours with LA numbers not found in the other files (left out): {string.Join(", ", unmapped)}");
        var numbers = authorities.Select(a => a.LaNumber).ToHashSet(StringComparer.Ordinal);
        var orphanRows = _neighbours.Keys.Where(n => !numbers.Contains(n) && _registry.CanonicalCodeForNumber(n) is null).OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (orphanRows.Count > 0)
            report.AddNote($"statistical neighbour rows for LA numbers not found in the other files: {string.Join(", ", orphanRows)}");
        var without = authorities.Where(a => a.Neighbours.Count == 0).Select(a => $"{a.Name} ({a.LaNumber})").ToList();
        if (_neighbours.Count > 0 && without.Count > 0)
            report.AddNote($"no statistical neighbours for: {string.Join(", ", without)}");
        return authorities;
    }

    private List<InspectionRow> BuildInspections(List<AuthorityRow> authorities, ImportReport report)
    {
        var byCode = authorities.ToDictionary(a => a.Code, StringComparer.Ordinal);
        var result = new List<InspectionRow>();
        foreach (var raw in _ofsted)
        {
            var code = _registry.CanonicalCode(raw.Code) ?? (raw.Number.Length > 0 ? _registry.CanonicalCodeForNumber(raw.Number) : null);
            if (code is null || !byCode.TryGetValue(code, out var authority))
            {
                raw.File.AddNote($"inspection of '{raw.Name}' ({raw.Code}) not matched to an authority; not used");
                continue;
            }
            // An inspection after the authority's data end belongs to its successor of the same name
            // (the Ofsted file keeps Dorset's pre-2019 code for the new Dorset Council).
            if (authority.LastYear is not null && authority.LastYear < raw.Start.Year - 1)
            {
                var key = NameKey(authority.Name);
                var successors = authorities
                    .Where(a => a.Code != authority.Code && NameKey(a.Name) == key
                        && a.FirstYear is not null && a.FirstYear <= raw.Start.Year + 1 && a.LastYear >= raw.Start.Year - 1)
                    .ToList();
                if (successors.Count == 1)
                {
                    report.AddNote($"inspection of {authority.Name} starting {raw.Start:yyyy-MM-dd} filed under {raw.Code}, whose data end in {authority.LastYear}: attached to the successor {successors[0].Code}");
                    authority = successors[0];
                }
            }
            result.Add(new InspectionRow(authority.Code, authority.Name, authority.Region, raw.Start, raw.StartEstimated, raw.Published,
                raw.Framework, raw.Overall, raw.Leaders, raw.HelpAndProtection, raw.ChildrenInCare));
        }
        return result.OrderBy(i => i.Code, StringComparer.Ordinal).ThenBy(i => i.Start).ToList();
    }

    internal static string NameKey(string name)
    {
        var t = name.ToLowerInvariant().Replace("&", " and ", StringComparison.Ordinal).Replace("(pre lg)", "", StringComparison.Ordinal);
        var chars = t.Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray();
        return string.Join(' ', new string(chars).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    internal static string Format(double value, int decimals) =>
        Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("0.##########", CultureInfo.InvariantCulture);
}
