using System.Globalization;
using System.Text;

namespace CareSim.Data.Import;

/// <summary>What happened to one CSV file during an import.</summary>
public sealed class FileImportReport
{
    private readonly SortedDictionary<string, int> _missing = new(StringComparer.Ordinal);
    /// <summary>At most this many errors and warnings are kept per file; the rest are counted.</summary>
    public const int MaxListed = 10;

    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];
    private readonly List<string> _notes = [];
    private int _moreErrors;
    private int _moreWarnings;

    public FileImportReport(string path) => Path = path;

    /// <summary>Path relative to the data folder, with '/' separators.</summary>
    public string Path { get; }
    public DataFileKind? Kind { get; internal set; }
    public string? KindLabel { get; internal set; }
    public bool Skipped => Kind is null && SkipReason is not null;
    public string? SkipReason { get; internal set; }
    public int RowsRead { get; internal set; }
    public int RowsUsed { get; internal set; }
    public int? FirstYear { get; internal set; }
    public int? LastYear { get; internal set; }
    /// <summary>Rank among files of the same kind (0 = preferred: newest data, then most columns).</summary>
    public int? Preference { get; internal set; }

    /// <summary>Missing or suppressed values in the numeric columns used, by code: "c", "k", "u", "x", "z",
    /// "low", ":", ".", "..", "(empty)", or "(other)" for anything else that is not a number.</summary>
    public IReadOnlyDictionary<string, int> MissingByCode => _missing;
    public int MissingTotal => _missing.Values.Sum();
    /// <summary>Errors, each starting with the file and, when known, the line ("dfe/b1.csv line 12: ...").</summary>
    public IReadOnlyList<string> Errors => _errors;
    /// <summary>Problems that did not stop the import, located like <see cref="Errors"/>.</summary>
    public IReadOnlyList<string> Warnings => _warnings;
    public int ErrorCount => _errors.Count + _moreErrors;
    public int WarningCount => _warnings.Count + _moreWarnings;
    public IReadOnlyList<string> Notes => _notes;

    internal void CountMissing(string code) => _missing[code] = _missing.GetValueOrDefault(code) + 1;

    internal void AddError(string error, int? line = null) => Add(_errors, ref _moreErrors, error, line);

    internal void AddWarning(string warning, int? line = null) => Add(_warnings, ref _moreWarnings, warning, line);

    private void Add(List<string> list, ref int more, string message, int? line)
    {
        if (list.Count >= MaxListed)
            more++;
        else
            list.Add(string.Create(CultureInfo.InvariantCulture, $"{Path}{(line is null ? "" : $" line {line}")}: {message}"));
    }

    private static void AppendMore(StringBuilder sb, int more, string what)
    {
        if (more > 0)
            sb.Append(CultureInfo.InvariantCulture, $"\n    ... and {more} more {what}(s) in this file");
    }
    internal void AddNote(string note) => _notes.Add(note);

    internal void SeeYear(int year)
    {
        FirstYear = FirstYear is null ? year : Math.Min(FirstYear.Value, year);
        LastYear = LastYear is null ? year : Math.Max(LastYear.Value, year);
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Skipped)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{Path}: skipped ({SkipReason})");
            return sb.ToString();
        }
        sb.Append(CultureInfo.InvariantCulture, $"{Path}: {KindLabel ?? Kind?.ToString() ?? "not read"}");
        if (FirstYear is not null)
            sb.Append(FirstYear == LastYear
                ? string.Create(CultureInfo.InvariantCulture, $", {FirstYear}")
                : string.Create(CultureInfo.InvariantCulture, $", {FirstYear}-{LastYear}"));
        if (Preference is > 0)
            sb.Append(CultureInfo.InvariantCulture, $", fills gaps (preference {Preference + 1})");
        sb.Append(CultureInfo.InvariantCulture, $"; rows read {RowsRead}, used {RowsUsed}");
        if (_missing.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; missing/suppressed values {MissingTotal} (");
            sb.Append(string.Join(", ", _missing.Select(kv => $"{kv.Key}: {kv.Value}")));
            sb.Append(')');
        }
        foreach (var note in _notes)
            sb.Append("\n    note: ").Append(note);
        foreach (var warning in _warnings)
            sb.Append("\n    warning: ").Append(warning);
        AppendMore(sb, _moreWarnings, "warning");
        // Errors are listed once, at the end of the import report, each on its own "error: " line.
        return sb.ToString();
    }

    /// <summary>The errors not listed (beyond <see cref="MaxListed"/>).</summary>
    internal int MoreErrors => _moreErrors;
}

