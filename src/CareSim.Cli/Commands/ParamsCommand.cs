using System.CommandLine;
using System.Globalization;
using System.Text;
using CareSim.Model.Parameters;

namespace CareSim.Cli.Commands;

/// <summary>`sim params`: lists every model parameter with its default, range and source.</summary>
public static class ParamsCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print the tables used in docs/model.md." };
        var command = new Command("params", "List the model's parameters, defaults, ranges and sources.") { markdown };
        command.SetAction(parse =>
        {
            Console.Out.Write(parse.GetValue(markdown) ? ParameterTables.Markdown() : ParameterTables.Plain());
            return 0;
        });
        return command;
    }
}

/// <summary>Renders the parameter registry for people.</summary>
public static class ParameterTables
{
    public static string Markdown()
    {
        var sb = new StringBuilder();
        foreach (var group in P.All.GroupBy(p => p.Group))
        {
            sb.Append(CultureInfo.InvariantCulture, $"#### Parameters: {group.Key}\n\n");
            sb.Append("| name | default | range | uncertain range | unit | meaning | source |\n|---|---|---|---|---|---|---|\n");
            foreach (var p in group)
            {
                var uncertain = p.IsUncertain ? $"{Format(p.UncertainLow!.Value)} - {Format(p.UncertainHigh!.Value)}" : "";
                sb.Append(CultureInfo.InvariantCulture,
                    $"| `{p.Name}` | {Format(p.Default)} | {Format(p.Min)} - {Format(p.Max)} | {uncertain} | {p.Unit} | {p.Description} | {p.Source} |\n");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    public static string Plain()
    {
        var sb = new StringBuilder();
        foreach (var p in P.All)
            sb.Append(CultureInfo.InvariantCulture, $"{p.Name,-50} {Format(p.Default),10}  [{Format(p.Min)}, {Format(p.Max)}]  {p.Unit}\n");
        return sb.ToString();
    }

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
