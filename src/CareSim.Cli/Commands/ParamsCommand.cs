using System.CommandLine;
using CareSim.Model.Parameters;

namespace CareSim.Cli.Commands;

/// <summary>`sim params`: lists every model parameter with its default, range and source.</summary>
public static class ParamsCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print the tables used in docs/model.md." };
        var writeDoc = new Option<string?>("--write-doc") { Description = "Replace the tables between the parameter markers of this Markdown file (docs/model.md)." };
        var command = new Command("params", "List the model's parameters, defaults, ranges and sources.") { markdown, writeDoc };
        command.SetAction(parse =>
        {
            if (parse.GetValue(writeDoc) is { } path)
            {
                if (!File.Exists(path))
                {
                    Console.Error.WriteLine($"error: '{path}' does not exist");
                    return ExitCodes.InvalidInput;
                }
                if (!ParameterTables.TryReplaceInDocument(File.ReadAllText(path), out var updated))
                {
                    Console.Error.WriteLine($"error: '{path}' has no {ParameterTables.BeginMarker} ... {ParameterTables.EndMarker} section");
                    return ExitCodes.InvalidInput;
                }
                File.WriteAllText(path, updated);
                return ExitCodes.Ok;
            }
            Console.Out.Write(parse.GetValue(markdown) ? ParameterTables.Markdown() : ParameterTables.Plain());
            return ExitCodes.Ok;
        });
        return command;
    }
}
