using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Cli;

public class ExportCommandTests
{
    [Fact]
    public void ExportWritesTheRunsParametersAsAStateDictThatLoadsBack()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        var train = CliProcess.Run("train", "--model", "quadratic", "--data", "sparse:d=6,n=4,r=2,seed=1", "--noise", "pm:1", "--lr", "0.01",
            "--batch", "1", "--steps", "50", "--out", run);
        Assert.True(train.ExitCode == 0, train.Error);
        string pt = folder.File("q.pt");
        var export = CliProcess.Run("export", run, "--format", "pt", "--out", pt);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Equal($"wrote {pt}: quadratic, 12 parameters in 2 tensors (u, v)", export.Output.Trim());
        var final = File.ReadAllLines(Path.Combine(run, "final-params.txt")).Select(double.Parse).ToArray();
        Assert.Equal(final, LabelNoise.Models.ParameterSource.Load(pt, 12, network: null)); // float64: exact
    }

    [Theory]
    [InlineData("no-such-run", "", "is not a run folder")]
    [InlineData("RUN", "--format=onnx", "--format must be pt")]
    [InlineData("RUN", "--out=model.txt", "--out must end in .pt or .pth")]
    public void BadInputIsOneSentenceAndExitCode2(string run, string option, string expected)
    {
        using var folder = new TempFolder();
        var args = new List<string> { "export", run == "RUN" ? folder.Path : folder.File(run) };
        if (option.Length > 0) args.AddRange(option.Split('=', 2));
        var (code, output, error) = CliProcess.Run([.. args]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(expected, error);
    }
}
