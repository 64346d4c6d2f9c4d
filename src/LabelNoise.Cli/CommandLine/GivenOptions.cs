using System.CommandLine;
using System.CommandLine.Parsing;

namespace LabelNoise.Cli.CommandLine;

/// <summary>Which options the user gave, as opposed to those standing at their defaults.</summary>
public static class GivenOptions
{
    /// <summary>The options given on the command line (a response file's included), in the order given.</summary>
    public static IEnumerable<OptionResult> Given(this ParseResult result) =>
        result.CommandResult.Children.OfType<OptionResult>().Where(r => !r.Implicit);

    public static bool IsGiven(this ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
