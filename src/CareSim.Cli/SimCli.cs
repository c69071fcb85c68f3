using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using System.Runtime.InteropServices;
using CareSim.Cli.Commands;
using CareSim.Cli.Output;
using CareSim.Engine.Running;
using CareSim.Scenarios;

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
        root.Subcommands.Add(HelpCommand());
        // Help fits the terminal, or 80 columns in a file or pipe.
        if (Console.IsOutputRedirected && root.Options.OfType<HelpOption>().FirstOrDefault()?.Action is HelpAction help) help.MaxWidth = Terminal.RedirectedWidth;
        return root;
    }

    /// <summary>`sim help [COMMAND...]`: the same as `sim [COMMAND...] --help`.</summary>
    private static Command HelpCommand()
    {
        var names = new Argument<string[]>("command") { Description = "A command (e.g. run, or data import).", Arity = ArgumentArity.ZeroOrMore };
        var help = new Command("help", "Show the help of a command (the same as sim COMMAND --help).") { names };
        help.SetAction((parse, cancellationToken) =>
        {
            Command command = parse.RootCommandResult.Command;
            foreach (var name in parse.GetValue(names) ?? [])
            {
                var sub = command.Subcommands.FirstOrDefault(c => c.Name == name);
                if (sub is null)
                {
                    Terminal.Error($"unknown command '{name}' for '{ParseErrors.Path(command)}'{NameSuggestions.DidYouMean(name, command.Subcommands.Select(c => c.Name))}");
                    return Task.FromResult(ExitCodes.InvalidInput);
                }
                command = sub;
            }
            var path = ParseErrors.CommandPath(command);
            return RunAsync([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"], cancellationToken);
        });
        return help;
    }

    /// <summary>
    /// Parses and runs a command line. Bad options exit 2 with plain messages; the first Ctrl+C
    /// (SIGINT) or SIGTERM cancels the command, which cleans up and exits 130 or 143 (a second one
    /// ends the process at once).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        // System.CommandLine's messages are matched in English (ParseErrors), whatever the machine's language.
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        PhaseLog.Mark("main");
        var parse = Build().Parse(args);
        PhaseLog.Mark("command line parsed");
        if (parse.Errors.Count > 0)
        {
            foreach (var message in ParseErrors.Describe(parse, args)) Terminal.Error(message);
            var path = ParseErrors.CommandPath(parse.CommandResult.Command);
            Terminal.Note(path.Length == 0 ? "Run 'sim help' for usage." : $"Run 'sim help {path}' for usage.");
            return ExitCodes.InvalidInput;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signal = 0;
        void Stop(PosixSignalContext context, int exitCode)
        {
            if (Interlocked.CompareExchange(ref signal, exitCode, 0) != 0) return; // the second signal: the default, end now
            context.Cancel = true;
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, ExitCodes.Cancelled));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, ExitCodes.Terminated));
        var exit = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
        PhaseLog.Mark("command done");
        return ExitAfterSignal(exit, signal, runsUntilStopped: parse.CommandResult.Command.Name is "silo" or "serve");
    }

    /// <summary>
    /// The exit code once a command has returned <paramref name="exit"/> after <paramref name="signal"/>
    /// (0: none, else the exit code of the signal received): a command stopped by SIGTERM exits 143
    /// even when it reports a Ctrl+C cancellation, and a quick command that finished before it saw
    /// the signal exits with the signal's code too, as a process ended by the signal would. A service
    /// (<paramref name="runsUntilStopped"/>: `sim silo`, `sim serve`) that shut down cleanly on the
    /// signal, its normal way to end (`docker stop`), exits 0.
    /// </summary>
    public static int ExitAfterSignal(int exit, int signal, bool runsUntilStopped = false) =>
        signal == 0 || runsUntilStopped || exit is not (ExitCodes.Ok or ExitCodes.Cancelled) ? exit : signal;
}
