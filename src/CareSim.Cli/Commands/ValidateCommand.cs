using System.CommandLine;
using CareSim.Cli.Output;
using CareSim.Data;
using CareSim.Data.Interventions;
using CareSim.Scenarios;

namespace CareSim.Cli.Commands;

/// <summary>`sim validate FILE...`: checks scenario files; every error names file, line, column, field path and what was expected.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Scenario files (YAML) to check.", Arity = ArgumentArity.OneOrMore };
        var data = new Option<string?>("--data") { Description = "Also check each scenario's trusts against the intervention record beside this baseline dataset (e.g. data/, holding interventions.csv)." };
        var command = new Command("validate", "Check scenario files (and strategies files) against the format; exit 0 when all are valid, 2 when not.") { files, data };
        command.SetAction(parse =>
        {
            InterventionCheck? check = null;
            if (parse.GetValue(data) is { } dataDirectory)
            {
                try
                {
                    check = InterventionCheck.Open(dataDirectory);
                }
                catch (CareSimDataException ex)
                {
                    Terminal.Error(ex.Message);
                    return ExitCodes.InvalidInput;
                }
            }
            var invalid = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                if (ScenarioLoader.IsStrategiesFile(file))
                {
                    var strategies = ScenarioLoader.LoadStrategies(file, plan: null);
                    if (strategies.IsValid)
                    {
                        Console.Out.WriteLine($"{file}: valid strategies file ({strategies.Strategies.Count} strategies; authority codes are checked when used with a scenario)");
                        continue;
                    }
                    invalid++;
                    foreach (var error in strategies.Errors) Terminal.Error(error.ToString());
                    continue;
                }
                var result = ScenarioLoader.Load(file);
                if (!ScenarioInput.Report(result))
                {
                    invalid++;
                    continue;
                }
                var contradictions = check is not null ? check.Check(result.Plan!, file) : [];
                if (contradictions.Count > 0)
                {
                    invalid++;
                    foreach (var error in contradictions) Terminal.Error(error);
                    continue;
                }
                var plan = result.Plan!;
                Console.Out.WriteLine($"{file}: valid ({plan.Authorities.Count} authorit{(plan.Authorities.Count == 1 ? "y" : "ies")}, {plan.HorizonMonths} months from {plan.Start}, {plan.Replicas} replicas)");
            }
            return invalid == 0 ? ExitCodes.Ok : ExitCodes.InvalidInput;
        });
        return command;
    }
}
