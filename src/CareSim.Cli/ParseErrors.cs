using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using CareSim.Scenarios;

namespace CareSim.Cli;

/// <summary>
/// System.CommandLine's parse errors in plain words: no .NET type names, unknown options and
/// commands with a "did you mean", one message per mistake.
/// </summary>
public static partial class ParseErrors
{
    public static IReadOnlyList<string> Describe(ParseResult parse, IReadOnlyList<string> args)
    {
        var command = parse.CommandResult.Command;
        var messages = new List<string>();
        foreach (var error in parse.Errors)
        {
            var message = error.Message;
            if (Unrecognized().Match(message) is { Success: true } unrecognized)
            {
                var token = unrecognized.Groups[1].Value;
                if (FollowsUnknownOption(token, args, command)) continue; // the value of an unknown option: one message is enough
                if (token.StartsWith('-'))
                {
                    var names = Options(command).SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct();
                    messages.Add($"unknown option '{token}' for '{Path(command)}'{NameSuggestions.DidYouMean(token, names)}");
                }
                else if (command.Subcommands.Count > 0)
                {
                    messages.Add($"unknown command '{token}' for '{Path(command)}'{NameSuggestions.DidYouMean(token, command.Subcommands.Select(c => c.Name))}");
                }
                else
                {
                    messages.Add($"unexpected argument '{token}' for '{Path(command)}'");
                }
            }
            else if (CannotParse().Match(message) is { Success: true } cannotParse)
            {
                var name = cannotParse.Groups[2].Value;
                messages.Add($"{(name.StartsWith('-') ? name : $"<{name}>")}: '{cannotParse.Groups[1].Value}' is not {Expected(cannotParse.Groups[3].Value)}");
            }
            else if (NotAmong().Match(message) is { Success: true } notAmong)
            {
                var option = error.SymbolResult switch
                {
                    OptionResult o => o.Option.Name + ": ",
                    ArgumentResult { Parent: OptionResult o } => o.Option.Name + ": ",
                    _ => "",
                };
                var allowed = Quoted().Matches(notAmong.Groups[2].Value).Select(m => m.Groups[1].Value).ToList();
                messages.Add($"{option}'{notAmong.Groups[1].Value}' is not one of {string.Join(", ", allowed)}{NameSuggestions.DidYouMean(notAmong.Groups[1].Value, allowed)}");
            }
            else if (RequiredOption().Match(message) is { Success: true } required)
            {
                messages.Add($"{required.Groups[1].Value} is required");
            }
            else if (MissingOptionValue().Match(message) is { Success: true } missing)
            {
                messages.Add($"{missing.Groups[1].Value} needs a value");
            }
            else if (MissingArgument().Match(message) is { Success: true } argument)
            {
                messages.Add($"'{Path(command)}' needs <{argument.Groups[1].Value}>");
            }
            else if (message.StartsWith("Required command was not provided", StringComparison.Ordinal))
            {
                if (!parse.Errors.Any(e => Unrecognized().IsMatch(e.Message))) // "unknown command 'runn'" says it already
                    messages.Add($"'{Path(command)}' needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}");
            }
            else
            {
                messages.Add(message);
            }
        }
        return messages;
    }

    /// <summary>The command's words after `sim` ("run", "data import"; "" for sim itself).</summary>
    public static string CommandPath(Command command)
    {
        var path = Path(command);
        return path == "sim" ? "" : path[4..];
    }

    /// <summary>"sim", "sim run", "sim data import".</summary>
    public static string Path(Command command) =>
        command.Parents.OfType<Command>().FirstOrDefault() is { } parent ? $"{Path(parent)} {command.Name}" : "sim";

    /// <summary>The command's options and those it inherits (such as --help).</summary>
    private static IEnumerable<Option> Options(Command command) =>
        command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => Options(p).Where(o => o.Recursive)));

    private static bool FollowsUnknownOption(string token, IReadOnlyList<string> args, Command command)
    {
        var index = args.ToList().IndexOf(token);
        if (index < 1 || token.StartsWith('-')) return false;
        var previous = args[index - 1];
        return previous.StartsWith('-') && !Options(command).Any(o => o.Name == previous || o.Aliases.Contains(previous));
    }

    private static string Expected(string type) => type switch
    {
        _ when type.Contains("UInt", StringComparison.Ordinal) => "a whole number of 0 or more",
        _ when type.Contains("Int", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) => "a number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("DateOnly", StringComparison.Ordinal) || type.Contains("DateTime", StringComparison.Ordinal) => "a date (YYYY-MM-DD)",
        _ => "a valid value",
    };

    [GeneratedRegex("^Unrecognized command or argument '(.*)'\\.$")]
    private static partial Regex Unrecognized();

    [GeneratedRegex("^Cannot parse argument '(.*)' for (?:option|command|argument) '(.*)' as expected type '(.*)'\\.?$")]
    private static partial Regex CannotParse();

    [GeneratedRegex("^Argument '(.*)' not recognized\\. Must be one of:(.*)$", RegexOptions.Singleline)]
    private static partial Regex NotAmong();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex("^Option '(.*)' is required\\.$")]
    private static partial Regex RequiredOption();

    [GeneratedRegex("^Required argument missing for option: '(.*)'\\.$")]
    private static partial Regex MissingOptionValue();

    [GeneratedRegex("^Required argument '(.*)' missing for command: '.*'\\.$")]
    private static partial Regex MissingArgument();
}
