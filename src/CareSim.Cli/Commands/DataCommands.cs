using System.CommandLine;
using System.Globalization;
using CareSim.Data.Import;
using CareSim.Data.Scenarios;

namespace CareSim.Cli.Commands;

/// <summary>`sim data import` and `sim scenario from-data`: the official statistics.</summary>
public static class DataCommands
{
    public static Command Data()
    {
        var dataDir = new Option<string>("--data") { Description = "Folder holding the official DfE and Ofsted CSV files.", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the baseline dataset (baseline/ and README.md).", DefaultValueFactory = _ => "data" };
        var force = new Option<bool>("--force") { Description = "Write into a folder holding files sim did not write, replacing only baseline/ files and README.md (never the project folder)." };
        var import = new Command("import", "Import the DfE and Ofsted files (recognised by their headers) into the compact baseline dataset.") { dataDir, output, force };
        import.SetAction((parse, cancellationToken) => Task.FromResult(
            OfficialDataImporter.Run(parse.GetValue(dataDir)!, parse.GetValue(output)!, Console.Out, Console.Error, parse.GetValue(force), cancellationToken)));
        return new Command("data", "Official statistics.") { import };
    }

    public static Command Scenario()
    {
        var authority = new Option<string?>("--authority") { Description = "An authority: ONS code, LA number or name." };
        var region = new Option<string?>("--region") { Description = "Every authority of a region (one labour market)." };
        var all = new Option<bool>("--all") { Description = "Every authority in England." };
        var asOf = new Option<string>("--as-of") { Description = "Take the data as they stood on this date (YYYY-MM-DD); the scenario starts the next month.", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the scenario here (default: standard output)." };
        var dataDir = new Option<string>("--data") { Description = "The baseline dataset folder.", DefaultValueFactory = _ => "data" };
        var horizon = new Option<int>("--horizon") { Description = "Months to simulate.", DefaultValueFactory = _ => 60 };
        var replicas = new Option<int>("--replicas") { Description = "Replicas.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var force = new Option<bool>("--force") { Description = "Replace an --out file that sim scenario from-data did not write." };
        var fromData = new Command("from-data", "Write a scenario whose authorities start from the official data as of a date.")
        {
            authority, region, all, asOf, output, dataDir, horizon, replicas, seed, force,
        };
        fromData.SetAction(parse =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(asOf), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Console.Error.WriteLine($"error: --as-of: expected a date YYYY-MM-DD, got '{parse.GetValue(asOf)}'");
                return ExitCodes.InvalidInput;
            }
            var options = new ScenarioBuildOptions { HorizonMonths = parse.GetValue(horizon), Replicas = parse.GetValue(replicas), Seed = parse.GetValue(seed) };
            return ScenarioFromData.Run(parse.GetValue(dataDir)!, parse.GetValue(authority), parse.GetValue(region), parse.GetValue(all), date,
                parse.GetValue(output), Console.Out, Console.Error, options, parse.GetValue(force));
        });
        return new Command("scenario", "Build scenarios.") { fromData };
    }
}
