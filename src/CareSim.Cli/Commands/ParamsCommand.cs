using System.CommandLine;
using System.Globalization;
using CareSim.Cli.Output;
using CareSim.Model.Parameters;
using Spectre.Console;

namespace CareSim.Cli.Commands;

/// <summary>`sim params`: lists every model parameter with its default, range and source.</summary>
public static class ParamsCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print the tables used in docs/model.md." };
        var writeDoc = new Option<string?>("--write-doc") { Description = "Replace the tables between the parameter markers of this Markdown file (docs/model.md)." };
        var format = ResultFormats.Option("the parameters (json and csv include descriptions and sources)");
        var command = new Command("params", "List the model's parameters, defaults, ranges and sources.") { markdown, writeDoc, format };
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
            if (parse.GetValue(markdown)) Console.Out.Write(ParameterTables.Markdown());
            else Write(ResultFormats.Parse(parse.GetValue(format)), Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static readonly string[] Columns = ["name", "default", "min", "max", "uncertain_low", "uncertain_high", "unit", "description", "source"];

    /// <summary>As a table: one per mechanism (the part of the name before the dot), to fit 80 columns.</summary>
    private static void Write(ResultFormat format, TextWriter output)
    {
        if (format != ResultFormat.Table)
        {
            ResultFormats.Write(format, Columns, P.All.Select(p => new object?[] { p.Name, p.Default, p.Min, p.Max, p.UncertainLow, p.UncertainHigh, p.Unit, p.Description, p.Source }), output);
            return;
        }
        var console = Terminal.Console(output);
        foreach (var group in P.All.GroupBy(p => p.Group))
        {
            var table = new Table().Title(Markup.Escape($"{group.Key}.*"));
            table.AddColumn(new TableColumn("Parameter").NoWrap());
            table.AddColumn(new TableColumn("Default").RightAligned());
            table.AddColumn(new TableColumn("Range").RightAligned());
            table.AddColumn("Unit");
            foreach (var p in group)
                table.AddRow(new Text(p.Name[(p.Group.Length + 1)..]), new Text(F(p.Default)), new Text($"{F(p.Min)} - {F(p.Max)}"), new Text(p.Unit));
            console.Write(table);
        }
        console.WriteLine("Descriptions and sources: sim params --format csv (or --markdown), and docs/model.md.");
    }

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
