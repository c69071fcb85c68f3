using System.CommandLine;
using CareSim.Cli.Output;
using CareSim.Reports;
using CareSim.Reports.Charts;

namespace CareSim.Cli.Commands;

/// <summary>`sim report RESULTS_DIR`: writes a readable report (Markdown and PNG charts) of a results directory.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var results = new Argument<string>("results") { Description = "Results directory of 'sim run' (or comparison directory of 'sim compare')." };
        var output = new Option<string?>("--out") { Description = "Report folder (default: RESULTS/report; a previous report there is replaced, nothing else)." };
        var observed = new Option<string?>("--observed") { Description = "Baseline data folder (e.g. data/) whose official figures are overlaid on the charts." };
        var width = new Option<int>("--width") { Description = "Chart width in pixels.", DefaultValueFactory = _ => ChartSize.Default.Width };
        var height = new Option<int>("--height") { Description = "Chart height in pixels.", DefaultValueFactory = _ => ChartSize.Default.Height };
        var force = new Option<bool>("--force") { Description = "Write into a folder holding files sim did not write, replacing only the report's files (never the project folder)." };
        var quiet = new Option<bool>("--quiet") { Description = "Print nothing on success." };

        var command = new Command("report", "Write a readable report of a run: report.md with headline tables and PNG fan charts.")
        {
            results, output, observed, width, height, force, quiet,
        };
        foreach (var size in new[] { width, height })
        {
            size.Validators.Add(result =>
            {
                var value = result.GetValueOrDefault<int>();
                if (value < 200 || value > 8000) result.AddError($"{result.Option.Name} must be between 200 and 8000 pixels");
            });
        }

        command.SetAction((parse, cancellationToken) =>
        {
            var options = new ReportOptions(parse.GetValue(results)!)
            {
                OutputDirectory = parse.GetValue(output),
                ObservedDirectory = parse.GetValue(observed),
                Force = parse.GetValue(force),
                ChartSize = new ChartSize(parse.GetValue(width), parse.GetValue(height)),
            };
            try
            {
                var report = ReportBuilder.Build(options, cancellationToken);
                // Where the report went is a note (stderr), as for every command; its content is in the files.
                if (!parse.GetValue(quiet))
                    Terminal.Note($"Report: {report.ReportPath} ({report.Charts.Count} charts)");
                return Task.FromResult(ExitCodes.Ok);
            }
            catch (ReportInputException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                Console.Error.WriteLine("No report was written.");
                return Task.FromResult(ExitCodes.InvalidInput);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("interrupted: no report was written");
                return Task.FromResult(ExitCodes.Cancelled);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or TypeInitializationException or DllNotFoundException)
            {
                Console.Error.WriteLine($"error: the report could not be written: {e.Message}");
                Console.Error.WriteLine("No report was written.");
                return Task.FromResult(ExitCodes.Failed);
            }
        });
        return command;
    }
}
