using System.CommandLine;
using LabelNoise.Cli;
using LabelNoise.Cli.CommandLine;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;

namespace LabelNoise.Tests.Cli.CommandLine;

/// <summary>The command line's one declaration: help, --version, did-you-mean and completion all come from it (run in this process).</summary>
public class CliParserTests
{
    static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApplication.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A parser error: one line on stderr, the sentence, where to look; nothing on stdout (no help after it).</summary>
    static string AssertOneSentence((int Code, string Output, string Error) result, string command)
    {
        Assert.Equal(CliApplication.UsageError, result.Code);
        Assert.Equal("", result.Output);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.EndsWith($"(see '{command} --help')", line.TrimEnd());
        return line;
    }

    [Fact]
    public void AMistypedCommandSuggestsTheCommand()
    {
        var line = AssertOneSentence(Run("trian"), "labelnoise");
        Assert.Equal("error: unknown command 'trian': did you mean 'train'? (see 'labelnoise --help')", line.TrimEnd());
        Assert.DoesNotContain("did you mean", AssertOneSentence(Run("fly"), "labelnoise"));
    }

    [Fact]
    public void AMistypedOptionSuggestsTheOptionAndWritesNothing()
    {
        using var folder = new TempFolder();
        var line = AssertOneSentence(Run("train", "--modle", "mlp:16", "--data", "sparse", "--out", folder.File("run")), "labelnoise train");
        Assert.Contains("unknown option --modle for 'train': did you mean --model?", line);
        Assert.False(Directory.Exists(folder.File("run")));
        Assert.Contains("did you mean --checkpoint?", AssertOneSentence(Run("measure", "--checkpont", "x"), "labelnoise measure"));
        Assert.Contains("did you mean --parallel?", AssertOneSentence(Run("sweep", "--paralel", "2"), "labelnoise sweep"));
        Assert.Contains("unknown experiment 'escpae': did you mean 'escape'?", AssertOneSentence(Run("reproduce", "escpae", "--out", folder.File("results")), "labelnoise reproduce"));
        Assert.False(Directory.Exists(folder.File("results")));
    }

    [Theory]
    [InlineData(new[] { "train", "--lr", "abc" }, "option --lr expects a number, not 'abc'")]
    [InlineData(new[] { "train", "--steps", "1.5" }, "option --steps expects a whole number, not '1.5'")]
    [InlineData(new[] { "train", "--seed", "-1" }, "option --seed expects a non-negative whole number, not '-1'")]
    [InlineData(new[] { "train", "--scaling", "log" }, "--scaling must be unit, standard or raw, not 'log'")]
    [InlineData(new[] { "train", "--seed" }, "option --seed needs a value")]
    [InlineData(new[] { "train", "--lr", "0.1", "--lr", "0.2" }, "option --lr is given twice")]
    [InlineData(new[] { "train", "extra" }, "'train' takes only options, not 'extra'")]
    [InlineData(new[] { "train", "--full-batch=3" }, "option --full-batch is a switch and takes no value, not '3'")]
    [InlineData(new[] { "export" }, "'export' needs RUN")]
    [InlineData(new[] { "export", "--format", "onnx", "run" }, "--format must be pt, not 'onnx'")]
    public void EveryBadValueIsOneSentenceNamingTheOptionAndTheValue(string[] args, string expected) =>
        Assert.Contains(expected, AssertOneSentence(Run(args), "labelnoise " + args[0]));

    [Fact]
    public void VersionPrintsTheVersionThatRunConfigsRecord()
    {
        var (code, output, error) = Run("--version");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(RunConfigFile.Versions()["labelnoise"]!.GetValue<string>() + Environment.NewLine, output);
    }

    public static TheoryData<string> CommandNames => [.. CliParser.Root.Subcommands.Select(c => c.Name)];

    [Fact]
    public void TheSevenCommandsAreDeclared() =>
        Assert.Equal(["train", "sweep", "measure", "reproduce", "bench", "export", "doctor"], CliParser.Root.Subcommands.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void HelpListsEveryDeclaredOptionAndArgument(string name)
    {
        var command = CliParser.Root.Subcommands.Single(c => c.Name == name);
        var (code, output, _) = Run(name, "--help");
        Assert.Equal(0, code);
        Assert.Contains($"labelnoise {name}", output);
        foreach (var option in command.Options.Where(o => !o.Hidden)) Assert.Contains(option.Name + " ", output);
        foreach (var argument in command.Arguments) Assert.Contains(argument.Name, output);
        Assert.DoesNotContain("--worker", output);
    }

    [Theory]
    [InlineData("train", new[] { "--model <M>", "--lr <η>", "[default: 0.1]", "--resume <DIR>", "--scaling <raw|standard|unit>", "--full-batch", "Writes DIR/config.json" })]
    [InlineData("sweep", new[] { "--lr <η...>", "--parallel <k>", "--collect <DIR>", "--index <i>", "separate alternatives with ';'" })]
    [InlineData("measure", new[] { "--checkpoint <DIR>", "<auto|deflated-slq|hutch++|hutchinson|slq|xtrace>", "--exact", "--json" })]
    [InlineData("reproduce", new[] { "<NAME>", "escape", "--from-data", "--tiny" })]
    [InlineData("bench", new[] { "--workloads <A,B>", "--no-peers", "mlp-step" })]
    [InlineData("export", new[] { "<RUN>", "--format <pt>", "--out <FILE>" })]
    public void HelpShowsNamedOptionsWithTheirValues(string name, string[] expected)
    {
        var (_, output, _) = Run(name, "--help");
        foreach (var text in expected) Assert.Contains(text, output);
    }

    [Fact]
    public void NoCommandPrintsTheOverviewAndExitsTwo()
    {
        var (code, output, _) = Run();
        Assert.Equal(CliApplication.UsageError, code);
        foreach (var command in CliParser.Root.Subcommands) Assert.Contains(command.Name, output);
        Assert.Contains("--version", output);
        Assert.Equal(output, Run("help").Output);
    }

    static string[] Suggest(string line)
    {
        var (code, output, _) = Run($"[suggest:{line.Length}]", line);
        Assert.Equal(0, code);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    [Fact]
    public void CompletionOffersCommandsOptionsAndTheirValues()
    {
        Assert.Equal(["train"], Suggest("tra"));
        Assert.Contains("--model", Suggest("train --mo"));
        Assert.Contains("--momentum", Suggest("train --mo"));
        Assert.DoesNotContain("--noise", Suggest("train --mo"));
        Assert.Equal(["flip:", "gauss:", "none", "pm:", "smooth:"], Suggest("train --noise ").Order());
        Assert.Equal(["raw", "standard", "unit"], Suggest("labelnoise train --scaling ").Order());
        Assert.Contains("escape", Suggest("reproduce "));
        Assert.Contains("--parallel", Suggest("sweep --par"));
        Assert.Contains("hutch++", Suggest("measure --estimator "));
    }

    [Fact]
    public void SweepTakesEveryConfigOptionOfTrain()
    {
        var sweep = CliParser.Root.Subcommands.Single(c => c.Name == "sweep");
        var train = CliParser.Root.Subcommands.Single(c => c.Name == "train");
        var configNames = LabelNoise.Cli.Commands.TrainCommand.ConfigOptions.Select(o => o.Name).ToList();
        Assert.Equal(configNames, sweep.Options.Select(o => o.Name).Where(configNames.Contains));
        Assert.All(configNames, n => Assert.Contains(n, train.Options.Select(o => o.Name)));
        Assert.DoesNotContain("--resume", sweep.Options.Select(o => o.Name));
    }
}
