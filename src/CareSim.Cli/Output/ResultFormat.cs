using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CareSim.Cli.Output;

/// <summary>How a command prints its results: a table for people, or CSV or JSON for scripts.</summary>
public enum ResultFormat
{
    Table,
    Json,
    Csv,
}

/// <summary>The --format option and the CSV and JSON writers behind it.</summary>
public static class ResultFormats
{
    public static Option<string> Option(string what)
    {
        var format = new Option<string>("--format") { Description = $"How to print {what}: table (the default), json (an array of objects) or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        return format;
    }

    public static ResultFormat Parse(string? text) => text switch
    {
        "json" => ResultFormat.Json,
        "csv" => ResultFormat.Csv,
        _ => ResultFormat.Table,
    };

    /// <summary>
    /// Writes rows as CSV (a header of the column names, then one line per row) or as a JSON array
    /// of objects keyed by the column names. Numbers stay numbers (NaN and infinities become empty
    /// or null); everything else is written as text.
    /// </summary>
    public static void Write(ResultFormat format, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows, TextWriter output)
    {
        if (format == ResultFormat.Csv)
        {
            var csv = new StringBuilder(string.Join(',', columns)).Append('\n');
            foreach (var row in rows) csv.AppendJoin(',', row.Select(CsvCell)).Append('\n');
            output.Write(csv.ToString());
            return;
        }
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < columns.Count; i++)
                {
                    json.WritePropertyName(columns[i]);
                    WriteJsonValue(json, row[i]);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        output.Write(Encoding.UTF8.GetString(stream.ToArray()));
        output.Write('\n');
    }

    private static void WriteJsonValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int i:
                json.WriteNumberValue(i);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case double:
                json.WriteNullValue();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string CsvCell(object? value)
    {
        var text = value switch
        {
            null => "",
            bool b => b ? "true" : "false",
            double d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
