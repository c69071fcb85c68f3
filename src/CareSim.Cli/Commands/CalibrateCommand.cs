using System.CommandLine;
using CareSim.Estimation.Calibration;

namespace CareSim.Cli.Commands;

/// <summary>`sim calibrate`: fit the model's uncertain parameters to the data and write a parameter file scenarios can reference.</summary>
public static class CalibrateCommand
{
    public static Command Create()
    {
        var defaults = new CalibrationOptions();
        var data = new Option<string>("--data") { Description = "The baseline dataset folder (e.g. data/) or the official statistics folder (DfE and Ofsted CSV files).", DefaultValueFactory = _ => "data" };
        var until = new Option<string?>("--until") { Description = "Use only data known at this date (YYYY-MM-DD), e.g. the origin of a backtest. Default: all the data." };
        var output = new Option<string>("--out") { Description = "Where to write fitted.yaml and the report.", DefaultValueFactory = _ => Path.Combine("data", "calibration") };
        var replicas = new Option<int>("--replicas") { Description = "Replicas per authority and origin while fitting.", DefaultValueFactory = _ => defaults.Replicas };
        var reportReplicas = new Option<int>("--report-replicas") { Description = "Replicas per authority and origin for the before/after report.", DefaultValueFactory = _ => defaults.ReportReplicas };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (the same numbers every evaluation).", DefaultValueFactory = _ => defaults.Seed };
        var evaluations = new Option<int>("--evaluations-per-parameter") { Description = "Objective evaluations per fitted parameter and stage (+10).", DefaultValueFactory = _ => defaults.EvaluationsPerParameter };
        var authority = new Option<string[]>("--authority") { Description = "Only this authority (code, LA number or name); repeat for several. Default: all of England." };
        var stage = new Option<string[]>("--stage") { Description = $"Fit only these stages, in order ({string.Join(", ", Stages.All)}); default: all. `--stage grades` alone fits the grade model by maximum likelihood instead and writes its own files (data/calibration/grades, docs/calibration.md#grade-model)." };
        var bootstrap = new Option<int>("--bootstrap") { Description = "With --stage grades: bootstrap replicates over authorities for the intervals (0: estimates only).", DefaultValueFactory = _ => defaults.Bootstrap };
        var force = new Option<bool>("--force") { Description = "Write into a folder holding files sim did not write, replacing only the calibration's files (never the project folder)." };
        var command = new Command("calibrate", "Fit the model's uncertain parameters to the workforce, demand, leadership and Ofsted data; write fitted.yaml and a report of observed against simulated.")
        {
            data, until, output, replicas, reportReplicas, seed, evaluations, authority, stage, bootstrap, force,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var authorities = parse.GetValue(authority);
            var stages = parse.GetValue(stage);
            var options = new CalibrationOptions
            {
                Replicas = parse.GetValue(replicas),
                ReportReplicas = parse.GetValue(reportReplicas),
                Seed = parse.GetValue(seed),
                EvaluationsPerParameter = parse.GetValue(evaluations),
                Authorities = authorities is { Length: > 0 } ? authorities : null,
                Stages = stages is { Length: > 0 } ? stages : null,
                Bootstrap = parse.GetValue(bootstrap),
            };
            return Task.FromResult(CalibrateCommandLine.Run(parse.GetValue(data)!, parse.GetValue(until), parse.GetValue(output)!, options,
                Console.Out, Console.Error, cancellationToken, parse.GetValue(force)));
        });
        return command;
    }
}
