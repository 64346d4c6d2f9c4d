using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using LabelNoise.Cli.Commands;
using LabelNoise.Training;

namespace LabelNoise.Cli.CommandLine;

/// <summary>
/// The labelnoise command line, declared once: the six commands with their options, from which come help,
/// validation and shell completion (the [suggest] directive), plus --version and @file response files.
/// </summary>
public static class CliParser
{
    public const string Name = "labelnoise";

    public static readonly RootCommand Root = Declare();

    public static ParseResult Parse(IReadOnlyList<string> args) => Root.Parse(args);

    /// <summary>The version that config.json and the report record.</summary>
    public static string Version => RunConfigFile.Versions()["labelnoise"]!.GetValue<string>();

    static RootCommand Declare()
    {
        var root = new RootCommand("labelnoise — SGD with label noise (Damian, Ma, Lee, NeurIPS 2021) as research software")
        {
            TrainCommand.Command, SweepCommand.Command, MeasureCommand.Command, ReproduceCommand.Command, BenchCommand.Command, ExportCommand.Command, DoctorCommand.Command,
        };
        root.HelpName = Name;
        var help = root.Options.OfType<HelpOption>().Single();
        var standardHelp = (HelpAction)help.Action!;
        if (Console.IsOutputRedirected) standardHelp.MaxWidth = 110; // a terminal's width otherwise
        help.Action = new HelpWithNotes(standardHelp);
        help.Aliases.Remove("/?"); // Windows' forms: not for a shell to complete
        help.Aliases.Remove("/h");
        root.Options.OfType<VersionOption>().Single().Action = new PrintVersion();
        root.SetAction(result =>
        {
            ((SynchronousCommandLineAction)help.Action!).Invoke(result);
            return CliApplication.UsageError; // no command at all
        });
        return root;
    }

    /// <summary>The library's help, then the command's <see cref="DocumentedCommand.Notes"/>.</summary>
    sealed class HelpWithNotes(HelpAction standard) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            standard.Invoke(parseResult);
            if (parseResult.CommandResult.Command is DocumentedCommand { Notes: var notes })
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Notes:");
                foreach (var line in notes.TrimEnd().Split('\n')) output.WriteLine(line.Length == 0 ? "" : "  " + line.TrimEnd('\r'));
                output.WriteLine();
            }
            return 0;
        }
    }

    sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return 0;
        }
    }
}
