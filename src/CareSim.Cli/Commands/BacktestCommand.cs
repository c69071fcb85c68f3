using System.CommandLine;
using CareSim.Estimation.Backtest;
using CareSim.Estimation.Grades;

namespace CareSim.Cli.Commands;

/// <summary>`sim backtest`: seed from the data known at an origin, project, score against what came after.</summary>
public static class BacktestCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The official statistics folder (DfE and Ofsted CSV files) or a baseline dataset folder (e.g. data/).", Required = true };
        var origin = new Option<string?>("--origin") { Description = "Train on the data known at this date (YYYY-MM-DD); score every figure and inspection dated after it. Required unless --origins or --rolling is given." };
        var rolling = new Option<string?>("--rolling") { Description = "Grade backtests instead: FIRST-LAST years (e.g. 2018-2022); the grade model is refitted at each 31 December and scored on every later full inspection, plus a leave-authorities-out check (docs/validation.md#grade-backtests)." };
        var origins = new Option<string?>("--origins") { Description = "Rolling origins for the workforce and demand figures: FIRST-LAST years (e.g. 2019-2022); at each 31 December the parameters are refitted on the data known then (as sim calibrate --until) and the later figures scored, then pooled (docs/validation.md#rolling-origins)." };
        var noRefit = new Option<bool>("--no-refit") { Description = "With --origins: score the default parameters at every origin instead of refitting (quicker; not a fair test)." };
        var folds = new Option<int>("--folds") { Description = "With --rolling: folds of the leave-authorities-out check.", DefaultValueFactory = _ => 5 };
        var leaveOutOrigin = new Option<string?>("--leave-out-origin") { Description = "With --rolling: the origin of the leave-authorities-out check (default: 31 December of the middle year)." };
        var output = new Option<string?>("--out") { Description = "Results directory (default: results/backtest-<origin>)." };
        var parameters = new Option<string?>("--parameters") { Description = "Parameter file applied to every authority (e.g. a calibration's fitted.yaml fitted on data up to the origin)." };
        var replicas = new Option<int>("--replicas") { Description = "Replicas per authority.", DefaultValueFactory = _ => 500 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var authority = new Option<string[]>("--authority") { Description = "Only this authority (code, LA number or name); repeat for several. Default: all of England.", AllowMultipleArgumentsPerToken = false };
        var force = new Option<bool>("--force") { Description = "Write into a folder holding files sim did not write, replacing only the backtest's files (never the project folder)." };
        var command = new Command("backtest", "Backtest the model from an origin against the later figures and inspections, with persistence and transition-matrix baselines.")
        {
            data, origin, output, parameters, replicas, seed, authority, force, rolling, folds, leaveOutOrigin, origins, noRefit,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(rolling) is { } years)
            {
                return Task.FromResult(GradeBacktestCommandLine.Run(parse.GetValue(data)!, years, parse.GetValue(folds), parse.GetValue(leaveOutOrigin),
                    parse.GetValue(output), parse.GetValue(force), Console.Out, Console.Error, cancellationToken));
            }
            if (parse.GetValue(origins) is { } originYears)
            {
                return Task.FromResult(RollingBacktestCommandLine.Run(parse.GetValue(data)!, originYears, parse.GetValue(output), parse.GetValue(replicas),
                    parse.GetValue(seed), parse.GetValue(authority), !parse.GetValue(noRefit), parse.GetValue(force), Console.Out, Console.Error, cancellationToken));
            }
            if (parse.GetValue(origin) is not { } originText)
            {
                Console.Error.WriteLine("error: sim backtest needs --origin DATE (or --origins FIRST-LAST for rolling origins of the figures, --rolling FIRST-LAST for the grade backtests).");
                return Task.FromResult(2);
            }
            return Task.FromResult(BacktestCommandLine.Run(
                parse.GetValue(data)!, originText, parse.GetValue(output), parse.GetValue(parameters),
                parse.GetValue(replicas), parse.GetValue(seed), parse.GetValue(authority), parse.GetValue(force),
                Console.Out, Console.Error, cancellationToken));
        });
        return command;
    }
}
