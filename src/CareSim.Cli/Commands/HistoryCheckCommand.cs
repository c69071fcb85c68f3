using System.CommandLine;
using CareSim.Data;
using CareSim.Data.Baseline;
using CareSim.Estimation.Validation;

namespace CareSim.Cli.Commands;

/// <summary>`sim history-check RESULTS_DIR`: a run's 80% intervals against the official figures at their dates.</summary>
public static class HistoryCheckCommand
{
    public static Command Create()
    {
        var results = new Argument<string>("results") { Description = "A results directory (from sim run)." };
        var dataDir = new Option<string>("--data") { Description = "The baseline dataset folder.", DefaultValueFactory = _ => "data" };
        var output = new Option<string?>("--out") { Description = "Also write the table here as CSV (history_check.csv) and Markdown (history_check.md)." };
        var command = new Command("history-check", "Compare a run with the official figures dated within it: is each inside the 80% interval?") { results, dataDir, output };
        command.SetAction(parse =>
        {
            try
            {
                var rows = HistoryCheck.Run(parse.GetValue(results)!, BaselineDataset.Load(parse.GetValue(dataDir)!));
                var markdown = HistoryCheck.ToMarkdown(rows);
                Console.Out.Write(markdown);
                if (parse.GetValue(output) is { } directory)
                {
                    Directory.CreateDirectory(directory);
                    File.WriteAllText(Path.Combine(directory, "history_check.csv"), HistoryCheck.ToCsv(rows));
                    File.WriteAllText(Path.Combine(directory, "history_check.md"), markdown);
                }
                return rows.Count == 0 ? ExitCodes.InvalidInput : ExitCodes.Ok;
            }
            catch (Exception e) when (e is InvalidDataException or CareSimDataException or FormatException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }
}
