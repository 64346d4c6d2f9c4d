using System.CommandLine;
using System.CommandLine.Parsing;

namespace LabelNoise.Cli.CommandLine;

/// <summary>
/// The parser's errors as the one sentence the user reads: the first mistake, with "did you mean …?" for a
/// mistyped command or option, and where to look ("see 'labelnoise train --help'").
/// </summary>
public static class ParseFailure
{
    public static string Sentence(ParseResult result) => $"{FirstMistake(result)} (see '{HelpCommand(result.CommandResult.Command)}')";

    static string FirstMistake(ParseResult result)
    {
        var command = result.CommandResult.Command;
        if (result.UnmatchedTokens.FirstOrDefault() is { } token) return SwitchWithValue(result, token) ?? Unmatched(command, token);
        foreach (var argument in command.Arguments)
            if (argument.Arity.MinimumNumberOfValues > 0 && (result.GetResult(argument)?.Tokens.Count ?? 0) == 0)
                return $"'{command.Name}' needs {argument.Name}: {argument.Description}";
        var error = result.Errors[0];
        if (error.SymbolResult is OptionResult option)
        {
            if (option.IdentifierTokenCount > 1) return $"option {option.Option.Name} is given twice";
            if (option.Tokens.Count == 0 && option.Option.Arity.MinimumNumberOfValues > 0) return $"option {option.Option.Name} needs a value";
        }
        return error.Message.Split('\n')[0].Trim().TrimEnd('.');
    }

    static string Unmatched(Command command, string token)
    {
        bool root = command is RootCommand;
        if (token.StartsWith('-'))
        {
            string name = token.Split('=', 2)[0];
            var names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name));
            return $"unknown option {name}{(root ? "" : $" for '{command.Name}'")}{Suggestion.DidYouMean(name, names)}";
        }
        if (root) return $"unknown command '{token}'{Suggestion.DidYouMean(token, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}";
        return command.Arguments.Count == 0
            ? $"'{command.Name}' takes only options, not '{token}'"
            : $"'{command.Name}' does not take '{token}' as well";
    }

    /// <summary>"--full-batch=3" or "--json yes": a switch given a value.</summary>
    static string? SwitchWithValue(ParseResult result, string unmatched)
    {
        var tokens = result.Tokens;
        var switches = result.CommandResult.Command.Options.Where(o => o.ValueType == typeof(bool)).ToList();
        for (int i = 1; i < tokens.Count; i++)
            if (tokens[i].Value == unmatched && tokens[i - 1].Type == TokenType.Option
                && switches.FirstOrDefault(o => o.Name == tokens[i - 1].Value || o.Aliases.Contains(tokens[i - 1].Value)) is { } option)
                return $"option {option.Name} is a switch and takes no value, not '{unmatched}'";
        return null;
    }

    static string HelpCommand(Command command) => command is RootCommand ? $"{CliParser.Name} --help" : $"{CliParser.Name} {command.Name} --help";
}
