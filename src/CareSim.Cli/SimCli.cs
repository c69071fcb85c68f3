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
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(SiloCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(SensitivityCommand.Create());
        root.Subcommands.Add(HistoryCheckCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(SchemaCommand.Create());
        root.Subcommands.Add(DataCommands.Data());
        root.Subcommands.Add(DataCommands.Scenario());
        root.Subcommands.Add(CalibrateCommand.Create());
        root.Subcommands.Add(BacktestCommand.Create());
        root.Subcommands.Add(ParamsCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Bad options are bad input: exit 2 like an invalid scenario (System.CommandLine would exit 1).
            foreach (var error in parse.Errors) await Console.Error.WriteLineAsync($"error: {error.Message}");
            await Console.Error.WriteLineAsync("Run 'sim --help' (or 'sim <command> --help') for usage.");
            return ExitCodes.InvalidInput;
        }
        // After Ctrl+C a command finishes its month and removes its staging folder; System.CommandLine's
        // default 2 s before it stops waiting is too short on a loaded machine.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
    }
}
