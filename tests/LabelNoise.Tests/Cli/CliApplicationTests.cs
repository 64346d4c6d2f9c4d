using System.Text.Json.Nodes;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Cli;

public class CliApplicationTests
{
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
