using System.CommandLine;
using CareSim.Cli.Commands;

namespace CareSim.Cli;

/// <summary>The `sim` command line: one sub-command per file in Commands/.</summary>
public static class SimCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Simulate children's social care improvement in English local authorities.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(SchemaCommand.Create());
        root.Subcommands.Add(ParamsCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        return await root.Parse(args).InvokeAsync();
    }
}
