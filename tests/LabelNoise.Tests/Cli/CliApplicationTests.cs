using System.Text.Json.Nodes;
using LabelNoise.Cli;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Cli;

public class CliApplicationTests
{
    [Fact]
    public void OnlyTheUsersErrorsAreExitTwoAndTheLibrarysOwnAreExitOneWithPleaseReport()
    {
        Assert.Equal((2, "d=0 must be at least 1"), CliApplication.Classify(new SettingException("d=0 must be at least 1")));
        Assert.Equal(2, CliApplication.Classify(new LabelNoise.Data.DataFormatException("f.csv", "line 3 is not a number")).Code);
        Assert.Equal(3, CliApplication.Classify(new LabelNoise.Training.DivergenceException(5, "the batch loss", null)).Code);
        var (code, message) = CliApplication.Classify(new ArgumentException("parameter 3 received no gradient"));
        Assert.Equal(1, code);
        Assert.Contains("parameter 3 received no gradient", message);
        Assert.Contains("please report it", message);
        // A user's mistake in a spec reaches the library as a SettingException, end to end.
        var result = CliProcess.Run("train", "--model", "mlp:0", "--data", "sparse", "--steps", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a positive width", result.Error);
    }

    [Fact]
    public void VersionPrintsTheVersionThatRunConfigsRecord()
    {
        var (code, output, _) = CliProcess.Run("--version");
        Assert.Equal(0, code);
        string printed = output.Trim();
        using var folder = new TempFolder();
        var train = CliProcess.Run("train", "--model", "linear", "--data", "sparse:d=4,n=3,r=1,seed=1", "--steps", "2", "--batch", "1", "--lr", "0.01", "--out", folder.Path);
        Assert.True(train.ExitCode == 0, train.Error);
        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "config.json")))!["versions"]!["labelnoise"]!.GetValue<string>();
        Assert.Equal(recorded, printed);
        // The one version of Directory.Build.props, then (where built from git) "+<commit>".
        var props = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(props.FullName, "Directory.Build.props"))) props = props.Parent!;
        string version = System.Xml.Linq.XDocument.Load(Path.Combine(props.FullName, "Directory.Build.props")).Descendants("Version").Single().Value;
        Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(version) + @"(\+[0-9a-f]+)?$", printed);
    }
}
