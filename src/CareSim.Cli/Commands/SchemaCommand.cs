using System.CommandLine;
using CareSim.Scenarios;

namespace CareSim.Cli.Commands;

/// <summary>`sim schema [--out FILE]`: writes the scenario JSON Schema (scenarios/schema.json).</summary>
public static class SchemaCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = "Write to this file instead of standard output." };
        var command = new Command("schema", "Print the JSON Schema of scenario files (for editors).") { output };
        command.SetAction(parse =>
        {
            var json = ScenarioSchema.ToJson();
            if (parse.GetValue(output) is { } path) File.WriteAllText(path, json);
            else Console.Out.Write(json);
            return ExitCodes.Ok;
        });
        return command;
    }
}
