using System.Globalization;
using Spectre.Console;

namespace CareSim.Cli.Output;

/// <summary>
/// Where the command line writes: results on standard output, progress, notes and errors on
/// standard error; every error line starts "error: ".
/// </summary>
public static class Terminal
{
    /// <summary>The width of tables when standard output is not a terminal (a file or a pipe).</summary>
    public const int RedirectedWidth = 80;

    /// <summary>A console for tables on <paramref name="output"/>: as wide as the terminal, or 80 columns when redirected (Spectre wraps cells to fit).</summary>
    public static IAnsiConsole Console(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (System.Console.IsOutputRedirected || output != System.Console.Out) console.Profile.Width = RedirectedWidth;
        return console;
    }

    /// <summary>"45%" (the invariant culture's P0 would print "45 %").</summary>
    public static string Percent(double share) =>
        double.IsFinite(share) ? (100 * share).ToString("0", CultureInfo.InvariantCulture) + "%" : "-";

    /// <summary>Writes "error: MESSAGE" on standard error.</summary>
    public static void Error(string message) => System.Console.Error.WriteLine("error: " + message);

    /// <summary>Writes a note (progress, where the results went) on standard error.</summary>
    public static void Note(string message) => System.Console.Error.WriteLine(message);
}
