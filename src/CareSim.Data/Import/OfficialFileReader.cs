using System.Text;
using CareSim.Data.Csv;

namespace CareSim.Data.Import;

/// <summary>
/// Reads one CSV file of the data folder and decides its kind by its header. Records in the file's
/// report why a file is skipped (not a known kind), and as errors, with their lines, what makes a
/// known kind unusable: no header, missing required columns, no data rows, rows with the wrong
/// number of fields, a truncated last line, or fields separated by ';' or tabs; and as a warning a last
/// line without its line end (a file cut off within its last value looks like that).
/// </summary>
internal static class OfficialFileReader
{
    /// <summary>How many lines from the top are searched for the header (title lines may come first).</summary>
    public const int HeaderSearchLines = 10;

    /// <summary>The table and its kind, or null when the file is skipped or has errors (both in <paramref name="report"/>).</summary>
    public static (CsvTable Table, FileKindSpec Spec)? Read(string path, FileImportReport report)
    {
        List<CsvRecord> records;
        using (var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            records = CsvParser.ReadRecords(reader).ToList();
        var candidates = Enumerable.Range(0, records.Count).Where(i => !records[i].IsBlank).Take(HeaderSearchLines).ToList();
        if (candidates.Count == 0)
        {
            report.AddError("the file is empty (no header line)");
            return null;
        }

        var found = candidates
            .Select(i => (Index: i, Recognition: FileKinds.Recognise(CsvTable.FromRecords(path, [records[i]], 0))))
            .FirstOrDefault(c => c.Recognition.Spec is not null);
        if (found.Recognition is null)
        {
            if (!RejectOtherDelimiter(path, records, candidates, report))
                report.SkipReason = FileKinds.Recognise(CsvTable.FromRecords(path, [records[candidates[0]]], 0)).SkipReason;
            return null;
        }

        var spec = found.Recognition.Spec!;
        var header = records[found.Index];
        var table = CsvTable.FromRecords(path, records, found.Index);
        report.Kind = spec.Kind;
        report.KindLabel = spec.Label;
        report.RowsRead = table.Rows.Count;
        if (found.Index != candidates[0])
        {
            var above = candidates.TakeWhile(i => i < found.Index).ToList();
            report.AddWarning($"the header is on line {header.Line}; the {above.Count} line(s) above it are not data and were skipped " +
                $"(\"{Shorten(string.Join(",", records[above[0]].Fields))}\")", header.Line);
        }
        foreach (var column in found.Recognition.Missing)
            report.AddError($"looks like {spec.Label} but {FileKindSpec.DescribeMissing(column, table)}", header.Line);
        if (found.Recognition.Missing.Count > 0)
            return null;

        CheckShape(records, found.Index, report);
        if (table.Rows.Count == 0 && report.ErrorCount == 0)
            report.AddError($"has a header (line {header.Line}) but no data rows");
        return report.ErrorCount > 0 ? null : (table, spec);
    }

    /// <summary>Every row must have as many fields as the header; a last line without its line end that
    /// is short, or that ends inside a quoted field, is a truncated file.</summary>
    private static void CheckShape(List<CsvRecord> records, int headerIndex, FileImportReport report)
    {
        var header = records[headerIndex];
        var width = header.Fields.Length;
        for (var i = headerIndex + 1; i < records.Count; i++)
        {
            var record = records[i];
            if (record.UnclosedQuote)
                report.AddError("a quoted field opened here is never closed: the file is truncated", record.Line);
            else if (record.IsBlank)
                continue;
            else if (!record.Terminated && record.Fields.Length < width)
                report.AddError($"the last line is cut short ({record.Fields.Length} of {width} fields, no line end): the file is truncated", record.Line);
            else if (record.Fields.Length != width)
                report.AddError($"{record.Fields.Length} fields, but the header (line {header.Line}) has {width}", record.Line);
            else if (!record.Terminated)
                report.AddWarning($"the last line has no line end (the published files have one): if the file was cut off there, its last value " +
                    $"('{Shorten(record.Fields[^1])}') may be incomplete; compare it with the published file", record.Line);
        }
    }

    /// <summary>A header separated by ';' or tabs that would be a known kind is an error: such files
    /// usually come with decimal commas, which cannot be read safely.</summary>
    private static bool RejectOtherDelimiter(string path, List<CsvRecord> records, List<int> candidates, FileImportReport report)
    {
        foreach (var i in candidates)
        {
            var line = records[i];
            if (line.Fields.Length != 1)
                continue;
            foreach (var (delimiter, name) in new[] { (';', "';'"), ('\t', "tabs") })
            {
                var fields = line.Fields[0].Split(delimiter);
                if (fields.Length < 2)
                    continue;
                var recognition = FileKinds.Recognise(CsvTable.FromRecords(path, [line with { Fields = fields }], 0));
                if (recognition.Spec is null)
                    continue;
                report.Kind = recognition.Spec.Kind;
                report.KindLabel = recognition.Spec.Label;
                report.AddError($"looks like {recognition.Spec.Label}, but its fields are separated by {name}, not commas: " +
                    "save it as comma-separated CSV (with '.' as the decimal point)", line.Line);
                return true;
            }
        }
        return false;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
