using System.CommandLine;
using System.Globalization;
using CareSim.Cli.Output;
using CareSim.Data;
using CareSim.Data.Baseline;
using CareSim.Estimation.Validation;
using Spectre.Console;

namespace CareSim.Cli.Commands;

/// <summary>`sim history-check RESULTS_DIR`: a run's 80% intervals against the official figures at their dates.</summary>
public static class HistoryCheckCommand
{
    public static Command Create()
    {
        var results = new Argument<string>("results") { Description = "A results directory (from sim run)." };
        var dataDir = new Option<string>("--data") { Description = "The baseline dataset folder.", DefaultValueFactory = _ => "data" };
        var output = new Option<string?>("--out") { Description = "Also write the table here as CSV (history_check.csv) and Markdown (history_check.md)." };
        var format = ResultFormats.Option("the table");
        var command = new Command("history-check", "Compare a run with the official figures dated within it: is each inside the 80% interval?") { results, dataDir, output, format };
        command.SetAction(parse =>
        {
            try
            {
                var rows = HistoryCheck.Run(parse.GetValue(results)!, BaselineDataset.Load(parse.GetValue(dataDir)!));
                var markdown = HistoryCheck.ToMarkdown(rows);
                Write(rows, ResultFormats.Parse(parse.GetValue(format)), Console.Out);
                if (parse.GetValue(output) is { } directory)
                {
                    Directory.CreateDirectory(directory);
                    File.WriteAllText(Path.Combine(directory, "history_check.csv"), HistoryCheck.ToCsv(rows));
                    File.WriteAllText(Path.Combine(directory, "history_check.md"), markdown);
                }
                if (rows.Count > 0) return ExitCodes.Ok;
                Terminal.Error("no official figure in the data is dated within the run");
                return ExitCodes.InvalidInput;
            }
            catch (Exception e) when (e is InvalidDataException or CareSimDataException or FormatException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    private static readonly string[] Columns = ["authority", "date", "measure", "observed", "mean", "p10", "p50", "p90", "inside_80"];

    private static void Write(IReadOnlyList<HistoryCheckRow> rows, ResultFormat format, TextWriter output)
    {
        if (format != ResultFormat.Table)
        {
            ResultFormats.Write(format, Columns, rows.Select(r => new object?[] { r.Authority, r.Date, r.Measure, r.Observed, r.Mean, r.P10, r.P50, r.P90, r.Inside80 }), output);
            return;
        }
        var table = new Table().Title("Official figures against the run's 80% interval (p10 - p90)");
        table.AddColumn("Date");
        table.AddColumn("Measure");
        foreach (var column in new[] { "Observed", "Simulated mean", "80% interval", "Inside" }) table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var r in rows)
            table.AddRow(new Text(r.Date), new Text(r.Measure), new Text(F(r.Observed)), new Text(F(r.Mean)), new Text($"{F(r.P10)} - {F(r.P90)}"), new Text(r.Inside80 ? "yes" : "NO"));
        var console = Terminal.Console(output);
        console.Write(table);
        var inside = rows.Count(r => r.Inside80);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{inside} of {rows.Count} official figures ({(rows.Count == 0 ? 0 : 100.0 * inside / rows.Count):0}%) fall inside the model's 80% interval (an honest 80% interval holds about 80% of them)."));
    }

    private static string F(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.0" : Math.Abs(value) >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture);
}