/// <summary>The outcome of <see cref="OfficialDataImporter.Import"/>.</summary>
public sealed class ImportReport
{
    private readonly List<FileImportReport> _files = [];
    private readonly List<string> _notes = [];
    private readonly List<string> _errors = [];

    public ImportReport(string dataDirectory, string outputDirectory)
    {
        DataDirectory = dataDirectory;
        OutputDirectory = outputDirectory;
    }

    public string DataDirectory { get; }
    public string OutputDirectory { get; }
    public IReadOnlyList<FileImportReport> Files => _files;
    /// <summary>Dataset-wide notes: merged codes, apportioned shared services, remapped inspections, unmapped neighbours.</summary>
    public IReadOnlyList<string> Notes => _notes;
    /// <summary>Every error, located: the file's errors, then those of the data folder as a whole.</summary>
    public IReadOnlyList<string> Errors => [.. _files.SelectMany(f => f.Errors), .. _errors];
    public bool HasErrors => _errors.Count > 0 || _files.Any(f => f.Errors.Count > 0);
    public IReadOnlyList<string> Warnings => _files.SelectMany(f => f.Warnings).ToList();
    public int ErrorCount => _errors.Count + _files.Sum(f => f.ErrorCount);
    public int WarningCount => _files.Sum(f => f.WarningCount);

    public int Authorities { get; internal set; }
    public int AuthorityYears { get; internal set; }
    public int EnglandYears { get; internal set; }
    public int Inspections { get; internal set; }
    /// <summary>Inspections whose start date could not be parsed and was set to publication minus two months.</summary>
    public int InspectionStartsEstimated { get; internal set; }
    /// <summary>Files written (relative to the output folder); empty when the import failed.</summary>
    public IReadOnlyList<string> Outputs { get; internal set; } = [];

    internal void Add(FileImportReport file) => _files.Add(file);
    internal void AddNote(string note) => _notes.Add(note);
    internal void AddError(string error) => _errors.Add(error);

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Import of official data\n");
        sb.Append("Files:\n");
        foreach (var file in _files.OrderBy(f => f.Path, StringComparer.Ordinal))
            sb.Append("  ").Append(file.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)).Append('\n');
        if (_notes.Count > 0)
        {
            sb.Append("Notes:\n");
            foreach (var note in _notes)
                sb.Append("  - ").Append(note).Append('\n');
        }
        if (!HasErrors)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"Result: {Authorities} authorities, {AuthorityYears} authority-years, {EnglandYears} England years, {Inspections} inspections ({InspectionStartsEstimated} with start date estimated)\n");
        }
        if (WarningCount > 0)
            sb.Append(CultureInfo.InvariantCulture, $"{WarningCount} warning(s), listed under their files above.\n");
        if (HasErrors)
        {
            foreach (var error in Errors)
                sb.Append("error: ").Append(error).Append('\n');
            foreach (var file in _files.Where(f => f.MoreErrors > 0))
                sb.Append(CultureInfo.InvariantCulture, $"error: {file.Path}: {file.MoreErrors} more error(s) not listed\n");
            sb.Append(CultureInfo.InvariantCulture, $"error: the import found {ErrorCount} error(s); nothing was written\n");
        }
        else if (Outputs.Count > 0)
        {
            sb.Append("Wrote: ").Append(string.Join(", ", Outputs)).Append('\n');
        }
        return sb.ToString();
    }
}
